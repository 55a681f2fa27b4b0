import type { Redis } from '@upstash/redis';
import type { BackendClient } from './backend/backend-client.js';
import { lazyBackendClient } from './backend/lazy-backend-client.js';
import type { RedmineBackend } from './backend/redmine/redmine-backend.js';
import { createTwoTierCache, type TwoTierCache } from './cache/two-tier-cache.js';
import { createCatalog, type Catalog } from './catalog/catalog.js';
import type { Config } from './config.js';
import { createAttachmentFetcher, type AttachmentFetcher } from './files/attachment-fetcher.js';
import type { Resolver } from './files/public-address.js';
import type { Logger } from './logger.js';
import { countedKvStore } from './metrics/counted-kv-store.js';
import { createMetricsRecorder, type MetricsRecorder } from './metrics/metrics-recorder.js';
import { createTimed } from './metrics/timed.js';
import { createSubmissionLimiter, type SubmissionLimiter } from './rate-limit/submission-limiter.js';
import type { KvStore } from './store/kv-store.js';
import { keyNamespace } from './store/key-namespace.js';
import { createMemoryKvStore } from './store/memory-kv-store.js';
import { namespacedKvStore } from './store/namespaced-kv-store.js';
import { createUpstashKvStore } from './store/upstash-kv-store.js';

/**
 * What the chat and the Mini App's API share in one instance: the store (round trips counted), the
 * backend client with its pool, the two-tier cache, the cached catalogue, the metrics and the
 * submission limit. No Telegraf: the Mini App's function builds these alone and stays light.
 */
export interface Services {
  readonly store: KvStore;
  readonly backend: BackendClient;
  readonly cache: TwoTierCache;
  readonly catalog: Catalog;
  readonly metrics: MetricsRecorder;
  readonly submissionLimiter: SubmissionLimiter;
  /** Agents' files, fetched only from allowed origins and public addresses (FILE_ORIGINS): the chat's uploads and the app's downloads. */
  readonly files: AttachmentFetcher;
  /** `tg<bot id>` (with REDIS_KEY_PREFIX before it): every key of this bot lives under it. */
  readonly namespace: string;
  /** The Upstash client when Upstash is configured (limits shared by every instance use it); undefined otherwise. */
  readonly redis: Redis | undefined;
  /** BACKEND_KIND=redmine: the Redmine client behind `backend` (the poll cron reads its journals); undefined otherwise. */
  readonly redmineBackend: (() => Promise<RedmineBackend>) | undefined;
}

export interface CreateServicesOptions {
  readonly config: Config;
  readonly logger: Logger;
  /** Replace the store built from config (tests, the sandbox). */
  readonly store?: KvStore;
  readonly backend?: BackendClient;
  readonly cache?: TwoTierCache;
  /** Flush aggregated metrics at most this often. */
  readonly metricsFlushIntervalMs?: number;
  /** The DNS behind the file fetcher's address check (tests). */
  readonly attachments?: { readonly lookup?: Resolver };
}

export function createServices(options: CreateServicesOptions): Services {
  const { config, logger } = options;
  const upstash = options.store === undefined && config.redis ? createUpstashKvStore(config.redis) : undefined;
  // Every key under this bot's namespace; round trips counted above the store, so every store
  // (configured or injected) is measured.
  const namespace = keyNamespace({ token: config.telegram.token, prefix: config.redisKeyPrefix });
  const store = countedKvStore(namespacedKvStore(options.store ?? upstash ?? createMemoryStore(logger), namespace));
  const metrics = createMetricsRecorder({ store, logger, flushIntervalMs: options.metricsFlushIntervalMs });
  const timed = createTimed({ recorder: metrics });
  const { redmine } = config;
  // BACKEND_KIND=redmine: one Redmine client per instance, behind the seam and for the poll cron.
  const redmineBackend =
    redmine === undefined || options.backend !== undefined
      ? undefined
      : once(() =>
          import('./backend/redmine/redmine-backend.js').then(({ createRedmineBackend }) =>
            createRedmineBackend({
              ...redmine,
              telegram: { apiRoot: config.telegram.apiRoot, token: config.telegram.token },
              store,
              timeoutMs: config.backend.timeoutMs,
              maxConnections: config.backend.maxConnections,
              slowCallMs: config.backend.slowCallMs,
              logger,
              timed,
            }),
          ),
        );
  const backend =
    options.backend ??
    lazyBackendClient(
      () =>
        redmineBackend !== undefined
          ? redmineBackend()
          : import('./backend/backend-client.js').then(({ createBackendClient }) =>
          createBackendClient({
            baseUrl: config.backend.url,
            apiKey: config.backend.apiKey,
            timeoutMs: config.backend.timeoutMs,
            maxConnections: config.backend.maxConnections,
            slowCallMs: config.backend.slowCallMs,
            logger,
            timed,
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
  const submissionLimiter = createSubmissionLimiter({ redis: upstash?.redis, prefix: `${namespace}:ratelimit:submit`, logger });
  // One per instance: its connection pools check every address agents' files are fetched from.
  const files = createAttachmentFetcher({
    backendUrl: config.backend.url,
    backendApiKey: config.backend.apiKey,
    ...(redmine !== undefined && { backendHeaders: { 'x-redmine-api-key': redmine.apiKey } }),
    fileOrigins: config.fileOrigins.origins,
    anyPublicOrigin: config.fileOrigins.anyPublic,
    lookup: options.attachments?.lookup,
  });
  return { store, backend, cache, catalog, metrics, submissionLimiter, files, namespace, redis: upstash?.redis, redmineBackend };
}

/** The first call's promise for every call; a failure is forgotten so the next call tries again. */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
}

function createMemoryStore(logger: Logger): KvStore {
  logger.warn(
    '[store] No Upstash Redis configured: sessions, cache and de-duplication live in this instance only. ' +
      'Set UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN (or connect Upstash in the Vercel dashboard).',
  );
  return createMemoryKvStore();
}
