import type { Logger } from '../logger.js';
import type { KvCommand, KvStore } from '../store/kv-store.js';
import { bucketIndex, bucketLabel } from './histogram.js';
import type { UpdateCounters } from './update-scope.js';

/**
 * Field names of the hourly hash `metrics:{YYYYMMDDHH}`. Histograms are one field per
 * non-empty bucket (`update_le_100`), so a quiet hour writes only a handful of fields.
 */
export const METRIC_FIELDS = {
  updates: 'updates',
  errors: 'errors',
  coldStarts: 'cold_starts',
  updateMs: 'update_ms',
  updateBucketPrefix: 'update_le_',
  backendCalls: 'backend_calls',
  backendMs: 'backend_ms',
  backendBucketPrefix: 'backend_le_',
  cacheL1Hits: 'cache_l1',
  cacheL2Hits: 'cache_l2',
  cacheMisses: 'cache_miss',
  redisRoundTrips: 'redis_round_trips',
  redisCommands: 'redis_commands',
  telegramCalls: 'telegram_calls',
  handlerPrefix: 'handler:',
  timingPrefix: 'timing:',
} as const;

/** `metrics:2025010112` for 12:xx UTC on 1 January 2025. */
export function metricsBucketKey(epochMs: number): string {
  return `metrics:${new Date(epochMs).toISOString().slice(0, 13).replace(/[-T]/g, '')}`;
}

export interface UpdateRecord {
  /** Handler that served the update (`start`, `new-request`, …). */
  readonly handler: string;
  readonly ms: number;
  readonly coldStart: boolean;
  readonly error: boolean;
  readonly counters: UpdateCounters;
}

export interface MetricsRecorderOptions {
  readonly store: KvStore;
  readonly logger: Logger;
  /** `flushIfDue` writes at most once per this interval. Default 5000. */
  readonly flushIntervalMs?: number;
  /** Lifetime of an hourly hash. Default 8 days, so a week can always be reported. */
  readonly bucketTtlSeconds?: number;
  readonly now?: () => number;
}

export interface MetricsRecorder {
  /** Adds one served update; in memory only, until the next flush. */
  recordUpdate(update: UpdateRecord): void;
  /** Adds one timed call (see `createTimed`) under `name`, e.g. `backend.createRequest`. */
  recordTiming(name: string, ms: number, error: boolean): void;
  /**
   * Flushes when `flushIntervalMs` has passed since the last flush (or since the recorder was
   * built); otherwise does nothing. Call it after each update (inside `waitUntil` on
   * Vercel): at most one round trip per interval. What an instance records after its last flush
   * is lost when the platform retires it; the interval bounds that loss.
   */
  flushIfDue(): Promise<void>;
  /**
   * Writes every pending counter in one exec (HINCRBY per non-zero field + EXPIRE per hourly
   * hash). On store failure the counters are kept for the next try and a warning is logged.
   */
  flush(): Promise<void>;
  /** Number of pending (unflushed) fields, for health checks and tests. */
  pendingFields(): number;
}

/**
 * Aggregates metrics in this instance and adds them to shared hourly Redis hashes, so the
 * numbers of every instance (and every cold start) meet in one place at the cost of one
 * round trip per flush interval rather than one per update.
 */
export function createMetricsRecorder(options: MetricsRecorderOptions): MetricsRecorder {
  const { store, logger } = options;
  const flushIntervalMs = options.flushIntervalMs ?? 5000;
  const bucketTtlSeconds = options.bucketTtlSeconds ?? 8 * 24 * 3600;
  const now = options.now ?? Date.now;
  const f = METRIC_FIELDS;

  // Pending increments per hourly hash: counts recorded at 12:59 belong to 12:00 even when
  // they are flushed (or retried after a failure) at 13:00.
  let pending = new Map<string, Map<string, number>>();
  // The first flush is due one interval after the instance starts, not on its first update: a cold
  // /start pays no metrics round trip. What a short-lived instance recorded is written when Vercel
  // retires it (closeOnShutdown calls flush on SIGTERM).
  let lastFlushAt = now();
  let flushing: Promise<void> | undefined;

  function add(field: string, by: number): void {
    const value = Math.round(by);
    if (value === 0) return;
    const key = metricsBucketKey(now());
    let fields = pending.get(key);
    if (fields === undefined) {
      fields = new Map();
      pending.set(key, fields);
    }
    fields.set(field, (fields.get(field) ?? 0) + value);
  }

  function merge(from: Map<string, Map<string, number>>): void {
    for (const [key, fields] of from) {
      let into = pending.get(key);
      if (into === undefined) {
        into = new Map();
        pending.set(key, into);
      }
      for (const [field, value] of fields) into.set(field, (into.get(field) ?? 0) + value);
    }
  }

  async function write(): Promise<void> {
    lastFlushAt = now();
    if (pending.size === 0) return;
    // Take the batch out first: updates recorded while the round trip is in flight go to the next one.
    const batch = pending;
    pending = new Map();
    const oldest = metricsBucketKey(now() - bucketTtlSeconds * 1000);
    const commands: KvCommand[] = [];
    for (const [key, fields] of batch) {
      // A hash older than its lifetime would expire at once; after a long outage drop it.
      if (key < oldest) continue;
      for (const [field, by] of fields) commands.push({ op: 'hincrby', key, field, by });
      commands.push({ op: 'expire', key, ttlSeconds: bucketTtlSeconds });
    }
    try {
      await store.exec(commands);
    } catch (error) {
      merge(batch);
      logger.warn(
        { store: store.kind, fields: commands.length, error: error instanceof Error ? error.message : String(error) },
        '[metrics] could not write metrics, keeping them for the next flush: check UPSTASH_REDIS_REST_URL/TOKEN',
      );
    }
  }

  function flush(): Promise<void> {
    // One flush at a time; a caller arriving meanwhile shares it.
    flushing ??= write().finally(() => {
      flushing = undefined;
    });
    return flushing;
  }

  return {
    recordUpdate(update: UpdateRecord): void {
      const c = update.counters;
      add(f.updates, 1);
      if (update.error) add(f.errors, 1);
      if (update.coldStart) add(f.coldStarts, 1);
      add(f.updateMs, update.ms);
      add(f.updateBucketPrefix + bucketLabel(bucketIndex(update.ms)), 1);
      add(f.handlerPrefix + update.handler, 1);
      add(f.backendCalls, c.backendCalls);
      add(f.backendMs, c.backendMs);
      if (c.backendCalls > 0) {
        // Only per-update totals reach here: each call is placed at the update's mean call
        // latency, which is exact for the common case of one backend call per update.
        add(f.backendBucketPrefix + bucketLabel(bucketIndex(c.backendMs / c.backendCalls)), c.backendCalls);
      }
      add(f.cacheL1Hits, c.cacheL1Hits);
      add(f.cacheL2Hits, c.cacheL2Hits);
      add(f.cacheMisses, c.cacheMisses);
      add(f.redisRoundTrips, c.redisRoundTrips);
      add(f.redisCommands, c.redisCommands);
      add(f.telegramCalls, c.telegramCalls);
    },

    recordTiming(name: string, ms: number, error: boolean): void {
      const prefix = `${f.timingPrefix}${name}:`;
      add(`${prefix}count`, 1);
      add(`${prefix}ms`, ms);
      if (error) add(`${prefix}errors`, 1);
      add(`${prefix}le_${bucketLabel(bucketIndex(ms))}`, 1);
    },

    async flushIfDue(): Promise<void> {
      if (flushing !== undefined || now() - lastFlushAt < flushIntervalMs) return;
      await flush();
    },

    flush,

    pendingFields(): number {
      let n = 0;
      for (const fields of pending.values()) n += fields.size;
      return n;
    },
  };
}
