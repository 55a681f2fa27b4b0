import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { countedKvStore } from '../../lib/metrics/counted-kv-store.js';
import { emptyCounters, withUpdateCounters } from '../../lib/metrics/update-scope.js';
import { createMemoryKvStore } from '../../lib/store/memory-kv-store.js';
import { createUpstashKvStore } from '../../lib/store/upstash-kv-store.js';
import { ensureRedis } from '../support/redis-server.js';
import { startUpstashBridge, type UpstashBridge } from '../support/upstash-bridge.js';

let bridge: UpstashBridge;

beforeAll(async () => {
  bridge = await startUpstashBridge({ redisUrl: (await ensureRedis()).url, prefix: `test:${randomBytes(6).toString('hex')}:` });
});

afterAll(async () => {
  await bridge.close();
});

describe.each([
  ['memory', () => createMemoryKvStore()],
  ['upstash', () => createUpstashKvStore({ url: bridge.url, token: bridge.token })],
])('counted %s store', (_name, make) => {
  test('one exec is one round trip, counted into the update', async () => {
    const store = countedKvStore(make());
    const counters = emptyCounters();
    const results = await withUpdateCounters(counters, () => store.exec([{ op: 'set', key: 'a', value: '1' }, { op: 'get', key: 'a' }, { op: 'get', key: 'c' }]));
    expect(results).toEqual([true, '1', null]);
    expect(counters).toMatchObject({ redisRoundTrips: 1, redisCommands: 3 });
    await withUpdateCounters(counters, () => store.exec([]));
    expect(counters).toMatchObject({ redisRoundTrips: 1, redisCommands: 3 });
  });

  test('outside an update nothing is counted and nothing fails', async () => {
    const store = countedKvStore(make());
    expect(await store.exec([{ op: 'get', key: 'nothing-here' }])).toEqual([null]);
  });

  test('keeps what the store offers besides exec', () => {
    const inner = make();
    expect(countedKvStore(inner).kind).toBe(inner.kind);
  });
});
