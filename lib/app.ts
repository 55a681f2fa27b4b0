import { Telegram, type Telegraf } from 'telegraf';
import type { Update } from 'telegraf/types';
import type { BackendClient } from './backend/backend-client.js';
import { lazyBackendClient } from './backend/lazy-backend-client.js';
import { lazyBotInfo, namesTheBot, provisionalBotInfo } from './bot-info.js';
import type { BotContext, BotDeps } from './bot/context.js';
import { createBot } from './bot/create-bot.js';
import { withUpdateOutcome, type UpdateOutcome } from './bot/update-outcome.js';
import { createTwoTierCache, type TwoTierCache } from './cache/two-tier-cache.js';
import type { FloodLimitOptions } from './bot/middleware/flood-limit.js';
import type { UpdateStatePolicy } from './bot/middleware/update-state.js';
import { createCatalog } from './catalog/catalog.js';
import type { Config } from './config.js';
import { createAttachmentFetcher } from './files/attachment-fetcher.js';
import type { Resolver } from './files/public-address.js';
import { sendAttachment, type SendAttachmentDeps } from './files/send-attachment.js';
import type { Logger } from './logger.js';
import { countedKvStore } from './metrics/counted-kv-store.js';
import { createMetricsRecorder } from './metrics/metrics-recorder.js';
import { createTimed } from './metrics/timed.js';
import { createSubmissionLimiter } from './rate-limit/submission-limiter.js';
import { emptyCounters, withUpdateCounters } from './metrics/update-scope.js';
import type { NotificationEvent } from './backend/schemas.js';
import { createNotificationDelivery, type NotifyOptions } from './notify/deliver-notification.js';
import type { NotifyOutcome } from './notify/notify-outcome.js';
import type { KvStore } from './store/kv-store.js';
import { keyNamespace } from './store/key-namespace.js';
import { createMemoryKvStore } from './store/memory-kv-store.js';
import { namespacedKvStore } from './store/namespaced-kv-store.js';
import { createUpstashKvStore } from './store/upstash-kv-store.js';

/** Everything one instance needs, built once and shared by every update it serves. */
export interface App {
  readonly config: Config;
  readonly logger: Logger;
  readonly bot: Telegraf<BotContext>;
  readonly deps: BotDeps;
  /**
   * Handles one update and resolves when all of its work is done: what the person sees and what
   * the session holds. With `webhook: true` the button's answer is left in `outcome.reply` for the
   * caller's HTTP answer instead of being sent; only `afterResponse` work remains after it.
   */
  handleUpdate(update: Update, options?: { readonly webhook?: boolean }): Promise<UpdateOutcome>;
  /**
   * Tells a person about a backend event, validated by the caller (the endpoint answers 400
   * before), at most once per `event_id`. Telegram's and the store's failures come back as an outcome.
   */
  notify(event: NotificationEvent): Promise<NotifyOutcome>;
  /** Resolves the bot's full identity (getMe, cached in the store) on first call; retries a failure. */
  identityResolved(): Promise<void>;
  /** Work to finish after the response: metrics when due. */
  afterResponse(): Promise<void>;
  close(): Promise<void>;
}

export interface CreateAppOptions {
  readonly config: Config;
  readonly logger: Logger;
  /** Replace the store built from config (tests, the sandbox). */
  readonly store?: KvStore;
  readonly backend?: BackendClient;
  readonly cache?: TwoTierCache;
  /** Session and de-dup behaviour; the product's defaults unless a benchmark says otherwise. */
  readonly statePolicy?: Partial<UpdateStatePolicy>;
  /** Updates per person per minute before the bot asks them to slow down (30 by default). */
  readonly floodLimit?: FloodLimitOptions;
  /** Flush aggregated metrics at most this often. */
  readonly metricsFlushIntervalMs?: number;
  /** Notification leases, timeouts and pacing; tests make them short. */
  readonly notify?: Partial<NotifyOptions>;
  /** How agents' files are downloaded: throughput and duration limits, and the DNS behind the address check (tests). */
  readonly attachments?: AttachmentOptions;
}

export interface AttachmentOptions extends Partial<Pick<SendAttachmentDeps, 'minBytesPerSecond' | 'throughputWindowMs' | 'maxDurationMs'>> {
  readonly lookup?: Resolver;
}

export async function createApp(options: CreateAppOptions): Promise<App> {
  const { config, logger } = options;
  const upstash = options.store === undefined && config.redis ? createUpstashKvStore(config.redis) : undefined;
  // Every key under this bot's namespace; round trips counted above the store, so every store
  // (configured or injected) is measured.
  const namespace = keyNamespace({ token: config.telegram.token, prefix: config.redisKeyPrefix });
  const store = countedKvStore(namespacedKvStore(options.store ?? upstash ?? createMemoryStore(logger), namespace));
  const metrics = createMetricsRecorder({ store, logger, flushIntervalMs: options.metricsFlushIntervalMs });
  const backend =
    options.backend ??
    lazyBackendClient(
      () =>
        import('./backend/backend-client.js').then(({ createBackendClient }) =>
          createBackendClient({
            baseUrl: config.backend.url,
            apiKey: config.backend.apiKey,
            timeoutMs: config.backend.timeoutMs,
            maxConnections: config.backend.maxConnections,
            slowCallMs: config.backend.slowCallMs,
            logger,
            timed: createTimed({ recorder: metrics }),
          }),
        ),
      config.backend.maxConnections,
    );
  const cache =
    options.cache ??
    createTwoTierCache({
    store,
    logger,
    maxEntries: config.cache.maxEntries,
    defaultTtlSeconds: config.cache.defaultTtlSeconds,
  });
  const catalog = createCatalog({ source: backend, cache, ttlSeconds: config.cache.catalogTtlSeconds });
  // One per instance: its connection pools check every address agents' files are fetched from.
  const files = createAttachmentFetcher({
    backendUrl: config.backend.url,
    backendApiKey: config.backend.apiKey,
    fileOrigins: config.fileOrigins.origins,
    anyPublicOrigin: config.fileOrigins.anyPublic,
    lookup: options.attachments?.lookup,
  });
  const transferLimits = {
    minBytesPerSecond: options.attachments?.minBytesPerSecond,
    throughputWindowMs: options.attachments?.throughputWindowMs,
    maxDurationMs: options.attachments?.maxDurationMs,
  };
  const submissionLimiter = createSubmissionLimiter({ redis: upstash?.redis, prefix: `${namespace}:ratelimit:submit`, logger });
  const deps: BotDeps = {
    logger,
    store,
    backend,
    catalog,
    cache,
    metrics,
    submissionLimiter,
    adminUserIds: config.adminUserIds,
    sendAttachment: (telegram, chatId, attachment, extra, sendOptions) =>
      sendAttachment({ telegram, files, timeoutMs: config.backend.timeoutMs, logger, ...transferLimits }, chatId, attachment, extra, sendOptions),
    identity: () => identity(),
  };

  const telegramOptions = { apiRoot: config.telegram.apiRoot };
  const bot = createBot({
    token: config.telegram.token,
    apiRoot: config.telegram.apiRoot,
    botInfo: provisionalBotInfo(config.telegram.token),
    deps,
    logger,
    statePolicy: options.statePolicy,
    updateLeaseSeconds: config.updateLeaseSeconds,
    floodLimit: options.floodLimit,
  });
  /** The bot's full identity once resolved (getMe, cached in the store); the provisional one before. */
  async function identity() {
    await identityResolved();
    return bot.botInfo ?? provisionalBotInfo(config.telegram.token);
  }

  // One per instance: its send pace is shared by every notification the instance serves.
  const deliverNotification = createNotificationDelivery({ telegram: bot.telegram, store, logger, sendAttachment: deps.sendAttachment }, options.notify);

  const identityResolved = lazyBotInfo({
    store,
    telegram: new Telegram(config.telegram.token, telegramOptions),
    token: config.telegram.token,
    logger,
    onResolved: (info) => {
      bot.botInfo = info;
    },
  });

  return {
    config,
    logger,
    bot,
    deps,
    handleUpdate: (update, handleOptions = {}) =>
      withUpdateCounters(emptyCounters(), () =>
        withUpdateOutcome(handleOptions.webhook === true, async () => {
          // Only `/cmd@name` needs the bot's username; nothing else waits for it.
          if (namesTheBot(update)) await identityResolved();
          await bot.handleUpdate(update);
        }),
      ),
    notify: (event) => deliverNotification(event),
    identityResolved,
    async afterResponse() {
      await metrics.flushIfDue();
    },
    async close() {
      await metrics.flush();
      await Promise.all([backend.close(), files.close()]);
    },
  };
}

function createMemoryStore(logger: Logger): KvStore {
  logger.warn(
    '[store] No Upstash Redis configured: sessions, cache and de-duplication live in this instance only. ' +
      'Set UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN (or connect Upstash in the Vercel dashboard).',
  );
  return createMemoryKvStore();
}
