import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { StoreError, type KvStore } from '../../lib/store/kv-store.js';
import { createMemoryKvStore } from '../../lib/store/memory-kv-store.js';
import { createUpstashKvStore } from '../../lib/store/upstash-kv-store.js';
import { ensureRedis } from '../support/redis-server.js';
import { startUpstashBridge, type UpstashBridge } from '../support/upstash-bridge.js';

let bridge: UpstashBridge;
beforeAll(async () => {
  bridge = await startUpstashBridge({ redisUrl: (await ensureRedis()).url, prefix: `test:${randomBytes(6).toString('hex')}:` });
});
afterAll(() => bridge.close());

const stores: [string, () => KvStore][] = [
  ['memory', () => createMemoryKvStore()],
  ['upstash', () => createUpstashKvStore({ url: bridge.url, token: bridge.token })],
];

describe.each(stores)('%s store', (_kind, make) => {
  test('get, set NX with TTL, del', async () => {
    const store = make();
    const key = `k-${randomBytes(4).toString('hex')}`;
    expect(await store.exec([{ op: 'get', key }])).toEqual([null]);
    expect(await store.exec([{ op: 'set', key, value: 'a', ttlSeconds: 60, onlyIfAbsent: true }, { op: 'get', key }])).toEqual([true, 'a']);
    expect(await store.exec([{ op: 'set', key, value: 'b', onlyIfAbsent: true }, { op: 'get', key }])).toEqual([false, 'a']);
    expect(await store.exec([{ op: 'del', key }, { op: 'get', key }])).toEqual([1, null]);
  });

  test('counters and hashes', async () => {
    const store = make();
    const key = `h-${randomBytes(4).toString('hex')}`;
    expect(await store.exec([{ op: 'hgetall', key }])).toEqual([null]);
    const results = await store.exec([
      { op: 'hincrby', key, field: 'a', by: 2 },
      { op: 'hincrby', key, field: 'a', by: 3 },
      { op: 'hincrby', key, field: 'b', by: 1 },
      { op: 'expire', key, ttlSeconds: 60 },
      { op: 'hgetall', key },
      { op: 'incrby', key: `${key}:n`, by: 7 },
    ]);
    expect(results).toEqual([2, 5, 1, true, { a: '5', b: '1' }, 7]);
  });

  test('sorted sets: ZADD (NX keeps the first score), due members in score order, ZREM claims once', async () => {
    const store = make();
    const key = `z-${randomBytes(4).toString('hex')}`;
    expect(await store.exec([{ op: 'zrangebyscore', key, max: 1e15, count: 10 }])).toEqual([[]]);
    const added = await store.exec([
      { op: 'zadd', key, score: 300, member: 'c' },
      { op: 'zadd', key, score: 100, member: '42:req-a' },
      { op: 'zadd', key, score: 200, member: 'b' },
      { op: 'zadd', key, score: 50, member: 'b', onlyIfAbsent: true },
      { op: 'zadd', key, score: 250, member: 'c' },
    ]);
    expect(added).toEqual([1, 1, 1, 0, 0]);
    expect(await store.exec([{ op: 'zrangebyscore', key, max: 250, count: 10 }])).toEqual([['42:req-a', 'b', 'c']]);
    expect(await store.exec([{ op: 'zrangebyscore', key, max: 250, count: 2 }, { op: 'zrangebyscore', key, max: 99, count: 2 }])).toEqual([['42:req-a', 'b'], []]);
    expect(await store.exec([{ op: 'zrem', key, member: 'b' }, { op: 'zrem', key, member: 'b' }])).toEqual([1, 0]);
    expect(await store.exec([{ op: 'zrangebyscore', key, max: 1e15, count: 10 }])).toEqual([['42:req-a', 'c']]);
  });

  test('unicode values come back intact', async () => {
    const store = make();
    const key = `u-${randomBytes(4).toString('hex')}`;
    const value = JSON.stringify({ text: 'Протекает кран 🚰', n: 1 });
    await store.exec([{ op: 'set', key, value }]);
    expect(await store.exec([{ op: 'get', key }])).toEqual([value]);
  });
});

describe('upstash store', () => {
  test('a pipeline is one request at the bridge', async () => {
    const store = createUpstashKvStore({ url: bridge.url, token: bridge.token });
    bridge.resetStats();
    await store.exec([{ op: 'get', key: 'x' }, { op: 'set', key: 'y', value: '1', ttlSeconds: 5 }]);
    expect(bridge.stats).toMatchObject({ requests: 1, commands: 2 });
  });

  test('a wrong token is a StoreError, then the circuit stays open for a while', async () => {
    let clock = 0;
    const store = createUpstashKvStore({ url: bridge.url, token: 'wrong', breakerMs: 1000, now: () => clock });
    await expect(store.exec([{ op: 'get', key: 'x' }])).rejects.toBeInstanceOf(StoreError);
    bridge.resetStats();
    await expect(store.exec([{ op: 'get', key: 'x' }])).rejects.toThrow('circuit open');
    expect(bridge.stats.requests).toBe(0);
    clock = 1001;
    await expect(store.exec([{ op: 'get', key: 'x' }])).rejects.toBeInstanceOf(StoreError);
    expect(bridge.stats.requests).toBe(1);
  });
});
