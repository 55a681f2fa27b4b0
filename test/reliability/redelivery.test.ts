// Issue 6.1: Telegram delivers at least once. The same update, 5 times in turn and all at once, on
// one instance and across two instances sharing Redis, is handled once; every delivery ends
// answered 200 (one that found the update still running is answered 503 first and delivered again).
// (test/bot/performance-budget covers /start 5 times on one instance; these cover draft steps,
// where handling twice would change what the person built.)
import type { Update } from 'telegraf/types';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { messages } from '../../lib/i18n/index.js';
import { startHarness, updateLines, type BotInstance, type Harness } from '../support/bot-harness.js';
import { Person } from '../support/person.js';
import { atOnceLikeTelegram, createTally, redisOf, storedSession, toDescription, watchUnhandledRejections } from '../support/reliability.js';
import { callbackUpdate, photoUpdate, textUpdate } from '../support/updates.js';

let harness: Harness;
let a: BotInstance;
let b: BotInstance;
let nextUser = 610_000;
const en = messages('en');
const tally = createTally('redelivery');
const rejections = watchUnhandledRejections();

beforeAll(async () => {
  harness = await startHarness();
  [a, b] = await Promise.all([harness.startInstance(), harness.startInstance()]);
});
afterAll(async () => {
  rejections.stop();
  tally.report([harness]);
  await harness.close();
});
beforeEach(() => harness.telegram.reset());

/** Bot API calls that reached this person's chat (webhook replies included). */
function callsTo(userId: number, method?: string) {
  return harness.telegram.calls.filter((call) => call.payload.chat_id === userId && (method === undefined || call.method === method));
}

function duplicatesOf(updateId: number): number {
  return updateLines(harness).filter((line) => line.update_id === updateId && line.handler === 'duplicate').length;
}

afterAll(() => {
  // The at-once deliveries to two instances race for the lease: some must have found it held.
  expect(retriedAfter503).toBeGreaterThan(0);
});

/** Sends one update to the instances in turn (a, b, a, …), one delivery after another. */
async function inTurn(update: Update, instances: readonly BotInstance[], times = 5): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < times; i++) statuses.push((await (instances[i % instances.length] as BotInstance).send(update)).status);
  return statuses;
}

/** All at once, as Telegram retries (see atOnceLikeTelegram): the final statuses. */
async function atOnce(update: Update, instances: readonly BotInstance[], times = 5): Promise<number[]> {
  const { statuses, retried } = await atOnceLikeTelegram(update, instances, times);
  retriedAfter503 += retried;
  return statuses;
}
let retriedAfter503 = 0;

function person(): Person {
  return new Person(harness, a, ++nextUser);
}

describe('one instance', () => {
  test('description in turn', async () => {
    const p = person();
    await toDescription(p);
    const update = textUpdate({ userId: p.userId, text: 'The boiler makes a banging noise' });
    expect(await inTurn(update, [a])).toEqual([200, 200, 200, 200, 200]);
    expect(callsTo(p.userId, 'sendMessage').filter((call) => call.payload.text === en.askPhoto)).toHaveLength(1);
    expect(duplicatesOf(update.update_id)).toBe(4);
  });

  test('photo at once', async () => {
    const p = person();
    await toDescription(p);
    await p.say('The boiler makes a banging noise');
    const update = photoUpdate({ userId: p.userId, fileId: 'photo-once' });
    expect(await atOnce(update, [a])).toEqual([200, 200, 200, 200, 200]);
    expect(p.texts().filter((text) => text === en.photoAdded)).toHaveLength(1);
    expect(p.texts().filter((text) => text === en.askContact)).toHaveLength(1);
    expect(duplicatesOf(update.update_id)).toBe(4);
  });
});

describe('two instances on one Redis', () => {
  test('description in turn', async () => {
    const p = person();
    await toDescription(p);
    const update = textUpdate({ userId: p.userId, text: 'The boiler makes a banging noise' });
    expect(await inTurn(update, [a, b])).toEqual([200, 200, 200, 200, 200]);
    expect(p.texts().filter((text) => text === en.askPhoto)).toHaveLength(1);
    expect(duplicatesOf(update.update_id)).toBe(4);
    const session = await storedSession(redisOf(harness), p.userId);
    expect(session?.draft).toMatchObject({ step: 'photo', description: 'The boiler makes a banging noise' });
  });

  test('description at once', async () => {
    const p = person();
    await toDescription(p);
    const update = textUpdate({ userId: p.userId, text: 'The boiler makes a banging noise' });
    expect(await atOnce(update, [a, b])).toEqual([200, 200, 200, 200, 200]);
    expect(p.texts().filter((text) => text === en.askPhoto)).toHaveLength(1);
    expect(duplicatesOf(update.update_id)).toBe(4);
  });

  test('category pick at once starts one draft', async () => {
    const p = person();
    await p.say('/start');
    const update = callbackUpdate({ userId: p.userId, data: 'p:1:10:100', messageId: p.screen().messageId });
    const redis = redisOf(harness);
    expect(await atOnce(update, [a, b])).toEqual([200, 200, 200, 200, 200]);
    const first = await storedSession(redis, p.userId);
    expect(first?.draft).toMatchObject({ step: 'description', categoryId: 100 });
    expect(callsTo(p.userId, 'editMessageText')).toHaveLength(1);
    expect(harness.telegram.callsOf('answerCallbackQuery')).toHaveLength(1);
    expect(duplicatesOf(update.update_id)).toBe(4);
    // The draft the person continues is that one draft: a second handling would have replaced its id.
    await p.say('The boiler makes a banging noise');
    expect((await storedSession(redis, p.userId))?.draft?.id).toBe(first?.draft?.id);
  });

  test('/cancel in turn and at once', async () => {
    const p = person();
    await toDescription(p);
    const cancel = textUpdate({ userId: p.userId, text: '/cancel' });
    expect([...(await atOnce(cancel, [a, b], 3)), ...(await inTurn(cancel, [b, a], 2))]).toEqual([200, 200, 200, 200, 200]);
    expect(p.texts().filter((text) => text.includes(en.cancelled))).toHaveLength(1);
    expect(p.texts().some((text) => text.includes(en.nothingToCancel))).toBe(false);
    expect(duplicatesOf(cancel.update_id)).toBe(4);
  });

  test('navigation tap re-renders the same screen', async () => {
    // By design (DESIGN.md §5) navigation taps skip Redis: each instance drops its own repeats,
    // and a second instance re-renders the very same screen, which changes nothing.
    const p = person();
    await p.say('/start');
    const update = callbackUpdate({ userId: p.userId, data: 't:en', messageId: p.screen().messageId });
    expect(await atOnce(update, [a, b])).toEqual([200, 200, 200, 200, 200]);
    const edits = callsTo(p.userId, 'editMessageText');
    expect(edits.length).toBeGreaterThanOrEqual(1);
    expect(edits.length).toBeLessThanOrEqual(2);
    expect(new Set(edits.map((call) => JSON.stringify([call.payload.text, call.payload.reply_markup]))).size).toBe(1);
    expect(callsTo(p.userId, 'sendMessage')).toHaveLength(1); // the welcome only
    expect(edits[0]?.payload.text).toBe(en.chooseRequestType);
    expect(duplicatesOf(update.update_id)).toBe(5 - edits.length);
  });

  test('no unhandled rejection', () => {
    expect(rejections.seen).toEqual([]);
  });
});
