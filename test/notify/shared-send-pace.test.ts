// One send pace for every instance: the instances of a bot share Telegram's ~30 messages a second
// through one token bucket in Upstash (@upstash/ratelimit, one key per bot), each keeping its own
// pacer for the spacing in between. The real notify endpoint on two instances, Redis through the
// Upstash bridge, the fake Bot API; the shared rate is made tiny so that who may send is decided
// by tokens, not by timing.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { App, CreateAppOptions } from '../../lib/app.js';
import { keyNamespace } from '../../lib/store/key-namespace.js';
import { createMemoryKvStore } from '../../lib/store/memory-kv-store.js';
import { createNotifyEndpoint } from '../../lib/webhook/notify-endpoint.js';
import { NOTIFY_SECRET, startHarness, type Harness } from '../support/bot-harness.js';
import { closeServer, listen } from '../support/http.js';
import { redisOf, upstashFault } from '../support/reliability.js';
import { TEST_BOT_TOKEN } from '../support/updates.js';

const NAMESPACE = keyNamespace({ token: TEST_BOT_TOKEN });

let harness: Harness;
const servers: Server[] = [];
let nextUser = 650_000;
let nextEvent = 0;

beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await Promise.all(servers.map(closeServer));
  await harness.close();
});
beforeEach(async () => {
  harness.telegram.reset();
  harness.bridge?.setLatency(0);
  // Every test starts with a full bucket.
  const redis = redisOf(harness);
  const keys = await redis.keys(`${NAMESPACE}:ratelimit:telegram*`);
  if (keys.length > 0) await redis.del(...keys);
});

/** A warm instance with its notify endpoint over HTTP. */
async function instance(overrides: Partial<CreateAppOptions> = {}): Promise<string> {
  const bot = await harness.startInstance(overrides);
  const server = createServer(createNotifyEndpoint({ getApp: async (): Promise<App> => bot.app, getLogger: () => harness.logger }));
  servers.push(server);
  return listen(server);
}

async function post(to: string, extra: Record<string, unknown> = {}): Promise<{ status: number; retryAfter: string | null; body: Record<string, unknown> }> {
  const userId = ++nextUser;
  const response = await fetch(to, {
    method: 'POST',
    headers: { authorization: `Bearer ${NOTIFY_SECRET}`, 'content-type': 'application/json' },
    body: JSON.stringify({ event_id: `pace-${process.pid}-${++nextEvent}`, request_id: `req-${userId}`, number: `SR-${userId}`, status: 'in_progress', telegram_user_id: userId, ...extra }),
  });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as Record<string, unknown> };
}

/** Two tokens, one more every 2 s, shared; each instance's own pacer out of the way; a short wait for a slot. */
const TINY_SHARED_PACE = { notify: { messagesPerSecond: 0, sharedMessagesPerSecond: 0.5, sharedBurst: 2, maxPacingWaitMs: 200 } } as const;

describe('two instances, one pace', () => {
  test('what one instance sent counts at the other: past the shared tokens the other answers 429 without calling Telegram', async () => {
    const a = await instance(TINY_SHARED_PACE);
    const b = await instance(TINY_SHARED_PACE);
    expect((await post(a)).status).toBe(200);
    expect((await post(a)).status).toBe(200);
    const sends = harness.telegram.callsOf('sendMessage').length;
    const refused = await post(b);
    expect(refused).toMatchObject({ status: 429, body: { retry_after: Number(refused.retryAfter) } });
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(2);
    expect(harness.telegram.callsOf('sendMessage')).toHaveLength(sends);
    // Its claim on the event was given back: the backend's retry can send it.
    const redis = redisOf(harness);
    expect(await redis.keys(`${NAMESPACE}:notify:pace-${process.pid}-${nextEvent}`)).toEqual([]);
  });

  test('one key per bot, under the bot’s namespace', async () => {
    const a = await instance(TINY_SHARED_PACE);
    await post(a);
    expect(await redisOf(harness).keys(`${NAMESPACE}:ratelimit:telegram*`)).toEqual([`${NAMESPACE}:ratelimit:telegram:send`]);
  });

  test('without the shared pace (today’s per-instance pacers only) the second instance sends anyway', async () => {
    const alone = { notify: { ...TINY_SHARED_PACE.notify, sharedMessagesPerSecond: 0 } };
    const a = await instance(alone);
    const b = await instance(alone);
    for (const to of [a, a, b]) expect((await post(to)).status).toBe(200);
  });
});

describe('what it costs', () => {
  const paceCalls = () => (harness.bridge?.stats.commandNames ?? []).filter((name) => name.startsWith('EVAL')).length;

  test('a status event: 3 round trips (the claim, one token, the record), 9 commands', async () => {
    const a = await instance();
    await post(a); // the limiter's script is loaded once per Redis: not part of every event's cost
    harness.bridge?.resetStats();
    expect((await post(a)).status).toBe(200);
    expect(harness.bridge?.stats.requests).toBe(3);
    expect(paceCalls()).toBe(1);
    // The claim (lease, its GET, the session), the token (one script call), the record (outcome,
    // swipe-reply notice, the chat's "screen moved" mark, the end of any wait for the person).
    expect(harness.bridge?.stats.commandNames).toEqual(['SET', 'GET', 'GET', 'EVALSHA', 'SET', 'SET', 'SET', 'ZREM', 'DEL']);
  });

  test('a copy of an event sent already takes no token: the pace is asked after the claim', async () => {
    const a = await instance();
    const event = { event_id: `pace-${process.pid}-${++nextEvent}` };
    await post(a, event);
    harness.bridge?.resetStats();
    expect(await post(a, event)).toMatchObject({ status: 200, body: { duplicate: true } });
    expect(harness.bridge?.stats.requests).toBe(1);
    expect(paceCalls()).toBe(0);
  });

  test('sends waiting together on one instance share one ask: fewer token calls than sends', async () => {
    const a = await instance({ notify: { messagesPerSecond: 0, sharedBurst: 5 } });
    await post(a);
    await redisOf(harness).del(`${NAMESPACE}:ratelimit:telegram:send`); // a full bucket again
    harness.bridge?.resetStats();
    // Every Upstash request takes a while: the later sends wait while the first one's token is asked for.
    harness.bridge?.setLatency(60);
    const answers = await Promise.all(Array.from({ length: 4 }, () => post(a)));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    expect(paceCalls()).toBeLessThan(4);
    expect(harness.bridge?.stats.maxInFlight).toBeGreaterThanOrEqual(2);
  });

  test('the in-memory store (no Upstash): the per-instance pacer alone, nothing reaches Redis', async () => {
    const a = await instance({ store: createMemoryKvStore() });
    harness.bridge?.resetStats();
    expect((await post(a)).status).toBe(200);
    expect(harness.bridge?.stats.requests).toBe(0);
  });

  test('Upstash unreachable for the pace: it fails open to the per-instance pacer (an event without event_id is still sent)', async () => {
    const a = await instance();
    const fault = upstashFault(harness.bridge!, 'unavailable');
    const from = harness.logs.length;
    let answer;
    try {
      answer = await post(a, { event_id: undefined });
    } finally {
      fault.stop();
    }
    expect(answer).toMatchObject({ status: 200, body: { delivered: true } });
    expect(harness.logs.slice(from).some((line) => String(line.msg).startsWith('[ratelimit]'))).toBe(true);
  });
});
