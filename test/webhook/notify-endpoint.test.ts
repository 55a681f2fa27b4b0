// POST /api/notify over HTTP: the real endpoint and app, Redis through the Upstash bridge, the
// fake Bot API. What the backend must hear: 200 when told (or told before, or blocked), 429 or
// 503 with Retry-After when it should try again later, and a retried event is never sent twice.
import { createServer } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { App } from '../../lib/app.js';
import { createUpstashKvStore } from '../../lib/store/upstash-kv-store.js';
import { createNotifyEndpoint } from '../../lib/webhook/notify-endpoint.js';
import { NOTIFY_SECRET, startHarness, type BotInstance, type Harness } from '../support/bot-harness.js';
import { closeServer, freePort, listen } from '../support/http.js';
import { redisOf, upstashFault } from '../support/reliability.js';
import { TEST_BOT_TOKEN } from '../support/updates.js';
import { keyNamespace } from '../../lib/store/key-namespace.js';

/** The store puts every key under the bot's namespace. */
const NAMESPACE = keyNamespace({ token: TEST_BOT_TOKEN });

let harness: Harness;
let bot: BotInstance;
let url: string;
let nextUser = 670_000;
let nextEvent = 0;
const servers: ReturnType<typeof createServer>[] = [];

async function serve(app: App): Promise<string> {
  const server = createServer(createNotifyEndpoint({ getApp: async () => app, getLogger: () => harness.logger }));
  servers.push(server);
  return listen(server);
}

beforeAll(async () => {
  harness = await startHarness();
  bot = await harness.startInstance();
  url = await serve(bot.app);
});
afterAll(async () => {
  await Promise.all(servers.map(closeServer));
  await harness.close();
});
beforeEach(() => {
  harness.telegram.reset();
  harness.telegram.setLatency(0);
});

interface Answer {
  readonly status: number;
  readonly retryAfter: string | null;
  readonly body: Record<string, unknown>;
}

async function post(body: unknown, to = url): Promise<Answer> {
  const response = await fetch(to, {
    method: 'POST',
    headers: { authorization: `Bearer ${NOTIFY_SECRET}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as Record<string, unknown> };
}

/** Another warm instance on the same store and Bot API (its own send pace), served over HTTP. */
async function freshInstance(): Promise<string> {
  return serve((await harness.startInstance()).app);
}

function statusEvent(extra: Record<string, unknown> = {}) {
  return { request_id: 'req-1', number: 'SR-7', status: 'resolved', telegram_user_id: ++nextUser, ...extra };
}

function eventId(): string {
  return `evt-${process.pid}-${++nextEvent}`;
}

const sentTo = (userId: number) => harness.telegram.callsOf('sendMessage').filter((call) => call.payload.chat_id === userId);
const delivered = (userId: number) => sentTo(userId).filter((call) => call.status === 200);
const TOO_MANY = (seconds: number) => ({ status: 429, description: `Too Many Requests: retry after ${seconds}`, retry_after: seconds });

describe('answers', () => {
  test('tells the person, with a button that opens the request', async () => {
    const event = statusEvent();
    const answer = await post(event);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ delivered: true, messageId: 1 });
    const [call] = sentTo(event.telegram_user_id);
    expect(call?.payload.text).toContain('SR-7');
    expect(call?.payload.text).toContain('Resolved');
    expect(JSON.stringify(call?.payload.reply_markup)).toContain('o:en:req-1');
  });

  test('a person who blocked the bot is an answer, not a retry', async () => {
    harness.telegram.failNext('sendMessage', { status: 403, description: 'Forbidden: bot was blocked by the user' });
    const answer = await post(statusEvent({ event_id: eventId() }));
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ delivered: false, reason: 'blocked' });
  });

  test('Telegram 429: 429 with Telegram’s retry_after as Retry-After, not retried by the bot', async () => {
    const event = statusEvent({ event_id: eventId() });
    harness.telegram.failNext('sendMessage', TOO_MANY(7));
    const answer = await post(event, await freshInstance()); // the 429 pauses its instance's sends
    expect(answer).toMatchObject({ status: 429, retryAfter: '7', body: { retry_after: 7 } });
    expect(sentTo(event.telegram_user_id).map((call) => call.status)).toEqual([429]);
  });

  test('Telegram 5xx: 503 with a short Retry-After', async () => {
    harness.telegram.failNext('sendMessage', { status: 502, description: 'Bad Gateway' });
    const answer = await post(statusEvent({ event_id: eventId() }));
    expect(answer.status).toBe(503);
    expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(answer.retryAfter)).toBeLessThanOrEqual(5);
    expect(answer.body).toMatchObject({ retry_after: Number(answer.retryAfter) });
  });

  test('Telegram unreachable: 503 with Retry-After', async () => {
    const dead = `http://127.0.0.1:${await freePort()}`;
    const instance = await harness.startInstance({ config: { ...harness.config, telegram: { ...harness.config.telegram, apiRoot: dead } } });
    const answer = await post(statusEvent({ event_id: eventId() }), await serve(instance.app));
    expect(answer.status).toBe(503);
    expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);
  });

  test('a send that times out: 503, the event freed for the retry (at least once: Telegram may have taken it)', async () => {
    const instance = await harness.startInstance({ notify: { sendTimeoutMs: 200, leaseSeconds: 2, maxPacingWaitMs: 100 } });
    const impatient = await serve(instance.app);
    const event = statusEvent({ event_id: eventId() });
    harness.telegram.setLatency(600);
    const timedOut = await post(event, impatient);
    expect(timedOut.status).toBe(503);
    harness.telegram.setLatency(0);
    expect(await post(event, impatient)).toMatchObject({ status: 200, body: { delivered: true } });
    // The fake, like Telegram, went on with the first send after the bot stopped waiting.
    await expect.poll(() => delivered(event.telegram_user_id).length).toBe(2);
  });

  test('400 names a bad event_id or an unknown kind', async () => {
    for (const bad of ['', 'has space', 'x'.repeat(129), 'ünïcode', 42]) {
      const answer = await post(statusEvent({ event_id: bad }));
      expect(answer).toMatchObject({ status: 400, body: { fields: ['event_id'] } });
    }
    expect(await post(statusEvent({ kind: 'lunch' }))).toMatchObject({ status: 400, body: { fields: ['kind'] } });
    const fine = await post(statusEvent({ kind: 'status', event_id: `A-z_0.9:${'x'.repeat(120)}` }));
    expect(fine.status).toBe(200);
    expect(harness.telegram.callsOf('sendMessage')).toHaveLength(1);
  });
});

describe('de-duplication on event_id', () => {
  test('a retried event that was delivered is not sent again: 200 duplicate', async () => {
    const event = statusEvent({ event_id: eventId() });
    const first = await post(event);
    const again = await post(event);
    expect(first).toMatchObject({ status: 200, body: { delivered: true, messageId: 1 } });
    expect(again).toMatchObject({ status: 200, body: { delivered: true, duplicate: true, messageId: 1 } });
    expect(sentTo(event.telegram_user_id)).toHaveLength(1);
  });

  test('a blocked event answered again says so without calling Telegram', async () => {
    const event = statusEvent({ event_id: eventId() });
    harness.telegram.failNext('sendMessage', { status: 403, description: 'Forbidden: bot was blocked by the user' });
    await post(event);
    expect(await post(event)).toMatchObject({ status: 200, body: { delivered: false, reason: 'blocked', duplicate: true } });
    expect(sentTo(event.telegram_user_id)).toHaveLength(1);
  });

  test('a failed send releases the event: the retry delivers it, once', async () => {
    const event = statusEvent({ event_id: eventId() });
    harness.telegram.failNext('sendMessage', { status: 500, description: 'Internal Server Error' });
    expect((await post(event)).status).toBe(503);
    harness.telegram.failNext('sendMessage', TOO_MANY(5));
    const paused = await freshInstance(); // the 429 pauses this instance's sends; the retry goes to the usual one
    expect((await post(event, paused)).status).toBe(429);
    expect(await post(event)).toMatchObject({ status: 200, body: { delivered: true } });
    expect(await post(event)).toMatchObject({ status: 200, body: { delivered: true, duplicate: true } });
    expect(sentTo(event.telegram_user_id).map((call) => call.status)).toEqual([500, 429, 200]);
  });

  test('the same event at another instance while the first is sending: 503 Retry-After, then duplicate', async () => {
    const otherUrl = await freshInstance();
    const event = statusEvent({ event_id: eventId() });
    harness.telegram.setLatency(400);
    const first = post(event);
    // The fake records a call when it arrives and answers after its latency: the send is in flight.
    while (sentTo(event.telegram_user_id).length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const meanwhile = await post(event, otherUrl);
    expect(meanwhile.status).toBe(503);
    expect(meanwhile.retryAfter).toBe('1');
    expect((await first).body).toMatchObject({ delivered: true });
    expect(await post(event, otherUrl)).toMatchObject({ status: 200, body: { delivered: true, duplicate: true } });
    expect(sentTo(event.telegram_user_id)).toHaveLength(1);
  });

  test('concurrent copies of one event: one message', async () => {
    const event = statusEvent({ event_id: eventId() });
    harness.telegram.setLatency(50);
    const answers = await Promise.all(Array.from({ length: 10 }, () => post(event)));
    expect(delivered(event.telegram_user_id)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 200 && a.body.duplicate === undefined)).toHaveLength(1);
    for (const answer of answers.filter((a) => a.status !== 200)) expect(answer).toMatchObject({ status: 503, retryAfter: '1' });
  });

  test('the marker is notify:{event_id} and lives 24 h once sent', async () => {
    const id = eventId();
    await post(statusEvent({ event_id: id }));
    const redis = redisOf(harness);
    const ttl = await redis.ttl(`${NAMESPACE}:notify:${id}`);
    expect(ttl).toBeGreaterThan(86_000);
    expect(ttl).toBeLessThanOrEqual(86_400);
  });

  test('without event_id: today’s behaviour, every post sends', async () => {
    const event = statusEvent();
    await post(event);
    await post(event);
    expect(delivered(event.telegram_user_id)).toHaveLength(2);
  });
});

describe('store round trips', () => {
  const bridgeRequests = () => harness.bridge?.stats.requests ?? Number.NaN;

  test('with event_id: one before sending, one after; a duplicate costs one', async () => {
    const event = statusEvent({ event_id: eventId() });
    let before = bridgeRequests();
    await post(event);
    expect(bridgeRequests() - before).toBe(2);
    before = bridgeRequests();
    await post(event);
    expect(bridgeRequests() - before).toBe(1);
  });

  test('without event_id: the language read before, the swipe-reply record after', async () => {
    const before = bridgeRequests();
    await post(statusEvent());
    expect(bridgeRequests() - before).toBe(2);
  });

  test('store down: an event is not sent blind (503, then delivered once); without event_id it is sent', async () => {
    const down = await freshInstance(); // its store's circuit opens on the failure
    const event = statusEvent({ event_id: eventId() });
    const bare = statusEvent();
    const from = harness.logs.length;
    const fault = upstashFault(harness.bridge!, 'unavailable');
    const refused = await post(event, down);
    const sentAnyway = await post(bare, down);
    fault.stop();
    expect(refused).toMatchObject({ status: 503, body: { retry_after: Number(refused.retryAfter) } });
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(sentTo(event.telegram_user_id)).toEqual([]);
    expect(sentAnyway).toMatchObject({ status: 200, body: { delivered: true } });
    expect(delivered(bare.telegram_user_id)).toHaveLength(1);
    // The refusal (error), the language (warn), the swipe-reply record of the message sent anyway (warn).
    expect(harness.logs.slice(from).filter((line) => String(line.msg).startsWith('[store]')).map((line) => line.level)).toEqual(['error', 'warn', 'warn']);
    expect(await post(event)).toMatchObject({ status: 200, body: { delivered: true } });
    expect(delivered(event.telegram_user_id)).toHaveLength(1);
  });
});

describe('the store fails right after the send', () => {
  test('the outcome is still recorded before answering: a copy is a duplicate, not a second message', async () => {
    const bridge = harness.bridge!;
    // Its own store with a short circuit breaker, so the record can be retried within the lease.
    const store = createUpstashKvStore({ url: bridge.url, token: bridge.token, breakerMs: 100 });
    const instance = await harness.startInstance({ store, notify: { leaseSeconds: 3, sendTimeoutMs: 1_000, maxPacingWaitMs: 100 } });
    const instanceUrl = await serve(instance.app);
    const id = eventId();
    const event = statusEvent({ event_id: id });
    harness.telegram.setLatency(300);
    const answer = post(event, instanceUrl);
    await expect.poll(() => sentTo(event.telegram_user_id).length, { interval: 5 }).toBe(1); // the send is in flight
    const before = bridge.stats.requests;
    const fault = upstashFault(bridge, 'unavailable');
    await expect.poll(() => bridge.stats.requests, { interval: 5, timeout: 5_000 }).toBeGreaterThan(before); // the record met it
    fault.stop();
    expect(await answer).toMatchObject({ status: 200, body: { delivered: true, messageId: 1 } });
    const redis = redisOf(harness);
    expect(await redis.get(`${NAMESPACE}:notify:${id}`)).toBe('sent:1');
    expect(await redis.ttl(`${NAMESPACE}:notify:${id}`)).toBeGreaterThan(86_000);
    harness.telegram.setLatency(0);
    expect(await post(event, instanceUrl)).toMatchObject({ status: 200, body: { delivered: true, duplicate: true } });
    expect(delivered(event.telegram_user_id)).toHaveLength(1);
  });
});

describe('pacing', () => {
  test('after a 429 the instance answers 429 at once, without Telegram or the store', async () => {
    const instanceUrl = await freshInstance();
    harness.telegram.failNext('sendMessage', TOO_MANY(5));
    expect((await post(statusEvent({ event_id: eventId() }), instanceUrl)).status).toBe(429);
    const calls = harness.telegram.calls.length;
    const before = harness.bridge?.stats.requests;
    const next = await post(statusEvent({ event_id: eventId() }), instanceUrl);
    expect(next.status).toBe(429);
    expect(Number(next.retryAfter)).toBeGreaterThanOrEqual(4);
    expect(Number(next.retryAfter)).toBeLessThanOrEqual(5);
    expect(harness.telegram.calls.length).toBe(calls);
    expect(harness.bridge?.stats.requests).toBe(before);
  });
});

describe('what a caller can make the bot do', () => {
  const commentEvent = (extra: Record<string, unknown> = {}, comment: Record<string, unknown> = {}) => ({
    kind: 'comment',
    request_id: 'req-1',
    number: 'SR-7',
    telegram_user_id: ++nextUser,
    comment: { author_name: 'Anna', text: 'Which floor?', ...comment },
    ...extra,
  });

  test('400 with the field for a request_id no button can carry, a number over 64, an author_name over 128', async () => {
    const cases: [unknown, string][] = [
      [statusEvent({ request_id: 'r'.repeat(70) }), 'request_id'],
      [statusEvent({ request_id: 'has:colon' }), 'request_id'],
      [statusEvent({ request_id: 'has space' }), 'request_id'],
      [commentEvent({ request_id: 'r'.repeat(49) }), 'request_id'],
      [statusEvent({ number: 'S'.repeat(65) }), 'number'],
      [commentEvent({}, { author_name: 'A'.repeat(129) }), 'comment.author_name'],
    ];
    for (const [event, field] of cases) {
      const answer = await post(event);
      expect(answer, field).toMatchObject({ status: 400, body: { fields: [field] } });
    }
    expect(harness.telegram.calls).toEqual([]);
    // At the caps: told.
    expect((await post(statusEvent({ request_id: `r-${'x'.repeat(46)}`, number: 'S'.repeat(64) }))).status).toBe(200);
    expect((await post(commentEvent({}, { author_name: 'A'.repeat(128) }))).status).toBe(200);
  });

  test('a 5,000-character status comment is delivered, shortened to fit one message', async () => {
    const comment = `We replaced the valve. ${'Details of the work done. '.repeat(200)}`;
    const event = statusEvent({ event_id: eventId(), comment });
    const answer = await post(event);
    expect(answer).toMatchObject({ status: 200, body: { delivered: true } });
    const [sent] = delivered(event.telegram_user_id);
    const text = String(sent?.payload.text);
    expect(text).toContain('We replaced the valve.');
    expect(text.length).toBeLessThanOrEqual(4096);
  });

  test('only 403, chat not found and user is deactivated mean blocked', async () => {
    for (const refusal of [
      { status: 403, description: 'Forbidden: bot was blocked by the user' },
      { status: 403, description: 'Forbidden: user is deactivated' },
      { status: 400, description: 'Bad Request: chat not found' },
      { status: 400, description: 'Bad Request: user is deactivated' },
    ]) {
      harness.telegram.failNext('sendMessage', refusal);
      expect(await post(statusEvent({ event_id: eventId() })), refusal.description).toMatchObject({ status: 200, body: { delivered: false, reason: 'blocked' } });
    }
  });

  test('any other 400 is the bot’s own error: 422 with Telegram’s description, an error line, and the event freed for a retry', async () => {
    const id = eventId();
    const event = statusEvent({ event_id: id });
    const before = harness.logs.length;
    harness.telegram.failNext('sendMessage', { status: 400, description: "Bad Request: can't parse entities: Unsupported start tag \"x\" at byte offset 3" });
    const refused = await post(event);
    expect(refused).toMatchObject({ status: 422, body: { delivered: false, reason: 'rejected', telegram: { code: 400, description: expect.stringContaining("can't parse entities") } } });
    const errors = harness.logs.slice(before).filter((line) => line.level === 'error');
    expect(errors).toEqual([expect.objectContaining({ event_id: id, msg: expect.stringContaining('422') })]);
    expect(await post(event)).toMatchObject({ status: 200, body: { delivered: true } });
    expect(delivered(event.telegram_user_id)).toHaveLength(1);
  });
});
