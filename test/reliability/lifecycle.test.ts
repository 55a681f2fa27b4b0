// Issue 11: a double tap (two updates) and Telegram's redelivery (one update, several times, at once
// on two instances and again after a 503) make ONE cancel, one confirmation, one reopen and one
// rating at the backend; forged request ids, in buttons or in a session, change nothing.
import type { Update } from 'telegraf/types';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { sessionKey } from '../../lib/session/session.js';
import { keyNamespace } from '../../lib/store/key-namespace.js';
import { startHarness, type BotInstance, type Harness } from '../support/bot-harness.js';
import { current, lifecycleCalls, requestsAtBackend } from '../support/lifecycle.js';
import { Person, type Screen } from '../support/person.js';
import { atOnceLikeTelegram, createTally, redisOf, watchUnhandledRejections } from '../support/reliability.js';
import { callbackUpdate, TEST_BOT_TOKEN, textUpdate } from '../support/updates.js';

let harness: Harness;
let a: BotInstance;
let b: BotInstance;
let nextUser = 1_500_000;
const tally = createTally('lifecycle');
const rejections = watchUnhandledRejections();

beforeAll(async () => {
  harness = await startHarness({
    backend: { onStatusChange: async (notification) => void (await a.app.notify(notification)) },
  });
  [a, b] = await Promise.all([harness.startInstance(), harness.startInstance()]);
});
afterAll(async () => {
  rejections.stop();
  expect(rejections.seen).toEqual([]);
  tally.report([harness]);
  await harness.close();
});
beforeEach(() => harness.telegram.reset());

function person(): Person {
  return new Person(harness, a, ++nextUser);
}

/** One of the person's requests, made at the backend (counted for the summary). */
async function request(p: Person) {
  tally.expectRequests(1);
  const [made] = await requestsAtBackend(harness.backend, p.userId);
  if (!made) throw new Error('no request made');
  return made;
}

/** The update a tap on `label` would send, built once so it can be delivered again. */
function tapUpdate(p: Person, label: string, on: Screen = p.screen()): Update {
  const button = on.buttons.find((candidate) => candidate.text.includes(label));
  if (!button) throw new Error(`no button ${label}`);
  return callbackUpdate({ userId: p.userId, data: button.callback_data, messageId: on.messageId, messageText: on.text });
}

/** The same update 5 times at once on two instances, then again after each 503: all end 200. */
async function redelivered(update: Update): Promise<void> {
  const { statuses } = await atOnceLikeTelegram(update, [a, b]);
  expect(statuses).toEqual([200, 200, 200, 200, 200]);
}

function applied(id: string, action: 'cancel' | 'cancel-reason' | 'confirm' | 'reopen' | 'rating' | 'rating-comment') {
  return lifecycleCalls(harness.backend, id, { action, outcome: 'applied' });
}

describe('one cancel', () => {
  test('Yes, cancel it redelivered at once to two instances, then double-tapped: one cancel, at the tap', async () => {
    const p = person();
    const r = await request(p);
    await p.say('/my');
    await p.tap(r.number);
    await p.tap('Cancel request');
    const ask = p.screen();
    await redelivered(tapUpdate(p, 'Yes, cancel it', ask));
    await Promise.all([p.tap('Yes, cancel it', ask), p.tap('Yes, cancel it', ask)]);
    expect(applied(r.id, 'cancel')).toHaveLength(1);
    expect(lifecycleCalls(harness.backend, r.id).every((entry) => entry.action === 'cancel' && entry.outcome !== 'refused')).toBe(true);
    expect(current(harness.backend, r.id)?.status_history.filter((entry) => entry.status === 'cancelled')).toHaveLength(1);
  });

  test('Skip redelivered at once to two instances', async () => {
    const p = person();
    const r = await request(p);
    await p.say('/my');
    await p.tap(r.number);
    await p.tap('Cancel request');
    await p.tap('Yes, cancel it');
    await redelivered(tapUpdate(p, 'Skip'));
    expect(applied(r.id, 'cancel')).toHaveLength(1);
    expect(lifecycleCalls(harness.backend, r.id)).toHaveLength(1);
    expect(current(harness.backend, r.id)?.status_history.filter((entry) => entry.status === 'cancelled')).toHaveLength(1);
  });

  test('Skip double-tapped, and the reason message redelivered for another request', async () => {
    const p = person();
    const r = await request(p);
    await p.say('/my');
    await p.tap(r.number);
    await p.tap('Cancel request');
    await p.tap('Yes, cancel it');
    const prompt = p.screen();
    await Promise.all([p.tap('Skip', prompt), p.tap('Skip', prompt)]);
    expect(applied(r.id, 'cancel')).toHaveLength(1);
    expect(lifecycleCalls(harness.backend, r.id).every((entry) => entry.key === `tg-${p.userId}-cancel-${r.id}`)).toBe(true);
    expect(p.texts().filter((text) => text === `✖️ Request ${r.number} is cancelled.`)).toHaveLength(1);

    const other = await request(p);
    await p.say('/my');
    await p.tap(other.number);
    await p.tap('Cancel request');
    await p.tap('Yes, cancel it');
    await redelivered(textUpdate({ userId: p.userId, text: 'Moved out, not needed' }));
    expect(applied(other.id, 'cancel')).toHaveLength(1);
    expect(applied(other.id, 'cancel-reason')).toHaveLength(1);
    expect(lifecycleCalls(harness.backend, other.id, { action: 'cancel-reason' })).toHaveLength(1);
    expect(current(harness.backend, other.id)?.status_history.at(-1)?.comment).toBe('Moved out, not needed');
  });
});

describe('one confirmation and one rating', () => {
  test('Solved double-tapped and redelivered; 5⭐ double-tapped and redelivered; Skip redelivered', async () => {
    const p = person();
    await p.say('/start');
    const r = await request(p);
    await harness.backend.resolveNewest(p.userId);
    const notification = p.screen();
    await Promise.all([p.tap('Solved', notification), p.tap('Solved', notification)]);
    await redelivered(tapUpdate(p, 'Solved', notification));
    expect(applied(r.id, 'confirm')).toHaveLength(1);
    expect(current(harness.backend, r.id)?.status_history.filter((entry) => entry.status === 'closed')).toHaveLength(1);

    const stars = p.screen();
    await Promise.all([p.tap('5⭐', stars), p.tap('5⭐', stars)]);
    await redelivered(tapUpdate(p, '5⭐', stars));
    expect(applied(r.id, 'rating')).toHaveLength(1);
    const prompt = p.screen();
    await redelivered(tapUpdate(p, 'Skip', prompt));
    // A late second tap on the same prompt: thanked again, nothing sent.
    await p.tap('Skip', prompt);
    expect(p.texts().filter((text) => text === `⭐ Thank you! Your rating of ${r.number}: ⭐⭐⭐⭐⭐`)).toHaveLength(1);
    expect(applied(r.id, 'rating')).toHaveLength(1);
    expect(lifecycleCalls(harness.backend, r.id, { action: 'rating' }).every((entry) => entry.outcome !== 'refused')).toBe(true);
    expect(current(harness.backend, r.id)?.rating?.score).toBe(5);
  });

  test('the star rates at the tap; its comment redelivered at once is attached once', async () => {
    const p = person();
    await p.say('/start');
    const r = await request(p);
    await harness.backend.resolveNewest(p.userId);
    await p.tap('Solved');
    await p.tap('3⭐');
    expect(applied(r.id, 'rating')).toHaveLength(1);
    await redelivered(textUpdate({ userId: p.userId, text: 'OK in the end' }));
    expect(lifecycleCalls(harness.backend, r.id, { action: 'rating' })).toHaveLength(1);
    expect(applied(r.id, 'rating-comment')).toHaveLength(1);
    expect(lifecycleCalls(harness.backend, r.id, { action: 'rating-comment' })).toHaveLength(1);
    expect(current(harness.backend, r.id)?.rating).toMatchObject({ score: 3, comment: 'OK in the end' });
  });
});

describe('one reopen', () => {
  test('Still a problem double-tapped, the reason redelivered at once', async () => {
    const p = person();
    await p.say('/start');
    const r = await request(p);
    await harness.backend.resolveNewest(p.userId);
    const notification = p.screen();
    await Promise.all([p.tap('Still a problem', notification), p.tap('Still a problem', notification)]);
    await redelivered(textUpdate({ userId: p.userId, text: 'Still dripping at night' }));
    expect(applied(r.id, 'reopen')).toHaveLength(1);
    expect(lifecycleCalls(harness.backend, r.id)).toHaveLength(1);
    expect(current(harness.backend, r.id)?.status).toBe('in_progress');
  });

  test('each resolution has its own key: reopening after the second resolution is a second reopen, not a replay', async () => {
    const p = person();
    await p.say('/start');
    const r = await request(p);
    await harness.backend.resolveNewest(p.userId);
    await p.tap('Still a problem');
    await p.say('Still dripping');
    await harness.backend.resolveNewest(p.userId);
    await p.tap('Still a problem');
    await p.say('Still dripping');
    const reopens = applied(r.id, 'reopen');
    expect(reopens).toHaveLength(2);
    expect(new Set(reopens.map((entry) => entry.key)).size).toBe(2);
    for (const entry of reopens) expect(entry.key).toMatch(new RegExp(`^tg-${p.userId}-reopen-${r.id}-[a-z0-9]+$`));
  });
});

describe('ownership', () => {
  test('forged ids in buttons do nothing: every action answers "not found" and nothing reaches the backend', async () => {
    const owner = person();
    await owner.say('/start');
    const r = await request(owner);
    await harness.backend.resolveNewest(owner.userId);
    const intruder = person();
    await intruder.say('/start');
    for (const data of [`ca:en:${r.id}`, `cy:${r.id}`, `cn:${r.id}`, `sv:${r.id}`, `ro:${r.id}`, `rt:${r.id}:1`, `rs:${r.id}`]) {
      await intruder.press(data);
      expect(intruder.screen().text, data).toBe('This request was not found.');
    }
    await intruder.say('An attempt to reopen someone else’s request');
    expect(intruder.lastText()).toContain('I did not understand');
    expect(intruder.texts().join('\n')).not.toContain(r.number);
    expect(lifecycleCalls(harness.backend, r.id)).toEqual([]);
    expect(current(harness.backend, r.id)?.status).toBe('resolved');
    expect(harness.logs.filter((line) => line.msg === 'request refused: not found or not owned by the person').length).toBeGreaterThanOrEqual(7);
  });

  test('a forged question in the session (someone else’s request) posts nothing either', async () => {
    const owner = person();
    const r = await request(owner);
    await harness.backend.resolveNewest(owner.userId);
    const intruder = person();
    await intruder.say('/start');
    const until = Math.floor(Date.now() / 1000) + 600;
    const key = `${keyNamespace({ token: TEST_BOT_TOKEN })}:${sessionKey(intruder.userId)}`;
    const redis = redisOf(harness);
    for (const pending of [
      { kind: 'cancel-reason', requestId: r.id, number: r.number, until },
      { kind: 'reopen-reason', requestId: r.id, number: r.number, round: '0', until },
      { kind: 'rating-comment', requestId: r.id, number: r.number, score: 1, until },
    ]) {
      await redis.set(key, JSON.stringify({ lang: 'en', pending }));
      await intruder.say('This should not reach the backend');
      expect(intruder.lastText()).toBe('This request was not found.');
    }
    expect(lifecycleCalls(harness.backend, r.id)).toEqual([]);
  });
});
