import type { KvStore } from '../../store/kv-store.js';
import { BackendError } from '../backend-error.js';

/**
 * Redmine has no Idempotency-Key: the bot keeps a record of each key in Redis instead, a lease
 * first (one attempt acts at a time). What an attempt made is not recorded: the `Ref:` marker the
 * bot writes into Redmine is the truth, looked for whenever a key was seen before (a lease still
 * running: `busy`; an attempt that ended, or whose answer was lost: `unknown`). So the usual path
 * costs one round trip, and a retry a Redmine call.
 */
export type KeyRecord = { readonly state: 'acquired' } | { readonly state: 'busy' } | { readonly state: 'unknown' };

export interface IdempotencyRecords {
  /** One round trip: SET NX of the lease and GET of what was there, in one batch. */
  acquire(key: string): Promise<KeyRecord>;
  /** Takes the lease over after `unknown` (the marker was looked for and is not there). */
  take(key: string): Promise<void>;
  /** The attempt failed for sure (Redmine refused): the next one may act at once. */
  release(key: string): Promise<void>;
  /** No answer (timeout, connection lost): Redmine may have acted; the next attempt looks for the marker first. */
  unknown(key: string): Promise<void>;
  /** After an attempt failed: released when Redmine refused, unknown when its answer was lost. */
  settleFailure(key: string, error: unknown): Promise<void>;
}

/** As long as a person may retry an act (a draft's Try again, an old notification's button). */
const RECORD_TTL_SECONDS = 7 * 24 * 3600;

export function createIdempotencyRecords(store: KvStore, leaseSeconds: number): IdempotencyRecords {
  const keyOf = (key: string) => `redmine:key:${key}`;
  const lease = () => JSON.stringify({ state: 'lease', until: Date.now() + leaseSeconds * 1000 });
  return {
    async acquire(key) {
      const [taken, raw] = await store.exec([
        { op: 'set', key: keyOf(key), value: lease(), ttlSeconds: RECORD_TTL_SECONDS, onlyIfAbsent: true },
        { op: 'get', key: keyOf(key) },
      ] as const);
      if (taken) return { state: 'acquired' };
      const record = raw === null ? {} : (JSON.parse(raw) as { state?: string; until?: number });
      // A lease still running belongs to another attempt; an ended one to an attempt that finished, died or lost its answer.
      return record.state === 'lease' && (record.until ?? 0) > Date.now() ? { state: 'busy' } : { state: 'unknown' };
    },
    async take(key) {
      await store.exec([{ op: 'set', key: keyOf(key), value: lease(), ttlSeconds: RECORD_TTL_SECONDS }] as const);
    },
    async release(key) {
      await store.exec([{ op: 'del', key: keyOf(key) }] as const);
    },
    async unknown(key) {
      await store.exec([{ op: 'set', key: keyOf(key), value: JSON.stringify({ state: 'unknown' }), ttlSeconds: RECORD_TTL_SECONDS }] as const);
    },
    async settleFailure(key, error) {
      const refused = error instanceof BackendError && error.kind === 'http' && (error.status ?? 500) < 500;
      // A failed record write must not hide the call's own error; the lease then expires by itself.
      await (refused ? this.release(key) : this.unknown(key)).catch(() => undefined);
    },
  };
}
