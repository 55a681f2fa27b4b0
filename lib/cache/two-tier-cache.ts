import { LRUCache } from 'lru-cache';
import type { Logger } from '../logger.js';
import { count } from '../metrics/update-scope.js';
import type { KvStore } from '../store/kv-store.js';

export interface TwoTierCacheOptions {
  readonly store: KvStore;
  readonly logger: Logger;
  /** L1 bound (CACHE_MAX_ENTRIES): the least recently used entry goes first. */
  readonly maxEntries: number;
  /** TTL when `getOrLoad` is not given one (CACHE_DEFAULT_TTL_S). */
  readonly defaultTtlSeconds: number;
  /** How long past its TTL a value may still be served when `load()` fails. Default 86400. */
  readonly staleTtlSeconds?: number;
  /**
   * How long an instance trusts the namespace version it last read. A `clear()` made by another
   * instance is seen here within this interval; a longer one saves round trips on warm L1 hits.
   * Default 5000.
   */
  readonly versionCheckIntervalMs?: number;
  /** Prefix of every Redis key the cache writes. Default `cache:`. */
  readonly keyPrefix?: string;
  /** After a store failure, skip the store for this long so a down Upstash costs one timeout, not one per lookup. Default 5000. */
  readonly storeRetryMs?: number;
  /** At most one "store unreachable" warning per this interval. Default 60000. */
  readonly storeWarnIntervalMs?: number;
  readonly now?: () => number;
}

export interface GetOrLoadOptions {
  /** Freshness of a value loaded now; defaults to `defaultTtlSeconds`. */
  readonly ttlSeconds?: number;
}

export interface TwoTierCacheStats {
  readonly l1Hits: number;
  readonly l2Hits: number;
  /** Lookups answered by neither tier (each caller of a shared load counts once). */
  readonly misses: number;
  /** Misses answered with a stale value because `load()` failed. */
  readonly staleServed: number;
  /** Calls of `load()`: fewer than misses when concurrent misses share one. */
  readonly loads: number;
  /** (l1Hits + l2Hits) / lookups; 0 before the first lookup. */
  readonly hitRatio: number;
  readonly entries: number;
  readonly maxEntries: number;
  /** Namespace version this instance knows; undefined until it has read it once. */
  readonly version: number | undefined;
}

/**
 * A TTL + LRU cache in two tiers: L1 in this instance's memory, L2 in the shared KvStore
 * (Upstash), so a cold instance starts warm from what another instance loaded.
 *
 * Values must be JSON (they cross the wire to L2) and are shared between callers: treat
 * them as read-only.
 */
export interface TwoTierCache {
  /**
   * The cached value of `key`, or the result of `load()` stored in both tiers.
   * Concurrent misses of one key in this instance share one L2 read and one `load()` (and the
   * first caller's `ttlSeconds`).
   * When `load()` throws and a stale value is known, the stale value is served instead.
   */
  getOrLoad<T>(key: string, load: () => Promise<T>, options?: GetOrLoadOptions): Promise<T>;
  /**
   * Invalidates every entry in every instance by bumping the namespace version (one INCR,
   * no key scan). This instance drops its L1 at once; others within `versionCheckIntervalMs`.
   * @throws when the store cannot be reached (this instance's L1 is dropped anyway).
   */
  clear(): Promise<void>;
  stats(): TwoTierCacheStats;
}

interface L1Entry {
  readonly data: unknown;
  /** Epoch ms after which the value is stale. */
  readonly freshUntil: number;
  /** Namespace version the value belongs to; undefined when loaded while the store was down. */
  readonly version: number | undefined;
}

/** The L2 record, as JSON in Redis. */
interface L2Record {
  readonly v: number;
  readonly fresh_until: number;
  readonly data: unknown;
}

type Source = 'l2' | 'load' | 'stale';

interface Outcome {
  readonly value: unknown;
  readonly source: Source;
}

export function createTwoTierCache(options: TwoTierCacheOptions): TwoTierCache {
  const { store, logger, maxEntries, defaultTtlSeconds } = options;
  const staleTtlSeconds = options.staleTtlSeconds ?? 86_400;
  const versionCheckIntervalMs = options.versionCheckIntervalMs ?? 5000;
  const keyPrefix = options.keyPrefix ?? 'cache:';
  const storeRetryMs = options.storeRetryMs ?? 5000;
  const storeWarnIntervalMs = options.storeWarnIntervalMs ?? 60_000;
  const now = options.now ?? Date.now;
  const versionKey = `${keyPrefix}version`;
  const staleMs = staleTtlSeconds * 1000;

  // Freshness is judged here against `now` (not lru-cache's own clock), so stale entries stay
  // in L1 for stale-if-error and tests can move time without sleeping.
  const l1 = new LRUCache<string, L1Entry>({ max: maxEntries });
  const inflight = new Map<string, Promise<Outcome>>();
  let knownVersion: number | undefined;
  let versionCheckedAt = Number.NEGATIVE_INFINITY;
  // Reads are numbered when sent: an answer older than the one last adopted (e.g. a read that
  // raced a clear()) must not roll the version back.
  let readSeq = 0;
  let adoptedSeq = 0;
  let versionRead: Promise<void> | undefined;
  let storeDownUntil = Number.NEGATIVE_INFINITY;
  let lastStoreWarnAt = Number.NEGATIVE_INFINITY;
  const totals = { l1Hits: 0, l2Hits: 0, misses: 0, staleServed: 0, loads: 0 };

  function storeAvailable(): boolean {
    return now() >= storeDownUntil;
  }

  function storeFailed(error: unknown): void {
    const at = now();
    storeDownUntil = at + storeRetryMs;
    if (at - lastStoreWarnAt < storeWarnIntervalMs) return;
    lastStoreWarnAt = at;
    logger.warn(
      { store: store.kind, error: describe(error) },
      '[cache] Upstash unreachable, serving from memory: check UPSTASH_REDIS_REST_URL/TOKEN',
    );
  }

  /** Adopts the version read from the store; a change means someone cleared: drop L1. */
  function adoptVersion(raw: string | null, seq: number, readAt: number): void {
    const version = raw === null ? 0 : Number(raw);
    if (seq < adoptedSeq || !Number.isSafeInteger(version)) return;
    adoptedSeq = seq;
    versionCheckedAt = readAt;
    if (version === knownVersion) return;
    if (knownVersion !== undefined || l1.size > 0) l1.clear();
    knownVersion = version;
  }

  function versionCheckDue(): boolean {
    return now() - versionCheckedAt >= versionCheckIntervalMs && storeAvailable();
  }

  /** One GET of the version key, shared by concurrent L1 hits that find the interval over. */
  function refreshVersion(): Promise<void> {
    versionRead ??= (async () => {
      const startedAt = now();
      const seq = ++readSeq;
      try {
        const [raw] = await store.exec([{ op: 'get', key: versionKey }]);
        adoptVersion(raw, seq, startedAt);
      } catch (error) {
        // Fail open: keep trusting L1 rather than block every hit on a down store.
        versionCheckedAt = startedAt;
        storeFailed(error);
      }
    })().finally(() => {
      versionRead = undefined;
    });
    return versionRead;
  }

  function freshL1(key: string): L1Entry | undefined {
    const entry = l1.get(key);
    if (entry === undefined || entry.version !== knownVersion || entry.freshUntil <= now()) return undefined;
    return entry;
  }

  /** A value past its TTL but within the stale window, of the current version. */
  function staleCandidate(entry: L1Entry | undefined): L1Entry | undefined {
    if (entry === undefined || entry.version !== knownVersion) return undefined;
    return now() < entry.freshUntil + staleMs ? entry : undefined;
  }

  async function fill(key: string, load: () => Promise<unknown>, ttlSeconds: number): Promise<Outcome> {
    let stale: L1Entry | undefined;
    if (storeAvailable()) {
      const startedAt = now();
      const seq = ++readSeq;
      try {
        // One round trip: the entry and the namespace version it must match.
        const [raw, version] = await store.exec([
          { op: 'get', key: keyPrefix + key },
          { op: 'get', key: versionKey },
        ]);
        adoptVersion(version, seq, startedAt);
        const record = parseRecord(raw);
        if (record !== undefined && record.v === knownVersion) {
          const entry: L1Entry = { data: record.data, freshUntil: record.fresh_until, version: record.v };
          if (entry.freshUntil > now()) {
            l1.set(key, entry);
            return { value: entry.data, source: 'l2' };
          }
          stale = staleCandidate(entry);
        }
      } catch (error) {
        storeFailed(error);
      }
    }
    const l1Stale = staleCandidate(l1.get(key));
    if (l1Stale !== undefined && (stale === undefined || l1Stale.freshUntil > stale.freshUntil)) stale = l1Stale;

    // The version this value belongs to is the one known before loading: if a clear lands
    // while `load()` runs, the value is tagged with the old version and others ignore it.
    const version = knownVersion;
    totals.loads += 1;
    let value: unknown;
    try {
      value = await load();
    } catch (error) {
      if (stale === undefined) throw error;
      logger.warn(
        { key, age_s: Math.round((now() - stale.freshUntil) / 1000), error: describe(error) },
        'serving stale cache entry',
      );
      return { value: stale.data, source: 'stale' };
    }

    const freshUntil = now() + ttlSeconds * 1000;
    l1.set(key, { data: value, freshUntil, version });
    // Without a known version the entry could never match on read: skip the write.
    if (version !== undefined && storeAvailable()) {
      const record: L2Record = { v: version, fresh_until: freshUntil, data: value };
      try {
        // EX covers the stale window too, so another instance can serve it if its load fails.
        await store.exec([
          { op: 'set', key: keyPrefix + key, value: JSON.stringify(record), ttlSeconds: ttlSeconds + staleTtlSeconds },
        ]);
      } catch (error) {
        storeFailed(error);
      }
    }
    return { value, source: 'load' };
  }

  return {
    async getOrLoad<T>(key: string, load: () => Promise<T>, getOptions?: GetOrLoadOptions): Promise<T> {
      if (freshL1(key) !== undefined) {
        // Trade-off: between checks a clear() made elsewhere is not seen; past the interval
        // one GET of the version key (shared by concurrent hits) confirms the L1 entry.
        if (versionCheckDue()) await refreshVersion();
        const entry = freshL1(key);
        if (entry !== undefined) {
          totals.l1Hits += 1;
          count('cacheL1Hits');
          return entry.data as T;
        }
      }

      let pending = inflight.get(key);
      if (pending === undefined) {
        pending = fill(key, load, getOptions?.ttlSeconds ?? defaultTtlSeconds).finally(() => inflight.delete(key));
        inflight.set(key, pending);
      }
      // Each caller counts its own outcome, in its own update's scope.
      let outcome: Outcome;
      try {
        outcome = await pending;
      } catch (error) {
        totals.misses += 1;
        count('cacheMisses');
        throw error;
      }
      if (outcome.source === 'l2') {
        totals.l2Hits += 1;
        count('cacheL2Hits');
      } else {
        totals.misses += 1;
        count('cacheMisses');
        if (outcome.source === 'stale') totals.staleServed += 1;
      }
      return outcome.value as T;
    },

    async clear(): Promise<void> {
      l1.clear();
      const seq = ++readSeq;
      const startedAt = now();
      const [version] = await store.exec([{ op: 'incrby', key: versionKey, by: 1 }]);
      adoptVersion(String(version), seq, startedAt);
      // Entries loaded meanwhile under the old version are misses now; drop them as well.
      l1.clear();
    },

    stats(): TwoTierCacheStats {
      const lookups = totals.l1Hits + totals.l2Hits + totals.misses;
      return {
        ...totals,
        hitRatio: lookups === 0 ? 0 : (totals.l1Hits + totals.l2Hits) / lookups,
        entries: l1.size,
        maxEntries,
        version: knownVersion,
      };
    },
  };
}

function parseRecord(raw: string | null): L2Record | undefined {
  if (raw === null) return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const { v, fresh_until } = parsed as Partial<L2Record>;
    if (typeof v !== 'number' || typeof fresh_until !== 'number' || !('data' in parsed)) return undefined;
    return parsed as L2Record;
  } catch {
    // A corrupt entry is a miss; the next load overwrites it.
    return undefined;
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.name === 'Error' ? error.message : `${error.name}: ${error.message}`;
  return String(error);
}
