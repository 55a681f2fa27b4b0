// Issue 6.5: the Bot API answers 429 (retry_after), 5xx or 403, or cannot be reached. A short
// retry_after is honoured once and the message arrives; anything else is logged; the handler
// never crashes and the webhook answers 200, so Telegram does not hold the chat's queue.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { messages } from '../../lib/i18n/index.js';
import { startHarness, type BotInstance, type Harness } from '../support/bot-harness.js';
import { freePort } from '../support/http.js';
import { Person } from '../support/person.js';
import { createTally, plain, watchUnhandledRejections } from '../support/reliability.js';

let harness: Harness;
let bot: BotInstance;
let nextUser = 650_000;
const tally = createTally('bot-api-faults');
const rejections = watchUnhandledRejections();
const en = messages('en');
const TOO_MANY = 'Too Many Requests: retry after';

beforeAll(async () => {
  harness = await startHarness();
  bot = await harness.startInstance();
});
afterAll(async () => {
  rejections.stop();
  tally.report([harness]);
  await harness.close();
});
beforeEach(() => harness.telegram.reset());
// The fake answers 429, 403 and 5xx only when told to: each one is an injected fault.
afterEach(() => tally.fault(harness.telegram.calls.filter((call) => call.status === 403 || (call.status ?? 0) >= 429).length));

function person(): Person {
  return new Person(harness, bot, ++nextUser);
}

function callsTo(p: Person, method: string) {
  return harness.telegram.callsOf(method).filter((call) => call.payload.chat_id === p.userId);
}

function linesSince(from: number, msg: string) {
  return harness.logs.slice(from).filter((line) => line.msg === msg);
}

describe('429', () => {
  test('retry_after 1: honoured once, the message arrives', async () => {
    const p = person();
    const from = harness.logs.length;
    harness.telegram.failNext('sendMessage', { status: 429, description: `${TOO_MANY} 1`, retry_after: 1 });
    expect((await p.say('/start')).status).toBe(200);
    const [refused, delivered] = callsTo(p, 'sendMessage');
    expect([refused?.status, delivered?.status]).toEqual([429, 200]);
    expect(Number(delivered?.at) - Number(refused?.at)).toBeGreaterThanOrEqual(950); // waited as told, not sooner
    expect(p.texts()).toHaveLength(1);
    expect(p.lastText()).toBe(plain(en.welcome('Ada')));
    expect(linesSince(from, 'telegram rate limit, retrying once')).toEqual([
      expect.objectContaining({ level: 'warn', method: 'sendMessage', retry_after: 1, update_id: expect.any(Number) }),
    ]);
    expect(linesSince(from, 'handler failed')).toHaveLength(0);
  });

  test('twice in a row: retried once only, then logged', async () => {
    const p = person();
    const from = harness.logs.length;
    harness.telegram.failNext('sendMessage', { status: 429, description: `${TOO_MANY} 1`, retry_after: 1 }, 2);
    expect((await p.say('/start')).status).toBe(200);
    expect(callsTo(p, 'sendMessage').map((call) => call.status)).toEqual([429, 429, 200]); // the last one is the apology
    expect(p.texts()).toEqual([en.somethingWentWrong]);
    expect(linesSince(from, 'handler failed')).toEqual([expect.objectContaining({ level: 'error', err: expect.objectContaining({ type: 'TelegramError' }) })]);
  });

  test('long retry_after: not waited for, logged', async () => {
    const p = person();
    const from = harness.logs.length;
    harness.telegram.failNext('sendMessage', { status: 429, description: `${TOO_MANY} 30`, retry_after: 30 });
    expect((await p.say('/start')).status).toBe(200);
    expect(callsTo(p, 'sendMessage').map((call) => call.status)).toEqual([429, 200]);
    expect(linesSince(from, 'telegram rate limit, retrying once')).toHaveLength(0);
    const [line] = linesSince(from, 'handler failed');
    expect(line).toMatchObject({ level: 'error', handler: 'start', err: { type: 'TelegramError' } });
    expect(JSON.stringify(line)).toContain('"retry_after":30');
  });
});

describe('5xx and 403', () => {
  test('502 on an edit after a tap: logged, the person told', async () => {
    const p = person();
    await p.say('/start');
    const from = harness.logs.length;
    harness.telegram.failNext('editMessageText', { status: 502, description: 'Bad Gateway' });
    expect((await p.tap('New request')).status).toBe(200);
    expect(linesSince(from, 'handler failed')).toEqual([expect.objectContaining({ handler: 'new-request', err: expect.objectContaining({ type: 'TelegramError' }) })]);
    expect(p.lastText()).toBe(en.somethingWentWrong);
    await p.tap('New request');
    expect(callsTo(p, 'editMessageText').map((call) => [call.status, call.payload.text])).toEqual([
      [502, en.chooseRequestType],
      [200, en.chooseRequestType],
    ]);
  });

  test('every call 500: still 200, then carries on', async () => {
    const p = person();
    const from = harness.logs.length;
    harness.telegram.failNext('*', { status: 500, description: 'Internal Server Error' }, 2);
    expect((await p.say('/start')).status).toBe(200);
    expect(p.texts()).toEqual([]);
    expect(linesSince(from, 'handler failed')).toHaveLength(1);
    expect(linesSince(from, 'could not tell the person about the failure')).toEqual([expect.objectContaining({ level: 'warn' })]);
    expect((await p.say('/start')).status).toBe(200);
    expect(p.lastText()).toBe(plain(en.welcome('Ada')));
  });

  test('403 blocked: logged, 200', async () => {
    const p = person();
    const from = harness.logs.length;
    harness.telegram.failNext('sendMessage', { status: 403, description: 'Forbidden: bot was blocked by the user' }, 2);
    expect((await p.say('/start')).status).toBe(200);
    expect(linesSince(from, 'handler failed')).toHaveLength(1);
    expect(linesSince(from, 'update')).toEqual([expect.objectContaining({ error: true, handler: 'start' })]);
  });
});

describe('unreachable', () => {
  test('nothing listening at the Bot API root: logged, 200', async () => {
    const dead = `http://127.0.0.1:${await freePort()}`;
    const instance = await harness.startInstance({ config: { ...harness.config, telegram: { ...harness.config.telegram, apiRoot: dead } } });
    const p = new Person(harness, instance, ++nextUser);
    const from = harness.logs.length;
    expect((await p.say('/start')).status).toBe(200);
    expect((await p.press('t:en', { messageId: 100_000, text: '', buttons: [] })).status).toBe(200);
    const failed = linesSince(from, 'handler failed');
    expect(failed).toHaveLength(2);
    expect(JSON.stringify(failed)).toMatch(/ECONNREFUSED/);
    expect(linesSince(from, 'could not tell the person about the failure')).toHaveLength(2);
    tally.fault(4); // two updates, each refused twice (the screen and the apology)
  });

  test('no unhandled rejection', () => {
    expect(rejections.seen).toEqual([]);
  });
});
