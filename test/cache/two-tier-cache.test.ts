import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createTwoTierCache, type TwoTierCacheOptions } from '../../lib/cache/two-tier-cache.js';
import { countedKvStore } from '../../lib/metrics/counted-kv-store.js';
import { emptyCounters, withUpdateCounters } from '../../lib/metrics/update-scope.js';
import type { KvCommand, KvResults, KvStore } from '../../lib/store/kv-store.js';
import { createMemoryKvStore } from '../../lib/store/memory-kv-store.js';
import { createUpstashKvStore } from '../../lib/store/upstash-kv-store.js';
import { ensureRedis, type RunningRedis } from '../support/redis-server.js';
import { capturingLogger } from '../support/logs.js';
import { startUpstashBridge, type UpstashBridge } from '../support/upstash-bridge.js';

const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);


/** Counts round trips (exec calls) and commands at the KvStore edge. */
function counting(inner: KvStore): KvStore & { roundTrips: number; commands: KvCommand[] } {
  const wrapper = {
    kind: inner.kind,
    roundTrips: 0,
    commands: [] as KvCommand[],
    exec<const T extends readonly KvCommand[]>(commands: T): Promise<KvResults<T>> {
      if (commands.length > 0) wrapper.roundTrips += 1;
      wrapper.commands.push(...commands);
      return inner.exec(commands);
    },
  };
  return wrapper;
}

function failingStore(): KvStore & { calls: number } {
  const store = {
    kind: 'upstash' as const,
    calls: 0,
    exec(): Promise<never> {
      store.calls += 1;
      return Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:1'));
    },
  };
  return store;
}

/** A clock the test moves by hand, shared by the caches and the memory store. */
function clock(): { now: () => number; advance: (ms: number) => void } {
  let t = T0;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

function loader<T>(value: T): (() => Promise<T>) & { calls: number } {
  const load = Object.assign(
    async () => {
      load.calls += 1;
      return value;
    },
    { calls: 0 },
  );
  return load;
}

describe('with the in-memory store', () => {
  let time: ReturnType<typeof clock>;
  let store: ReturnType<typeof counting>;
  let log: ReturnType<typeof capturingLogger>;

  beforeEach(() => {
    time = clock();
    store = counting(countedKvStore(createMemoryKvStore({ now: time.now })));
    log = capturingLogger();
  });

  function cache(overrides: Partial<TwoTierCacheOptions> = {}) {
    return createTwoTierCache({
      store,
      logger: log.logger,
      maxEntries: 100,
      defaultTtlSeconds: 300,
      now: time.now,
      ...overrides,
    });
  }

  test('100 sequential lookups of 3 keys: 3 loads, warm L1 hits cost no round trip', async () => {
    const c = cache();
    const loads = { a: loader('A'), b: loader('B'), c: loader('C') };
    const keys = ['a', 'b', 'c'] as const;
    for (let i = 0; i < 3; i++) await c.getOrLoad(keys[i % 3] ?? 'a', loads[keys[i % 3] ?? 'a']);
    // Each miss: one read (entry + version) and one write.
    expect(store.roundTrips).toBe(6);
    store.roundTrips = 0;
    for (let i = 3; i < 100; i++) {
      const key = keys[i % 3] ?? 'a';
      expect(await c.getOrLoad(key, loads[key])).toBe(key.toUpperCase());
    }
    expect(loads.a.calls + loads.b.calls + loads.c.calls).toBe(3);
    expect(store.roundTrips).toBe(0);
    expect(c.stats()).toMatchObject({ l1Hits: 97, l2Hits: 0, misses: 3, loads: 3, entries: 3, version: 0 });
    expect(c.stats().hitRatio).toBeCloseTo(0.97);
  });

  test('the L2 record is JSON with version, fresh_until and data, kept for ttl + stale window', async () => {
    const c = cache({ staleTtlSeconds: 1000 });
    await c.getOrLoad('k', async () => ({ n: 1 }), { ttlSeconds: 60 });
    const write = store.commands.find((command) => command.op === 'set');
    expect(write).toMatchObject({ key: 'cache:k', ttlSeconds: 1060 });
    expect(JSON.parse((write as { value: string }).value)).toEqual({ v: 0, fresh_until: T0 + 60_000, data: { n: 1 } });
  });

  test('20 concurrent misses of one key share one load and one L2 read', async () => {
    const c = cache();
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    const load = async () => {
      calls += 1;
      await gate;
      return 'value';
    };
    const all = Promise.all(Array.from({ length: 20 }, () => c.getOrLoad('hot', load)));
    await new Promise((resolve) => setImmediate(resolve));
    release();
    expect(await all).toEqual(Array.from({ length: 20 }, () => 'value'));
    expect(calls).toBe(1);
    expect(store.roundTrips).toBe(2);
    expect(c.stats()).toMatchObject({ loads: 1, misses: 20 });
  });

  test('a failed shared load rejects every waiter and is not cached', async () => {
    const c = cache();
    const failing = async (): Promise<string> => {
      throw new Error('backend down');
    };
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => c.getOrLoad('k', failing)));
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    const load = loader('ok');
    expect(await c.getOrLoad('k', load)).toBe('ok');
    expect(load.calls).toBe(1);
  });

  test('a second instance on the same store loads nothing the first cached', async () => {
    const first = cache();
    const second = cache();
    for (const key of ['a', 'b', 'c']) await first.getOrLoad(key, loader(key));
    const loads = loader('never');
    for (const key of ['a', 'b', 'c']) expect(await second.getOrLoad(key, loads)).toBe(key);
    for (const key of ['a', 'b', 'c']) expect(await second.getOrLoad(key, loads)).toBe(key);
    expect(loads.calls).toBe(0);
    expect(second.stats()).toMatchObject({ l2Hits: 3, l1Hits: 3, misses: 0, loads: 0 });
  });

  test('the TTL ends freshness in both tiers', async () => {
    const c = cache();
    await c.getOrLoad('k', loader('old'), { ttlSeconds: 10 });
    time.advance(9_999);
    expect(await c.getOrLoad('k', loader('new'))).toBe('old');
    time.advance(1);
    expect(await c.getOrLoad('k', loader('new'))).toBe('new');
    expect(await cache().getOrLoad('k', loader('newer'))).toBe('new');
  });

  test('clear() is seen at once here and by other instances after the version interval', async () => {
    const a = cache({ versionCheckIntervalMs: 5000 });
    const b = cache({ versionCheckIntervalMs: 5000 });
    await a.getOrLoad('k', loader('v1'));
    expect(await b.getOrLoad('k', loader('unused'))).toBe('v1');

    await a.clear();
    expect(a.stats()).toMatchObject({ version: 1, entries: 0 });
    const reload = loader('v2');
    expect(await a.getOrLoad('k', reload)).toBe('v2');
    expect(reload.calls).toBe(1);

    // Within the interval b trusts its version: the documented trade-off.
    store.roundTrips = 0;
    expect(await b.getOrLoad('k', loader('unused'))).toBe('v1');
    expect(store.roundTrips).toBe(0);

    // Past it, one GET of the version key; b drops its L1 and finds a's new entry in L2.
    time.advance(5000);
    const bLoad = loader('unused');
    expect(await b.getOrLoad('k', bLoad)).toBe('v2');
    expect(bLoad.calls).toBe(0);
    expect(store.roundTrips).toBe(2);
    expect(b.stats()).toMatchObject({ version: 1, l2Hits: 2, l1Hits: 1 });
  });

  test('an L1 hit after the interval costs exactly one round trip, then none again', async () => {
    const c = cache({ versionCheckIntervalMs: 1000 });
    await c.getOrLoad('k', loader('v'));
    time.advance(1000);
    store.roundTrips = 0;
    await Promise.all(Array.from({ length: 10 }, () => c.getOrLoad('k', loader('unused'))));
    expect(store.roundTrips).toBe(1);
    expect(store.commands.at(-1)).toEqual({ op: 'get', key: 'cache:version' });
    await c.getOrLoad('k', loader('unused'));
    expect(store.roundTrips).toBe(1);
    expect(c.stats().l1Hits).toBe(11);
  });

  test('load failing after a value was cached: the stale L1 value is served with a warning', async () => {
    const c = cache();
    await c.getOrLoad('k', loader({ name: 'secret-ish value' }), { ttlSeconds: 10 });
    time.advance(70_000);
    const value = await c.getOrLoad('k', async () => {
      throw new Error('backend down');
    });
    expect(value).toEqual({ name: 'secret-ish value' });
    expect(c.stats()).toMatchObject({ staleServed: 1, loads: 2 });
    const warning = log.lines.find((line) => line.msg === 'serving stale cache entry');
    expect(warning).toMatchObject({ level: 'warn', key: 'k', age_s: 60 });
    expect(JSON.stringify(log.lines)).not.toContain('secret-ish');
  });

  test('a new instance serves a stale L2 value when its load fails, within the stale window only', async () => {
    await cache({ staleTtlSeconds: 100 }).getOrLoad('k', loader('stale'), { ttlSeconds: 10 });
    const failing = async (): Promise<string> => {
      throw new Error('backend down');
    };
    time.advance(50_000);
    expect(await cache({ staleTtlSeconds: 100 }).getOrLoad('k', failing)).toBe('stale');
    time.advance(60_000);
    await expect(cache({ staleTtlSeconds: 100 }).getOrLoad('k', failing)).rejects.toThrow('backend down');
  });

  test('the L1 holds at most maxEntries, least recently used out first', async () => {
    const c = cache({ maxEntries: 2 });
    await c.getOrLoad('a', loader('A'));
    await c.getOrLoad('b', loader('B'));
    await c.getOrLoad('a', loader('A'));
    await c.getOrLoad('c', loader('C'));
    expect(c.stats().entries).toBe(2);
    // `b` was least recently used: it comes back from L2, `a` is still in L1.
    store.roundTrips = 0;
    await c.getOrLoad('a', loader('unused'));
    expect(store.roundTrips).toBe(0);
    expect(await c.getOrLoad('b', loader('unused'))).toBe('B');
    expect(store.roundTrips).toBe(1);
    expect(c.stats()).toMatchObject({ l1Hits: 2, l2Hits: 1, loads: 3, entries: 2 });
  });

  test('counts into the current update', async () => {
    const c = cache();
    const counters = emptyCounters();
    await withUpdateCounters(counters, async () => {
      await c.getOrLoad('k', loader(1));
      await c.getOrLoad('k', loader(1));
    });
    await withUpdateCounters(emptyCounters(), () => cache().getOrLoad('k', loader(1)));
    expect(counters).toMatchObject({ cacheMisses: 1, cacheL1Hits: 1, cacheL2Hits: 0, redisRoundTrips: 2 });
  });

  test('a corrupt L2 entry is a miss', async () => {
    await store.exec([{ op: 'set', key: 'cache:k', value: '{not json' }]);
    const load = loader('fresh');
    expect(await cache().getOrLoad('k', load)).toBe('fresh');
    expect(load.calls).toBe(1);
  });

  test('store failing: answers from load and L1, one warning with a fix hint', async () => {
    const broken = failingStore();
    const c = createTwoTierCache({
      store: broken,
      logger: log.logger,
      maxEntries: 10,
      defaultTtlSeconds: 300,
      now: time.now,
    });
    const load = loader('from backend');
    expect(await c.getOrLoad('k', load)).toBe('from backend');
    expect(await c.getOrLoad('k', load)).toBe('from backend');
    expect(await c.getOrLoad('other', loader('x'))).toBe('x');
    expect(load.calls).toBe(1);
    // One failed read, then the store is left alone for storeRetryMs.
    expect(broken.calls).toBe(1);
    const warnings = log.lines.filter((line) => line.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.msg).toBe(
      '[cache] Upstash unreachable, serving from memory: check UPSTASH_REDIS_REST_URL/TOKEN',
    );

    time.advance(5000);
    await c.getOrLoad('third', loader('y'));
    expect(broken.calls).toBe(2);
    // Still within the warning interval: no second line.
    expect(log.lines.filter((line) => line.level === 'warn')).toHaveLength(1);
    await expect(c.clear()).rejects.toThrow('ECONNREFUSED');
  });

  test('an L2 write failure does not fail the read', async () => {
    const memory = createMemoryKvStore({ now: time.now });
    const writesFail: KvStore = {
      kind: 'memory',
      exec: (commands) =>
        commands.some((command) => command.op === 'set') ? Promise.reject(new Error('READONLY')) : memory.exec(commands),
    };
    const c = createTwoTierCache({ store: writesFail, logger: log.logger, maxEntries: 10, defaultTtlSeconds: 300 });
    expect(await c.getOrLoad('k', loader('ok'))).toBe('ok');
    expect(log.lines.filter((line) => line.level === 'warn')).toHaveLength(1);
  });
});

describe('with real Redis through the Upstash bridge', () => {
  let redis: RunningRedis;
  let bridge: UpstashBridge;
  let store: KvStore;
  let log: ReturnType<typeof capturingLogger>;
  let bridgeClosed = false;

  beforeAll(async () => {
    redis = await ensureRedis();
  });
  afterAll(async () => {
    await redis.stop();
  });
  beforeEach(async () => {
    bridge = await startUpstashBridge({ redisUrl: redis.url, prefix: `test:${randomUUID()}:` });
    store = createUpstashKvStore({ url: bridge.url, token: bridge.token, retries: 0, timeoutMs: 1000 });
    log = capturingLogger();
    bridgeClosed = false;
  });
  afterEach(async () => {
    if (!bridgeClosed) await bridge.close();
  });

  function cache(now?: () => number) {
    return createTwoTierCache({
      store,
      logger: log.logger,
      maxEntries: 100,
      defaultTtlSeconds: 300,
      ...(now ? { now } : {}),
    });
  }

  test('100 sequential lookups of 3 keys: 3 loads, 0 requests once warm', async () => {
    const c = cache();
    let loads = 0;
    const keys = ['a', 'b', 'c'];
    for (let i = 0; i < 3; i++) {
      await c.getOrLoad(keys[i] ?? '', async () => ++loads);
    }
    expect(bridge.stats.requests).toBe(6);
    expect(bridge.stats.commandNames).toEqual(['GET', 'GET', 'SET', 'GET', 'GET', 'SET', 'GET', 'GET', 'SET']);
    bridge.resetStats();
    for (let i = 3; i < 100; i++) await c.getOrLoad(keys[i % 3] ?? '', async () => ++loads);
    expect(loads).toBe(3);
    expect(bridge.stats.requests).toBe(0);
  });

  test('20 concurrent misses: 1 load, 2 requests', async () => {
    const c = cache();
    let loads = 0;
    const values = await Promise.all(
      Array.from({ length: 20 }, () =>
        c.getOrLoad('hot', async () => {
          loads += 1;
          await new Promise((resolve) => setTimeout(resolve, 20));
          return 'v';
        }),
      ),
    );
    expect(new Set(values)).toEqual(new Set(['v']));
    expect(loads).toBe(1);
    expect(bridge.stats.requests).toBe(2);
  });

  test('a second instance (new L1, same Redis) makes 0 loads', async () => {
    const first = cache();
    for (const key of ['a', 'b', 'c']) await first.getOrLoad(key, async () => ({ key, list: [1, 2, 3] }));
    const second = cache();
    let loads = 0;
    for (const key of ['a', 'b', 'c']) {
      expect(await second.getOrLoad(key, async () => ++loads)).toEqual({ key, list: [1, 2, 3] });
    }
    expect(loads).toBe(0);
    expect(second.stats()).toMatchObject({ l2Hits: 3, misses: 0 });
  });

  test('clear() is seen by both instances', async () => {
    let t = Date.now();
    const now = () => t;
    const a = cache(now);
    const b = cache(now);
    await a.getOrLoad('k', async () => 'v1');
    expect(await b.getOrLoad('k', async () => 'unused')).toBe('v1');

    await a.clear();
    expect(await a.getOrLoad('k', async () => 'v2')).toBe('v2');
    t += 5000;
    expect(await b.getOrLoad('k', async () => 'unused')).toBe('v2');
    expect(a.stats().version).toBe(1);
    expect(b.stats().version).toBe(1);
  });

  test('bridge closed: still answers from load, with one warning', async () => {
    const c = cache();
    await bridge.close();
    bridgeClosed = true;
    expect(await c.getOrLoad('k', async () => 'from backend')).toBe('from backend');
    expect(await c.getOrLoad('k', async () => 'unused')).toBe('from backend');
    const warnings = log.lines.filter((line) => line.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(String(warnings[0]?.msg)).toMatch(/^\[cache\] Upstash unreachable/);
  });

  test('upstash answering 503: fails open', async () => {
    const c = cache();
    bridge.setFault('unavailable');
    expect(await c.getOrLoad('k', async () => 42)).toBe(42);
    expect(c.stats()).toMatchObject({ misses: 1, loads: 1 });
  });
});
