import { Telegram, type Telegraf } from 'telegraf';
import type { Update } from 'telegraf/types';
import type { BackendClient } from './backend/backend-client.js';
import { lazyBotInfo, namesTheBot, provisionalBotInfo } from './bot-info.js';
import type { BotContext, BotDeps } from './bot/context.js';
import { createBot } from './bot/create-bot.js';
import { withUpdateOutcome, type UpdateOutcome } from './bot/update-outcome.js';
import type { FloodLimitOptions } from './bot/middleware/flood-limit.js';
import type { UpdateStatePolicy } from './bot/middleware/update-state.js';
import type { Config } from './config.js';
import type { Resolver } from './files/public-address.js';
import { sendAttachment, type SendAttachmentDeps } from './files/send-attachment.js';
import type { Logger } from './logger.js';
import { emptyCounters, withUpdateCounters } from './metrics/update-scope.js';
import type { NotificationEvent } from './backend/schemas.js';
import { createNotificationDelivery, DEFAULT_NOTIFY_OPTIONS, type NotifyOptions } from './notify/deliver-notification.js';
import { createReminderDrain, type ReminderDrainOptions, type ReminderDrainReport } from './notify/drain-reminders.js';
import { createSendPacer } from './notify/send-pacer.js';
import { createSharedSendPace } from './notify/shared-send-pace.js';
import type { TwoTierCache } from './cache/two-tier-cache.js';
import type { KvStore } from './store/kv-store.js';
import { createServices, type Services } from './services.js';
import type { NotifyOutcome } from './notify/notify-outcome.js';
import type { RedminePollReport } from './backend/redmine/poll.js';

/** Everything one instance needs, built once and shared by every update it serves. */
export interface App {
  readonly config: Config;
  readonly logger: Logger;
  readonly bot: Telegraf<BotContext>;
  readonly deps: BotDeps;
  /** The store, backend, cache, catalogue, metrics, limits and file fetcher the bot uses: the Mini App's API shares them. */
  readonly services: Services;
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
  /** Sends the reminders that are due (the cron endpoint's work); bounded, safe to run twice at once. */
  drainReminders(): Promise<ReminderDrainReport>;
  /**
   * A backend that pushes nothing (Redmine): reads what changed since the last run and tells the
   * people concerned, as /api/notify would; undefined when the backend pushes its events itself.
   */
  pollBackend(): Promise<RedminePollReport | undefined>;
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
  /** The reminder drain's batches and bounds; tests make them small. */
  readonly reminders?: Partial<ReminderDrainOptions>;
  /** How agents' files are downloaded: throughput and duration limits, and the DNS behind the address check (tests). */
  readonly attachments?: AttachmentOptions;
}

export interface AttachmentOptions extends Partial<Pick<SendAttachmentDeps, 'minBytesPerSecond' | 'throughputWindowMs' | 'maxDurationMs'>> {
  readonly lookup?: Resolver;
}

export async function createApp(options: CreateAppOptions): Promise<App> {
  const { config, logger } = options;
  const services = createServices(options);
  const { store, backend, cache, catalog, metrics, submissionLimiter, files, namespace, redis } = services;
  const transferLimits = {
    minBytesPerSecond: options.attachments?.minBytesPerSecond,
    throughputWindowMs: options.attachments?.throughputWindowMs,
    maxDurationMs: options.attachments?.maxDurationMs,
  };
  const deps: BotDeps = {
    logger,
    store,
    backend,
    catalog,
    cache,
    metrics,
    submissionLimiter,
    adminUserIds: config.adminUserIds,
    timeZone: config.timeZone,
    ...(config.miniApp.url !== undefined && { miniAppUrl: config.miniApp.url }),
    ...(config.miniApp.shortName !== undefined && { miniAppShortName: config.miniApp.shortName }),
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

  const notifyOptions: NotifyOptions = {
    ...DEFAULT_NOTIFY_OPTIONS,
    remindAfterSeconds: config.remindAfterHours > 0 ? config.remindAfterHours * 3600 : undefined,
    ...options.notify,
  };
  // One per instance, shared by every notification and reminder it sends; with Upstash, also by
  // every instance of the bot (one token bucket under the bot's namespace).
  const localPace = createSendPacer({ messagesPerSecond: notifyOptions.messagesPerSecond, maxWaitMs: notifyOptions.maxPacingWaitMs });
  const pace =
    redis && notifyOptions.sharedMessagesPerSecond > 0
      ? createSharedSendPace({
          redis,
          prefix: `${namespace}:ratelimit:telegram`,
          messagesPerSecond: notifyOptions.sharedMessagesPerSecond,
          burst: notifyOptions.sharedBurst,
          maxWaitMs: notifyOptions.maxPacingWaitMs,
          local: localPace,
          logger,
        })
      : localPace;
  const deliverNotification = createNotificationDelivery({ telegram: bot.telegram, store, logger, sendAttachment: deps.sendAttachment, pace }, notifyOptions);
  const drainReminders = createReminderDrain({ store, backend, telegram: bot.telegram, pace, logger }, options.reminders);

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
    services,
    handleUpdate: (update, handleOptions = {}) =>
      withUpdateCounters(emptyCounters(), () =>
        withUpdateOutcome(handleOptions.webhook === true, async () => {
          // Only `/cmd@name` needs the bot's username; nothing else waits for it.
          if (namesTheBot(update)) await identityResolved();
          await bot.handleUpdate(update);
        }),
      ),
    notify: (event) => deliverNotification(event),
    drainReminders: () => drainReminders(),
    async pollBackend() {
      if (services.redmineBackend === undefined) return undefined;
      const [{ createRedminePoll }, redmineBackend] = await Promise.all([import('./backend/redmine/poll.js'), services.redmineBackend()]);
      return createRedminePoll({ backend: redmineBackend, store, notify: deliverNotification, logger })();
    },
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
