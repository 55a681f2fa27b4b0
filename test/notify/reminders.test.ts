// Reminders while the agent waits for the person: a request in `waiting_for_customer` for
// REMIND_AFTER_H gets one reminder, once per waiting period, none once the status moved on or the
// person answered. The real notify endpoint schedules it (same round trip as the notification's
// record), the real cron endpoint drains it, the real webhook takes the person's answer; the demo
// backend over HTTP, Redis through the Upstash bridge, the fake Bot API.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { App, CreateAppOptions } from '../../lib/app.js';
import { messages } from '../../lib/i18n/index.js';
import { keyNamespace } from '../../lib/store/key-namespace.js';
import { createCronRemindEndpoint } from '../../lib/webhook/cron-remind-endpoint.js';
import { createNotifyEndpoint } from '../../lib/webhook/notify-endpoint.js';
import { CRON_SECRET, NOTIFY_SECRET, startHarness, type BotInstance, type Harness } from '../support/bot-harness.js';
import { closeServer, listen } from '../support/http.js';
import { Person } from '../support/person.js';
import { redisOf } from '../support/reliability.js';
import { TEST_BOT_TOKEN } from '../support/updates.js';

const NAMESPACE = keyNamespace({ token: TEST_BOT_TOKEN });
const REMINDERS = `${NAMESPACE}:reminders`;
const en = messages('en');
const ru = messages('ru');

let harness: Harness;
const servers: Server[] = [];
let nextUser = 630_000;
let nextEvent = 0;

interface Deployment {
  readonly instance: BotInstance;
  readonly notifyUrl: string;
  readonly cronUrl: string;
}

/** One instance with its notify and cron endpoints over HTTP, as Vercel would route them. */
async function deploy(overrides: Partial<CreateAppOptions> = {}): Promise<Deployment> {
  const instance = await harness.startInstance(overrides);
  const serve = async (handler: ReturnType<typeof createNotifyEndpoint>) => {
    const server = createServer(handler);
    servers.push(server);
    return listen(server);
  };
  const deps = { getApp: async (): Promise<App> => instance.app, getLogger: () => harness.logger };
  return { instance, notifyUrl: await serve(createNotifyEndpoint(deps)), cronUrl: await serve(createCronRemindEndpoint(deps)) };
}

/** Reminders due at once: REMIND_AFTER_H made 0 s for the test, and what could not be sent now is due again at once. */
let due: Deployment;

beforeAll(async () => {
  harness = await startHarness();
  due = await deploy({ notify: { remindAfterSeconds: 0 }, reminders: { retryAfterSeconds: 0 } });
});
afterAll(async () => {
  await Promise.all(servers.map(closeServer));
  await harness.close();
});
beforeEach(() => harness.telegram.reset());

async function notify(to: Deployment, event: Record<string, unknown>): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(to.notifyUrl, {
    method: 'POST',
    headers: { authorization: `Bearer ${NOTIFY_SECRET}`, 'content-type': 'application/json' },
    body: JSON.stringify({ event_id: `remind-${process.pid}-${++nextEvent}`, ...event }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function cron(to: Deployment, init: { method?: string; secret?: string | null } = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const secret = init.secret === undefined ? CRON_SECRET : init.secret;
  const response = await fetch(to.cronUrl, { method: init.method ?? 'GET', headers: secret === null ? {} : { authorization: `Bearer ${secret}` } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

interface Waiting {
  readonly userId: number;
  readonly requestId: string;
  readonly number: string;
}

/** A person's request, opened at the backend (its contract, over HTTP), then set waiting for the person by an agent. */
async function waitingRequest(to: Deployment = due, userId = ++nextUser): Promise<Waiting> {
  const response = await fetch(`${harness.backend.url}/requests`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': `open-${userId}-${Date.now()}` },
    body: JSON.stringify({
      request_type_id: 1,
      side_id: 10,
      category_id: 100,
      description: 'The heating in room 12 does not work',
      telegram: { user_id: userId, chat_id: userId },
    }),
  });
  const { id: requestId, number } = (await response.json()) as { id: string; number: string };
  const waiting = { userId, requestId, number };
  await setStatus(to, waiting, 'waiting_for_customer');
  return waiting;
}

/** The agent moves the request on: the backend's state, then its event to the bot. */
async function setStatus(to: Deployment, on: Waiting, status: string): Promise<void> {
  await harness.backend.setStatus(on.requestId, status as 'waiting_for_customer');
  const answer = await notify(to, { request_id: on.requestId, number: on.number, status, telegram_user_id: on.userId });
  expect(answer).toMatchObject({ status: 200, body: { delivered: true } });
}

const sentTo = (userId: number) => harness.telegram.callsOf('sendMessage').filter((call) => Number(call.payload.chat_id) === userId && call.status === 200);
const remindersTo = (userId: number) => sentTo(userId).filter((call) => String(call.payload.text).includes('waiting for your answer'));

describe('one reminder per waiting period', () => {
  test('after REMIND_AFTER_H: "SR-… is waiting for your answer" with Reply and View; the next run sends nothing', async () => {
    const on = await waitingRequest();
    const first = await cron(due);
    expect(first).toMatchObject({ status: 200, body: { reminded: 1 } });
    const [reminder] = remindersTo(on.userId);
    expect(String(reminder?.payload.text)).toContain(`<b>${on.number}</b> is waiting for your answer`);
    const buttons = (reminder?.payload.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }).inline_keyboard.flat();
    expect(buttons.map((b) => b.text)).toEqual([en.buttonReply, en.buttonViewRequest(on.number)]);
    expect(await cron(due)).toMatchObject({ status: 200, body: { reminded: 0 } });
    expect(remindersTo(on.userId)).toHaveLength(1);
  });

  test('not before REMIND_AFTER_H: the reminder waits in the sorted set for its time', async () => {
    const later = await deploy({ notify: { remindAfterSeconds: 3_600 } });
    const on = await waitingRequest(later);
    expect(await cron(later)).toMatchObject({ status: 200, body: { reminded: 0 } });
    expect(remindersTo(on.userId)).toEqual([]);
    const score = Number(await redisOf(harness).zscore(REMINDERS, `${on.userId}:${on.requestId}`));
    expect(score).toBeGreaterThan(Date.now() + 3_500_000);
    expect(score).toBeLessThanOrEqual(Date.now() + 3_600_000);
  });

  test('scheduled in the notification’s own write: still 2 store round trips (+ the send pace’s), 1 more command', async () => {
    const userId = ++nextUser;
    harness.bridge?.resetStats();
    const answer = await notify(due, { request_id: `req-${userId}`, number: `SR-${userId}`, status: 'waiting_for_customer', telegram_user_id: userId });
    expect(answer.status).toBe(200);
    expect(harness.bridge?.stats.requests).toBe(3);
    const names = harness.bridge?.stats.commandNames ?? [];
    expect(names.filter((name) => name.startsWith('EVAL'))).toHaveLength(1);
    // The claim; the outcome, the swipe-reply record, the chat's "screen moved" mark and the reminder.
    expect(names.filter((name) => !name.startsWith('EVAL'))).toEqual(['SET', 'GET', 'GET', 'SET', 'SET', 'SET', 'ZADD']);
  });

  test('the same waiting period told again (a new event) does not remind twice; a new period after the status moved on does', async () => {
    const on = await waitingRequest();
    await cron(due);
    await setStatus(due, on, 'waiting_for_customer');
    expect(await cron(due)).toMatchObject({ body: { reminded: 0 } });
    expect(remindersTo(on.userId)).toHaveLength(1);
    await setStatus(due, on, 'in_progress');
    await setStatus(due, on, 'waiting_for_customer');
    expect(await cron(due)).toMatchObject({ body: { reminded: 1 } });
    expect(remindersTo(on.userId)).toHaveLength(2);
  });

  test('in Russian, in the person’s language', async () => {
    const p = new Person(harness, due.instance, ++nextUser, 'ru');
    await p.say('/start');
    const on = await waitingRequest(due, p.userId);
    await cron(due);
    expect(p.lastText()).toContain(`${on.number} ждёт вашего ответа`);
    expect(p.screen().buttons.map((b) => b.text)).toEqual([ru.buttonReply, ru.buttonViewRequest(on.number)]);
  });
});

describe('no reminder once the wait is over', () => {
  test('the status moved on (the bot was told): nothing is sent and nothing is left to drain', async () => {
    const on = await waitingRequest();
    await setStatus(due, on, 'in_progress');
    harness.backend.resetStats();
    expect(await cron(due)).toMatchObject({ status: 200, body: { reminded: 0 } });
    expect(remindersTo(on.userId)).toEqual([]);
    expect(await redisOf(harness).zscore(REMINDERS, `${on.userId}:${on.requestId}`)).toBeNull();
    expect(harness.backend.stats.byRoute['GET /requests/:id'] ?? 0).toBe(0);
  });

  test('the status moved on at the backend without telling the bot: the drain asks the backend and sends nothing', async () => {
    const on = await waitingRequest();
    await harness.backend.setStatus(on.requestId, 'in_progress');
    harness.backend.resetStats();
    expect(await cron(due)).toMatchObject({ status: 200, body: { reminded: 0 } });
    expect(remindersTo(on.userId)).toEqual([]);
    expect(harness.backend.stats.byRoute['GET /requests/:id']).toBe(1);
  });

  test('the person answered through the bot: the answer clears the reminder in the update’s own write (2 round trips)', async () => {
    const p = new Person(harness, due.instance, ++nextUser);
    const on = await waitingRequest(due, p.userId);
    const waitingMessage = sentTo(p.userId).at(-1);
    harness.bridge?.resetStats();
    await p.replyTo(Number((waitingMessage?.result as { message_id: number }).message_id), 'It is the second floor.');
    expect(harness.bridge?.stats.requests).toBe(2);
    expect(harness.bridge?.stats.commandNames).toContain('ZREM');
    expect(await redisOf(harness).zscore(REMINDERS, `${on.userId}:${on.requestId}`)).toBeNull();
    expect(await cron(due)).toMatchObject({ body: { reminded: 0 } });
    expect(remindersTo(p.userId)).toEqual([]);
  });

  test('the person answered elsewhere (the backend shows their comment): the drain sees it and sends nothing', async () => {
    const on = await waitingRequest();
    const answer = await fetch(`${harness.backend.url}/requests/${on.requestId}/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `web-${on.userId}` },
      body: JSON.stringify({ telegram_user_id: on.userId, text: 'Answered on the website' }),
    });
    expect(answer.status).toBe(201);
    expect(await cron(due)).toMatchObject({ body: { reminded: 0 } });
    expect(remindersTo(on.userId)).toEqual([]);
  });
});

describe('the drain', () => {
  test('two runs at once (a cron and a retry): every waiting person is reminded exactly once', async () => {
    const people = await Promise.all(Array.from({ length: 12 }, () => waitingRequest()));
    const [a, b] = await Promise.all([cron(due), cron(due)]);
    expect(Number(a.body.reminded) + Number(b.body.reminded)).toBe(12);
    for (const on of people) expect(remindersTo(on.userId)).toHaveLength(1);
  });

  test('bounded: batches of batchSize, at most maxPerRun a run; the rest waits for the next run', async () => {
    const bounded = await deploy({ notify: { remindAfterSeconds: 0 }, reminders: { batchSize: 3, maxPerRun: 6 } });
    const people = [];
    for (let i = 0; i < 7; i++) people.push(await waitingRequest(bounded));
    harness.bridge?.resetStats();
    const first = await cron(bounded);
    expect(first).toMatchObject({ status: 200, body: { reminded: 6, more: true } });
    // Per batch: the due members, the claims (with each person's session), the records of what was
    // sent; and one token of the shared send pace per reminder.
    expect(harness.bridge?.stats.requests).toBe(2 * 3 + 6);
    expect(await cron(bounded)).toMatchObject({ status: 200, body: { reminded: 1, more: false } });
    for (const on of people) expect(remindersTo(on.userId)).toHaveLength(1);
  });

  test('the backend unavailable at drain time: kept for a later run, then sent once', async () => {
    const on = await waitingRequest();
    harness.backend.setFault('GET /requests/:id', '500');
    try {
      expect(await cron(due)).toMatchObject({ status: 200, body: { reminded: 0, retried: 1 } });
    } finally {
      harness.backend.setFault('GET /requests/:id', 'none');
    }
    expect(remindersTo(on.userId)).toEqual([]);
    expect(await cron(due)).toMatchObject({ body: { reminded: 1 } });
    expect(remindersTo(on.userId)).toHaveLength(1);
  });

  test('a person who blocked the bot is not tried again', async () => {
    const on = await waitingRequest();
    harness.telegram.failNext('sendMessage', { status: 403, description: 'Forbidden: bot was blocked by the user' });
    expect(await cron(due)).toMatchObject({ body: { reminded: 0 } });
    expect(await cron(due)).toMatchObject({ body: { reminded: 0 } });
    const tried = harness.telegram.callsOf('sendMessage').filter((call) => Number(call.payload.chat_id) === on.userId && String(call.payload.text).includes('waiting for your answer'));
    expect(tried.map((call) => call.status)).toEqual([403]);
  });
});

describe('the cron endpoint', () => {
  test('Bearer CRON_SECRET; GET (Vercel Cron) and POST (an Upstash QStash schedule); 405 otherwise', async () => {
    expect((await cron(due, { secret: null })).status).toBe(401);
    expect((await cron(due, { secret: 'wrong' })).status).toBe(401);
    expect((await cron(due, { method: 'PUT' })).status).toBe(405);
    expect(await cron(due, { method: 'POST' })).toMatchObject({ status: 200, body: { reminded: 0 } });
    expect(await cron(due)).toMatchObject({ status: 200, body: { reminded: 0 } });
  });
});
