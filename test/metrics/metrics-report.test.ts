import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createLogger } from '../../lib/logger.js';
import { createMetricsRecorder, type MetricsRecorder } from '../../lib/metrics/metrics-recorder.js';
import { formatSummaryLine, readMetricsSummary, sparkline, type MetricsSummary } from '../../lib/metrics/metrics-report.js';
import { emptyCounters, type UpdateCounters } from '../../lib/metrics/update-scope.js';
import type { KvStore } from '../../lib/store/kv-store.js';
import { createMemoryKvStore } from '../../lib/store/memory-kv-store.js';
import { createUpstashKvStore } from '../../lib/store/upstash-kv-store.js';
import { ensureRedis, type RunningRedis } from '../support/redis-server.js';
import { startUpstashBridge, type UpstashBridge } from '../support/upstash-bridge.js';

const HOUR = 3_600_000;
const logger = createLogger({ level: 'silent' });

/**
 * 100 updates over three hours: 40 at 60 ms, 50 at 120 ms, 10 at 400 ms; 3 cold starts, 1 error;
 * 40 backend calls of 250 ms; 80 cache hits and 20 misses.
 */
async function recordKnownData(store: KvStore, start: number): Promise<void> {
  let t = start;
  const recorder: MetricsRecorder = createMetricsRecorder({ store, logger, now: () => t });
  const record = (ms: number, counters: Partial<UpdateCounters>, i: number) =>
    recorder.recordUpdate({
      handler: 'start',
      ms,
      coldStart: i < 3,
      error: i === 99,
      counters: { ...emptyCounters(), ...counters },
    });
  for (let i = 0; i < 100; i++) {
    // 10 updates two hours ago, 30 an hour ago, 60 in the current hour.
    t = start + (i < 10 ? 0 : i < 40 ? HOUR : 2 * HOUR);
    const ms = i % 10 === 9 ? 400 : i % 10 < 4 ? 60 : 120;
    const backend = i < 40 ? { backendCalls: 1, backendMs: 250 } : {};
    const cache = i < 80 ? { cacheL1Hits: 1 } : { cacheMisses: 1 };
    record(ms, { ...backend, ...cache }, i);
  }
  await recorder.flush();
}

const START = Date.UTC(2025, 0, 1, 10, 15, 0);
const END = START + 2 * HOUR;

describe('readMetricsSummary', () => {
  test('sums the last hours in one round trip and estimates quantiles', async () => {
    const memory = createMemoryKvStore();
    await recordKnownData(memory, START);
    let roundTrips = 0;
    const store: KvStore = { kind: 'memory', exec: (commands) => (roundTrips++, memory.exec(commands)) };

    const summary = await readMetricsSummary({ store, hours: 24, now: () => END });
    expect(roundTrips).toBe(1);
    expect(summary).toEqual({
      hours: 24,
      updates: 100,
      errors: 1,
      coldStarts: 3,
      p50Ms: 110,
      p95Ms: 400,
      backendCalls: 40,
      backendAvgMs: 250,
      cacheHitRatio: 0.8,
      perHour: [...Array.from({ length: 21 }, () => 0), 10, 30, 60],
    });
  });

  test('a window that leaves out older hours', async () => {
    const store = createMemoryKvStore();
    await recordKnownData(store, START);
    const summary = await readMetricsSummary({ store, hours: 2, now: () => END });
    expect(summary.updates).toBe(90);
    expect(summary.perHour).toEqual([30, 60]);
  });

  test('no data: zeros and nulls', async () => {
    const summary = await readMetricsSummary({ store: createMemoryKvStore(), hours: 3, now: () => END });
    expect(summary).toEqual({
      hours: 3,
      updates: 0,
      errors: 0,
      coldStarts: 0,
      p50Ms: null,
      p95Ms: null,
      backendCalls: 0,
      backendAvgMs: null,
      cacheHitRatio: null,
      perHour: [0, 0, 0],
    });
    expect(formatSummaryLine(summary)).toBe(
      'Bot performance metrics (last 3 h): updates 0, backend calls 0, cache hits n/a, cold starts 0, errors 0',
    );
  });

  describe('with real Redis through the Upstash bridge', () => {
    let redis: RunningRedis;
    beforeAll(async () => {
      redis = await ensureRedis();
    });
    afterAll(async () => {
      await redis.stop();
    });

    async function withBridgeStore(fn: (store: KvStore, bridge: UpstashBridge) => Promise<void>): Promise<void> {
      const bridge = await startUpstashBridge({ redisUrl: redis.url, prefix: `test:${randomUUID()}:` });
      try {
        await fn(createUpstashKvStore({ url: bridge.url, token: bridge.token }), bridge);
      } finally {
        await bridge.close();
      }
    }

    test('24 hours are one request of 24 HGETALL', async () => {
      await withBridgeStore(async (store, bridge) => {
        await recordKnownData(store, START);
        bridge.resetStats();
        await readMetricsSummary({ store, hours: 24, now: () => END });
        expect(bridge.stats.requests).toBe(1);
        expect(bridge.stats.commandNames).toEqual(Array.from({ length: 24 }, () => 'HGETALL'));
      });
    });

    // Upstash answers HGETALL as a flat [field, value, ...] array without automatic
    // deserialization; the store must pair it up exactly as the memory store answers.
    test('the same numbers as the memory store', async () => {
      await withBridgeStore(async (store) => {
        await recordKnownData(store, START);
        const summary = await readMetricsSummary({ store, hours: 24, now: () => END });
        expect(summary).toMatchObject({ updates: 100, p50Ms: 110, p95Ms: 400, cacheHitRatio: 0.8 });
      });
    });
  });
});

test('sparkline', () => {
  expect(sparkline([])).toBe('');
  expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7])).toBe('▁▂▃▄▅▆▇█');
  expect(sparkline([10, 30, 60])).toBe('▂▅█');
  expect(sparkline([0, 0, 0])).toBe('▁▁▁');
  expect(sparkline([5, 5])).toBe('██');
});

test('formatSummaryLine', () => {
  const summary: MetricsSummary = {
    hours: 24,
    updates: 150,
    errors: 0,
    coldStarts: 3,
    p50Ms: 120,
    p95Ms: 300,
    backendCalls: 40,
    backendAvgMs: 250,
    cacheHitRatio: 0.8,
    perHour: [],
  };
  expect(formatSummaryLine(summary)).toBe(
    'Bot performance metrics (last 24 h): updates 150 (p50 120 ms, p95 300 ms), ' +
      'backend calls 40 (avg 250 ms), cache hits 80%, cold starts 3, errors 0',
  );
});
