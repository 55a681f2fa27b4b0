import type { KvStore } from '../../store/kv-store.js';
import { BackendError } from '../backend-error.js';

/**
 * Redmine has no Idempotency-Key: the bot keeps each key's outcome in Redis instead. A key is
 * first a lease (one attempt acts at a time), then `done` with what it made (the issue, the note).
 * A lease left behind by an attempt whose answer was lost reads as `unknown`: the caller looks for
 * the `Ref:` marker the bot wrote into Redmine before acting again.
 */
export type KeyRecord =
  | { readonly state: 'acquired' }
  | { readonly state: 'done'; readonly issueId: number; readonly journalId?: number }
  | { readonly state: 'busy' }
  | { readonly state: 'unknown' };

export interface IdempotencyRecords {
  /** One round trip when the key is new; two when it was seen before. */
  acquire(key: string): Promise<KeyRecord>;
  /** Records the outcome (one round trip). */
  done(key: string, outcome: { issueId: number; journalId?: number }): Promise<void>;
  /** The attempt failed for sure (Redmine refused): the next one may act at once. */
  release(key: string): Promise<void>;
  /** No answer (timeout, connection lost): Redmine may have acted; the next attempt looks for the marker first. */
  unknown(key: string): Promise<void>;
  /** After an attempt failed: released when Redmine refused, unknown when its answer was lost. */
  settleFailure(key: string, error: unknown): Promise<void>;
}

const DONE_TTL_SECONDS = 7 * 24 * 3600;

export function createIdempotencyRecords(store: KvStore, leaseSeconds: number): IdempotencyRecords {
  const keyOf = (key: string) => `redmine:key:${key}`;
  return {
    async acquire(key) {
      const lease = JSON.stringify({ state: 'lease', until: Date.now() + leaseSeconds * 1000 });
      const [taken] = await store.exec([{ op: 'set', key: keyOf(key), value: lease, ttlSeconds: DONE_TTL_SECONDS, onlyIfAbsent: true }] as const);
      if (taken) return { state: 'acquired' };
      const [raw] = await store.exec([{ op: 'get', key: keyOf(key) }] as const);
      if (raw === null) return { state: 'unknown' };
      const record = JSON.parse(raw) as { state: string; until?: number; issueId?: number; journalId?: number };
      if (record.state === 'done' && record.issueId !== undefined) {
        return { state: 'done', issueId: record.issueId, ...(record.journalId !== undefined && { journalId: record.journalId }) };
      }
      // A lease still running belongs to another attempt; an expired one to an attempt that died or lost its answer.
      return (record.until ?? 0) > Date.now() ? { state: 'busy' } : { state: 'unknown' };
    },
    async done(key, outcome) {
      await store.exec([{ op: 'set', key: keyOf(key), value: JSON.stringify({ state: 'done', ...outcome }), ttlSeconds: DONE_TTL_SECONDS }] as const);
    },
    async release(key) {
      await store.exec([{ op: 'del', key: keyOf(key) }] as const);
    },
    async unknown(key) {
      await store.exec([{ op: 'set', key: keyOf(key), value: JSON.stringify({ state: 'unknown' }), ttlSeconds: DONE_TTL_SECONDS }] as const);
    },
    async settleFailure(key, error) {
      const refused = error instanceof BackendError && error.kind === 'http' && (error.status ?? 500) < 500;
      // A failed record write must not hide the call's own error; the lease then expires by itself.
      await (refused ? this.release(key) : this.unknown(key)).catch(() => undefined);
    },
  };
}
