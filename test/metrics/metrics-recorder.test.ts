import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createMetricsRecorder, metricsBucketKey, type UpdateRecord } from '../../lib/metrics/metrics-recorder.js';
import { emptyCounters, type UpdateCounters } from '../../lib/metrics/update-scope.js';
import type { KvCommand, KvResults, KvStore } from '../../lib/store/kv-store.js';
import { createMemoryKvStore } from '../../lib/store/memory-kv-store.js';
import { createUpstashKvStore } from '../../lib/store/upstash-kv-store.js';
import { ensureRedis, type RunningRedis } from '../support/redis-server.js';
import { capturingLogger } from '../support/logs.js';
import { startUpstashBridge } from '../support/upstash-bridge.js';

const T0 = Date.UTC(2025, 0, 1, 12, 30, 0);


/** Records every batch; `fail` makes the next exec calls reject. */
function recordingStore(inner: KvStore): KvStore & { batches: KvCommand[][]; fail: boolean } {
  const wrapper = {
    kind: inner.kind,
    batches: [] as KvCommand[][],
    fail: false,
    exec<const T extends readonly KvCommand[]>(commands: T): Promise<KvResults<T>> {
      wrapper.batches.push([...commands]);
      if (wrapper.fail) return Promise.reject(new Error('fetch failed'));
      return inner.exec(commands);
    },
  };
  return wrapper;
}

function update(overrides: Partial<UpdateRecord> = {}, counters: Partial<UpdateCounters> = {}): UpdateRecord {
  return {
    handler: 'start',
    ms: 120,
    coldStart: false,
    error: false,
    counters: { ...emptyCounters(), ...counters },
    ...overrides,
  };
}

test('bucket keys are hourly, in UTC', () => {
  expect(metricsBucketKey(Date.UTC(2025, 0, 1, 12, 59, 59))).toBe('metrics:2025010112');
  expect(metricsBucketKey(Date.UTC(2025, 11, 31, 23, 0, 0))).toBe('metrics:2025123123');
});

describe('with the in-memory store', () => {
  let t: number;
  const now = () => t;
  let memory: ReturnType<typeof createMemoryKvStore>;
  let store: ReturnType<typeof recordingStore>;
  let log: ReturnType<typeof capturingLogger>;

  beforeEach(() => {
    t = T0;
    memory = createMemoryKvStore({ now });
    store = recordingStore(memory);
    log = capturingLogger();
  });

  const recorder = () => createMetricsRecorder({ store, logger: log.logger, now });
  const hash = async (key: string) => (await memory.exec([{ op: 'hgetall', key }]))[0];

  test('flushIfDue waits for the interval from the instance start: a cold /start pays no metrics round trip', async () => {
    const r = recorder();
    r.recordUpdate(update({ coldStart: true }));
    await r.flushIfDue();
    expect(store.batches).toHaveLength(0);
    r.recordUpdate(update());
    t += 4999;
    await r.flushIfDue();
    expect(store.batches).toHaveLength(0);
    t += 1;
    await r.flushIfDue();
    expect(store.batches).toHaveLength(1);
    expect((await hash('metrics:2025010112'))?.updates).toBe('2');
    expect((await hash('metrics:2025010112'))?.cold_starts).toBe('1');
    r.recordUpdate(update());
    t += 4999;
    await r.flushIfDue();
    expect(store.batches).toHaveLength(1);
  });

  test('flushIfDue writes everything pending in one exec', async () => {
    const r = recorder();
    await r.flush();
    expect(store.batches).toHaveLength(0);
    r.recordUpdate(
      update({ coldStart: true }, { backendCalls: 1, backendMs: 240, cacheMisses: 1, redisRoundTrips: 2, redisCommands: 3, telegramCalls: 1 }),
    );
    r.recordUpdate(update({ handler: 'new-request', ms: 30, error: true }, { cacheL1Hits: 2 }));
    r.recordTiming('backend.listSides', 240, false);
    await r.flushIfDue();
    expect(store.batches).toHaveLength(0);

    t += 5000;
    await r.flushIfDue();
    expect(store.batches).toHaveLength(1);
    const batch = store.batches[0] ?? [];
    expect(batch.filter((c) => c.op === 'expire')).toEqual([
      { op: 'expire', key: 'metrics:2025010112', ttlSeconds: 8 * 24 * 3600 },
    ]);
    expect(batch.every((c) => c.op === 'hincrby' || c.op === 'expire')).toBe(true);
    expect(batch.every((c) => c.op !== 'hincrby' || c.by !== 0)).toBe(true);
    expect(await hash('metrics:2025010112')).toEqual({
      updates: '2',
      errors: '1',
      cold_starts: '1',
      update_ms: '150',
      update_le_150: '1',
      update_le_50: '1',
      'handler:start': '1',
      'handler:new-request': '1',
      backend_calls: '1',
      backend_ms: '240',
      backend_le_300: '1',
      cache_l1: '2',
      cache_miss: '1',
      redis_round_trips: '2',
      redis_commands: '3',
      telegram_calls: '1',
      'timing:backend.listSides:count': '1',
      'timing:backend.listSides:ms': '240',
      'timing:backend.listSides:le_300': '1',
    });
    expect(batch).toHaveLength(20);
    expect(r.pendingFields()).toBe(0);

    // Nothing pending: no round trip, even when due.
    t += 5000;
    await r.flushIfDue();
    expect(store.batches).toHaveLength(1);
  });

  test('a failed flush keeps the counters for the next one and warns', async () => {
    const r = recorder();
    r.recordUpdate(update());
    store.fail = true;
    await r.flush();
    expect(r.pendingFields()).toBe(4);
    expect(log.lines).toHaveLength(1);
    expect(log.lines[0]).toMatchObject({ level: 'warn' });
    expect(String(log.lines[0]?.msg)).toMatch(/^\[metrics\] .*UPSTASH_REDIS_REST_URL/);

    store.fail = false;
    r.recordUpdate(update());
    await r.flush();
    expect(await hash('metrics:2025010112')).toMatchObject({ updates: '2', update_ms: '240', update_le_150: '2' });
    expect(r.pendingFields()).toBe(0);
  });

  test('counts stay in the hour they were recorded in', async () => {
    const r = recorder();
    r.recordUpdate(update());
    t = Date.UTC(2025, 0, 1, 13, 0, 1);
    r.recordUpdate(update());
    r.recordUpdate(update());
    await r.flush();
    expect(store.batches).toHaveLength(1);
    expect(store.batches[0]?.filter((c) => c.op === 'expire').map((c) => c.key)).toEqual([
      'metrics:2025010112',
      'metrics:2025010113',
    ]);
    expect((await hash('metrics:2025010112'))?.updates).toBe('1');
    expect((await hash('metrics:2025010113'))?.updates).toBe('2');
  });

  test('updates recorded during a flush go to the next one', async () => {
    const r = recorder();
    r.recordUpdate(update());
    const flushing = r.flush();
    r.recordUpdate(update());
    await flushing;
    expect(r.pendingFields()).toBe(4);
    await r.flush();
    expect((await hash('metrics:2025010112'))?.updates).toBe('2');
  });
});

describe('with real Redis through the Upstash bridge', () => {
  let redis: RunningRedis;

  beforeAll(async () => {
    redis = await ensureRedis();
  });
  afterAll(async () => {
    await redis.stop();
  });

  test('a flush is one request', async () => {
    const prefix = `test:${randomUUID()}:`;
    const bridge = await startUpstashBridge({ redisUrl: redis.url, prefix });
    // Read back with a plain Redis client: what landed in Redis, whatever the store's read path does.
    const direct = new Redis(redis.url, { keyPrefix: prefix });
    try {
      const store = createUpstashKvStore({ url: bridge.url, token: bridge.token });
      const r = createMetricsRecorder({ store, logger: capturingLogger().logger });
      for (let i = 0; i < 50; i++) r.recordUpdate(update({ ms: 10 + i }, { cacheL1Hits: 1 }));
      await r.flush();
      expect(bridge.stats.requests).toBe(1);
      expect(bridge.stats.commandNames.filter((name) => name === 'EXPIRE')).toHaveLength(1);
      const key = metricsBucketKey(Date.now());
      expect(await direct.hgetall(key)).toMatchObject({ updates: '50', cache_l1: '50', 'handler:start': '50' });
      expect(await direct.ttl(key)).toBe(8 * 24 * 3600);
    } finally {
      direct.disconnect();
      await bridge.close();
    }
  });
});
