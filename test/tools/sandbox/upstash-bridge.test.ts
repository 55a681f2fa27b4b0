// The bridge against the real @upstash/redis (and @upstash/ratelimit) clients.
import { randomBytes } from 'node:crypto';
import { Ratelimit } from '@upstash/ratelimit';
import { Redis, type RedisConfigNodejs } from '@upstash/redis';
import { Redis as IORedis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureRedis, startRedisServer, type RunningRedis } from '../../../tools/sandbox/redis-server.js';
import { startUpstashBridge, type UpstashBridge } from '../../../tools/sandbox/upstash-bridge.js';

let redisServer: RunningRedis;
let bridge: UpstashBridge;
let direct: IORedis;
let raw: Redis; // no auto-pipelining, no deserialization: what the wire says
let auto: Redis; // the client's defaults
let prefix: string;

beforeAll(async () => {
  redisServer = await ensureRedis();
  bridge = await startUpstashBridge({ redisUrl: redisServer.url });
  direct = new IORedis(redisServer.url);
  raw = clientFor(bridge, { enableAutoPipelining: false, automaticDeserialization: false });
  auto = new Redis({ url: bridge.url, token: bridge.token });
});

afterAll(async () => {
  await bridge.close();
  await direct.quit();
  await redisServer.stop();
});

beforeEach(() => {
  prefix = `test:bridge:${randomBytes(6).toString('hex')}:`;
  bridge.resetStats();
  bridge.setLatency(0);
  bridge.setFault('none');
});

afterEach(async () => {
  const keys = await direct.keys(`${prefix}*`);
  if (keys.length > 0) await direct.del(...keys);
});

function clientFor(target: UpstashBridge, options: Omit<RedisConfigNodejs, 'url' | 'token'> = {}): Redis {
  return new Redis({ url: target.url, token: target.token, ...options });
}

/** A POST straight to the bridge, for what the client hides. */
async function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${bridge.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${bridge.token}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

describe('single commands', () => {
  it('sets, gets, increments and deletes', async () => {
    const key = `${prefix}k`;
    expect(await raw.set(key, 'value')).toBe('OK');
    expect(await raw.get(key)).toBe('value');
    expect(await direct.get(key)).toBe('value');
    expect(await raw.incr(`${prefix}n`)).toBe(1);
    expect(await raw.incrby(`${prefix}n`, 41)).toBe(42);
    expect(await raw.exists(key, `${prefix}missing`)).toBe(1);
    expect(await raw.get(`${prefix}missing`)).toBeNull();
    expect(await raw.del(key)).toBe(1);
    expect(await raw.ping()).toBe('PONG');
  });

  it('honours SET with EX and NX', async () => {
    const key = `${prefix}lock`;
    expect(await raw.set(key, 'first', { ex: 60, nx: true })).toBe('OK');
    expect(await raw.set(key, 'second', { ex: 60, nx: true })).toBeNull();
    expect(await raw.get(key)).toBe('first');
    const ttl = await raw.ttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60);
  });

  it('increments hash fields and reads the hash back', async () => {
    const key = `${prefix}h`;
    expect(await raw.hset(key, { a: '1', b: 'two' })).toBe(2);
    expect(await raw.hincrby(key, 'a', 5)).toBe(6);
    // Without deserialization HGETALL is the flat RESP2 array, as on the wire.
    expect(await raw.hgetall(key)).toEqual(['a', '6', 'b', 'two']);
    expect(await auto.hgetall(key)).toEqual({ a: 6, b: 'two' });
  });

  it('answers Redis errors with 400 and the Upstash error shape', async () => {
    const res = await post('/', ['NOSUCHCOMMAND', 'x']);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string };
    expect(body.error).toMatch(/^ERR unknown command/);

    await raw.set(`${prefix}s`, 'text');
    await expect(raw.hincrby(`${prefix}s`, 'f', 1)).rejects.toThrow(/WRONGTYPE/);
  });

  it('returns strings base64-encoded when asked, except "OK", plus a sync token', async () => {
    const key = `${prefix}enc`;
    const set = await post('/', ['SET', key, 'bar'], { 'Upstash-Encoding': 'base64' });
    expect(await set.json()).toEqual({ result: 'OK' });
    const get = await post('/', ['GET', key], { 'Upstash-Encoding': 'base64' });
    expect(await get.json()).toEqual({ result: Buffer.from('bar').toString('base64') });
    expect(get.headers.get('upstash-sync-token')).toMatch(/\S/);
    const plain = await post('/', ['GET', key]);
    expect(await plain.json()).toEqual({ result: 'bar' });
  });

  it('accepts path-style commands with the token in the query', async () => {
    const key = encodeURIComponent(`${prefix}path`);
    const set = await fetch(`${bridge.url}/set/${key}/hello?EX=30&_token=${bridge.token}`);
    expect(await set.json()).toEqual({ result: 'OK' });
    expect(await direct.ttl(`${prefix}path`)).toBeGreaterThan(0);
    expect(bridge.stats.byPath['/set']).toBe(1);
  });
});

describe('values', () => {
  const tricky = [
    'héllo wörld — 你好 🚀',
    'line\nbreak\ttab "quotes" \\ back',
    'SGVsbG8=', // looks like base64 already
    'OK', // the one string Upstash does not encode
    '123', // looks like a number
    '',
  ];

  it('round-trips unicode and awkward strings through the base64 path', async () => {
    for (const [i, value] of tricky.entries()) {
      const key = `${prefix}v${i}`;
      await raw.set(key, value);
      expect(await raw.get(key)).toBe(value);
      expect(await direct.get(key)).toBe(value);
    }
    expect(await raw.mget(...tricky.map((_, i) => `${prefix}v${i}`))).toEqual(tricky);
  });

  it('round-trips them without base64 too', async () => {
    const plain = clientFor(bridge, { responseEncoding: false, automaticDeserialization: false });
    for (const [i, value] of tricky.entries()) {
      await plain.set(`${prefix}p${i}`, value);
      expect(await plain.get(`${prefix}p${i}`)).toBe(value);
    }
  });

  it('keeps bytes that are not UTF-8 intact in base64 and replaces them without it', async () => {
    const key = `${prefix}bin`;
    await direct.set(key, Buffer.from([0xff, 0x00, 0x41]));
    const encoded = await post('/', ['GET', key], { 'Upstash-Encoding': 'base64' });
    expect(await encoded.json()).toEqual({ result: Buffer.from([0xff, 0x00, 0x41]).toString('base64') });
    const plain = await post('/', ['GET', key]);
    expect(await plain.json()).toEqual({ result: '\ufffd\u0000A' });
  });

  it('serializes and deserializes JSON values with the default client', async () => {
    const key = `${prefix}json`;
    await auto.set(key, { step: 'description', photos: ['a', 'b'], n: 3 });
    expect(await auto.get(key)).toEqual({ step: 'description', photos: ['a', 'b'], n: 3 });
  });
});

describe('pipelines and transactions', () => {
  it('runs a pipeline in one request and counts each command', async () => {
    const p = raw.pipeline();
    p.set(`${prefix}a`, '1');
    p.incr(`${prefix}a`);
    p.get(`${prefix}a`);
    expect(await p.exec()).toEqual(['OK', 2, '2']);
    expect(bridge.stats.requests).toBe(1);
    expect(bridge.stats.commands).toBe(3);
    expect(bridge.stats.byPath).toEqual({ '/pipeline': 1 });
    expect(bridge.stats.commandNames).toEqual(['SET', 'INCR', 'GET']);
  });

  it('reports a failing command inside a pipeline without failing the others', async () => {
    await raw.set(`${prefix}s`, 'text');
    const res = await post('/pipeline', [['INCR', `${prefix}s`], ['GET', `${prefix}s`]]);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([{ error: 'ERR value is not an integer or out of range' }, { result: 'text' }]);
  });

  it('runs multi() atomically through /multi-exec', async () => {
    const tx = raw.multi();
    tx.set(`${prefix}t`, '10');
    tx.incrby(`${prefix}t`, 5);
    tx.hset(`${prefix}th`, { f: 'v' });
    tx.expire(`${prefix}t`, 60);
    expect(await tx.exec()).toEqual(['OK', 15, 1, 1]);
    expect(bridge.stats.byPath).toEqual({ '/multi-exec': 1 });
    expect(bridge.stats.commands).toBe(4);
  });

  it('keeps runtime errors per command in a transaction and discards a transaction with a bad command', async () => {
    await raw.set(`${prefix}s`, 'text');
    const tx = raw.multi();
    tx.incr(`${prefix}s`);
    tx.get(`${prefix}s`);
    const results = await tx.exec({ keepErrors: true });
    expect(results[0]?.error).toMatch(/not an integer/);
    expect(results[1]).toEqual({ error: undefined, result: 'text' });

    const res = await post('/multi-exec', [['SET', `${prefix}x`, '1'], ['NOSUCHCOMMAND']]);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/unknown command/);
    expect(await direct.exists(`${prefix}x`)).toBe(0);
  });

  it('batches concurrent commands of the default client into one pipeline request', async () => {
    await raw.set(`${prefix}a`, '1');
    bridge.resetStats();
    const values = await Promise.all([auto.get(`${prefix}a`), auto.get(`${prefix}b`), auto.exists(`${prefix}a`)]);
    expect(values).toEqual([1, null, 1]);
    expect(bridge.stats.requests).toBe(1);
    expect(bridge.stats.byPath).toEqual({ '/pipeline': 1 });
    expect(bridge.stats.commands).toBe(3);
  });
});

describe('scripts', () => {
  const script = 'return {KEYS[1], ARGV[1], redis.call("INCR", KEYS[1])}';

  it('runs EVAL, SCRIPT LOAD and EVALSHA', async () => {
    expect(await raw.eval(script, [`${prefix}c`], ['x'])).toEqual([`${prefix}c`, 'x', 1]);
    const sha = await raw.scriptLoad(script);
    expect(sha).toMatch(/^[0-9a-f]{40}$/);
    expect(await raw.evalsha(sha, [`${prefix}c`], ['y'])).toEqual([`${prefix}c`, 'y', 2]);
  });

  it('answers an unknown sha with NOSCRIPT in the Upstash error shape', async () => {
    const res = await post('/', ['EVALSHA', 'f'.repeat(40), '0']);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'NOSCRIPT No matching script. Please use EVAL.' });
    await expect(raw.evalsha('f'.repeat(40), [], [])).rejects.toThrow(/NOSCRIPT/);
  });

  it('accepts Upstash-only shebang flags and keeps the client sha valid', async () => {
    const flagged = `#!lua flags=allow-key-locking\nreturn redis.call("INCR", KEYS[1])`;
    const sha = await raw.scriptLoad(flagged);
    expect(sha).toBe((await import('node:crypto')).createHash('sha1').update(flagged).digest('hex'));
    expect(await raw.evalsha(sha, [`${prefix}f`], [])).toBe(1);
    expect(await raw.eval(flagged, [`${prefix}f`], [])).toBe(2);
  });

  it('serves @upstash/ratelimit: EVALSHA falls back to EVAL once, then hits', async () => {
    const limiter = new Ratelimit({
      redis: raw,
      limiter: Ratelimit.slidingWindow(2, '10 s'),
      prefix: `${prefix}rl`,
      ephemeralCache: false,
    });
    const outcomes = [];
    for (let i = 0; i < 3; i++) outcomes.push((await limiter.limit('user-1')).success);
    expect(outcomes).toEqual([true, true, false]);
    expect(bridge.stats.commandNames.slice(0, 3)).toEqual(['EVALSHA', 'EVAL', 'EVALSHA']);
    expect(bridge.stats.commandNames.filter((name) => name === 'EVAL')).toHaveLength(1);
  });
});

describe('faults, latency and auth', () => {
  it('rejects a wrong token with 401 Unauthorized', async () => {
    const wrong = new Redis({ url: bridge.url, token: 'wrong', enableAutoPipelining: false });
    await expect(wrong.get(`${prefix}a`)).rejects.toThrow(/Unauthorized/);
    const res = await fetch(bridge.url, { method: 'POST', body: '["PING"]' });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'Unauthorized' });
    expect(bridge.stats.commands).toBe(0);
  });

  it('adds the configured latency to each request', async () => {
    bridge.setLatency(80);
    const started = performance.now();
    await raw.get(`${prefix}a`);
    expect(performance.now() - started).toBeGreaterThanOrEqual(75);

    const slow = await startUpstashBridge({ redisUrl: redisServer.url, latencyMs: 60 });
    try {
      const client = new Redis({ url: slow.url, token: slow.token, enableAutoPipelining: false });
      const t0 = performance.now();
      await client.ping();
      expect(performance.now() - t0).toBeGreaterThanOrEqual(55);
      // fetch keeps connections alive (undici may open a second one right after its very first request).
      await client.ping();
      const warm = slow.stats.connections;
      expect(warm).toBeGreaterThanOrEqual(1);
      for (let i = 0; i < 3; i++) await client.ping();
      expect(slow.stats).toMatchObject({ requests: 5, connections: warm });
    } finally {
      await slow.close();
    }
  });

  it('simulates an unauthorized and an unavailable service', async () => {
    bridge.setFault('unauthorized');
    await expect(raw.get(`${prefix}a`)).rejects.toThrow(/Unauthorized/);
    bridge.setFault('unavailable');
    await expect(raw.get(`${prefix}a`)).rejects.toThrow(/Service Unavailable/);
    expect((await post('/', ['PING'])).status).toBe(503);
  });

  it('answers errors, not hangs, when Redis itself goes away', async () => {
    const privateRedis = await startRedisServer();
    const fragile = await startUpstashBridge({ redisUrl: privateRedis.url });
    try {
      const client = new Redis({ url: fragile.url, token: fragile.token, enableAutoPipelining: false });
      expect(await client.set('k', 'v')).toBe('OK');
      await privateRedis.stop();
      await expect(client.get('k')).rejects.toThrow(/\S/);
    } finally {
      await fragile.close();
      await privateRedis.stop();
    }
  });

  it('never answers while hanging', async () => {
    bridge.setFault('hang');
    const answer = fetch(bridge.url, {
      method: 'POST',
      headers: { authorization: `Bearer ${bridge.token}` },
      body: '["PING"]',
      signal: AbortSignal.timeout(300),
    });
    await expect(answer).rejects.toThrow(/abort|timeout/i);
    expect(bridge.stats.requests).toBe(1);
    bridge.setFault('none');
    expect(await raw.ping()).toBe('PONG');
  });

  it('closes promptly with a hanging request open', async () => {
    const hanging = await startUpstashBridge({ redisUrl: redisServer.url });
    hanging.setFault('hang');
    const pending = fetch(hanging.url, { method: 'POST', body: '["PING"]' }).catch((error: unknown) => error);
    while (hanging.stats.requests === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const started = performance.now();
    await hanging.close();
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(await pending).toBeInstanceOf(Error);
  });
});

describe('key prefix', () => {
  it('namespaces keys, hides the namespace from KEYS and SCAN, and deletes it on close', async () => {
    const namespaced = await startUpstashBridge({ redisUrl: redisServer.url, prefix });
    const client = clientFor(namespaced, { enableAutoPipelining: false, automaticDeserialization: false });
    await client.set('session:1', 'a');
    await client.hset('h', { f: '1' });
    expect(await client.eval('return redis.call("GET", KEYS[1])', ['session:1'], [])).toBe('a');
    expect(await direct.get(`${prefix}session:1`)).toBe('a');
    expect((await client.keys('*')).sort()).toEqual(['h', 'session:1']);
    // Redis is shared with the other test files (the notification burst alone keeps 1,000 keys for
    // a while): the scan may take several pages, and every page is namespaced.
    const scanned: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, { count: 1000 });
      scanned.push(...keys);
      cursor = String(next);
    } while (cursor !== '0');
    expect(scanned.sort()).toEqual(['h', 'session:1']);
    await expect(client.flushdb()).rejects.toThrow(/not available/);
    await namespaced.close();
    expect(await direct.keys(`${prefix}*`)).toEqual([]);
  });
});
