// Cancel and Never mind lead back to where the person came from (issue 16, item 12), through the real
// webhook and /api/notify, in English and Russian: Cancel in Add comment returns to the request's
// details; Never mind (or /cancel) on a question about a request says what holds and brings back
// the notification's buttons; an agent's comment on a closed request offers no Reply; a swipe-reply
// on any message of the bot that names one request adds a comment to it.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { messages } from '../../lib/i18n/index.js';
import { startHarness, type BotInstance, type Harness } from '../support/bot-harness.js';
import { demoName } from '../support/catalogue-names.js';
import { current, lifecycleCalls, requestsAtBackend } from '../support/lifecycle.js';
import { startNotifyEndpoint, type NotifyEndpoint } from '../support/notify-endpoint.js';
import { Person } from '../support/person.js';

let harness: Harness;
let bot: BotInstance;
let endpoint: NotifyEndpoint;
let nextUser = 8_500_000;

beforeAll(async () => {
  harness = await startHarness();
  bot = await harness.startInstance();
  endpoint = await startNotifyEndpoint(harness, bot, 'lead-back');
});
afterAll(async () => {
  await endpoint.close();
  await harness.close();
});
beforeEach(() => harness.telegram.reset());

/** POSTs an event to the bot's /api/notify, as the backend does; its HTTP status. */
const notify = async (event: Record<string, unknown>): Promise<number> => (await endpoint.post(event)).status;

const commentsOf = (requestId: string) => current(harness.backend, requestId)?.comments ?? [];

describe.each(['en', 'ru'] as const)('in %s', (lang) => {
  const t = messages(lang);
  const L =
    lang === 'en'
      ? { holds: (n: string, s: string) => `Request ${n} is ${s}`, header: (n: string) => `Request ${n}`, added: (n: string) => `Added to ${n}` }
      : { holds: (n: string, s: string) => `Заявка ${n}: ${s}`, header: (n: string) => `Заявка ${n}`, added: (n: string) => `Добавлено к заявке ${n}` };
  const label = (text: string) => text.replace(/<[^>]+>/g, '');

  /** A person who submitted one request through the chat; returns the "created" message's id too. */
  async function submitted(): Promise<{ p: Person; requestId: string; number: string; createdMessage: number }> {
    const p = new Person(harness, bot, ++nextUser, lang);
    await p.say('/new');
    for (const name of ['Repair', 'Individual', 'Plumbing']) await p.tap(demoName(name, lang));
    await p.say('The heating in room 12 does not work');
    await p.tap(t.buttonSkip);
    await p.say(t.buttonSkip);
    await p.tap(t.buttonConfirm);
    const request = harness.backend.requests().find((r) => r.telegram.user_id === p.userId);
    if (!request) throw new Error('no request was created');
    return { p, requestId: request.id, number: request.number, createdMessage: p.screen().messageId };
  }

  test('Cancel in Add comment returns to the request\'s details, and /cancel there too', async () => {
    const { p, requestId, number } = await submitted();
    await p.say('/my');
    await p.tap(number);
    const details = p.screen().messageId;
    await p.tap(label(t.buttonAddComment));
    await p.tap(label(t.buttonCancel));
    expect(p.screen().messageId).toBe(details);
    expect(p.screen().text).toContain(label(t.commentCancelled));
    expect(p.screen().text).toContain(L.header(number));
    expect(p.labels()).toContain(t.buttonAddComment);
    await p.tap(label(t.buttonAddComment));
    await p.say('/cancel');
    expect(p.screen().text).toContain(L.header(number));
    await p.say('this is not a comment any more');
    expect(commentsOf(requestId)).toHaveLength(0);
  });

  test('Never mind on Still a problem: the request is still resolved, with Solved and Still a problem again', async () => {
    const { p, requestId, number } = await submitted();
    await harness.backend.setStatus(requestId, 'resolved');
    await notify({ request_id: requestId, number, status: 'resolved', telegram_user_id: p.userId });
    const notification = p.screen().messageId;
    await p.tap(label(t.buttonStillAProblem));
    await p.tap(label(t.buttonNeverMind));
    expect(p.screen().messageId).toBe(notification);
    expect(p.screen().text).toContain(L.holds(number, t.status.resolved));
    expect(p.screen().text).not.toContain(label(t.nothingChanged));
    expect(p.labels()).toEqual(expect.arrayContaining([t.buttonSolved, t.buttonStillAProblem]));
    await p.say('It is still broken');
    expect(lifecycleCalls(harness.backend, requestId, { action: 'reopen' })).toHaveLength(0);
  });

  test('/cancel while a rating\'s comment is asked, after Solved: the request is closed and rated, not "nothing changed"', async () => {
    const { p, requestId, number } = await submitted();
    await harness.backend.setStatus(requestId, 'resolved');
    await notify({ request_id: requestId, number, status: 'resolved', telegram_user_id: p.userId });
    await p.tap(label(t.buttonSolved));
    await p.tap('4⭐');
    await p.say('/cancel');
    expect(p.lastText()).toContain(L.holds(number, t.status.closed));
    expect(p.lastText()).toContain('⭐⭐⭐⭐');
    expect(p.lastText()).not.toContain(label(t.nothingChanged));
  });

  test('/cancel while a cancellation\'s reason is asked: the request is cancelled, not "nothing changed"', async () => {
    const { p, number } = await submitted();
    await p.say('/my');
    await p.tap(number);
    await p.tap(label(t.buttonCancelRequest));
    await p.tap(label(t.buttonYesCancel));
    await p.say('/cancel');
    expect(p.lastText()).toContain(L.holds(number, t.status.cancelled));
    expect(p.lastText()).not.toContain(label(t.nothingChanged));
  });

  test('an agent\'s comment on a closed request offers no Reply; on an open one it does', async () => {
    const { p, requestId, number } = await submitted();
    harness.backend.addAgentComment(requestId, { text: 'Anything else?' });
    expect(await notify({ kind: 'comment', request_id: requestId, number, telegram_user_id: p.userId, status: 'in_progress', comment: { text: 'Anything else?' } })).toBe(200);
    expect(p.labels()).toContain(t.buttonReply);
    await harness.backend.setStatus(requestId, 'closed');
    harness.backend.addAgentComment(requestId, { text: 'Closing note' });
    expect(await notify({ kind: 'comment', request_id: requestId, number, telegram_user_id: p.userId, status: 'closed', comment: { text: 'Closing note' } })).toBe(200);
    expect(p.screen().text).toContain('Closing note');
    expect(p.labels()).not.toContain(t.buttonReply);
    expect(p.screen().text).not.toContain(label(t.agentCommentReplyHint));
  });

  test('a swipe-reply on the "request created" message adds a comment to that request, at 2 round trips', async () => {
    const { p, requestId, number, createdMessage } = await submitted();
    harness.bridge?.resetStats();
    await p.replyTo(createdMessage, 'One more thing: the radiator is cold too.');
    expect(harness.bridge?.stats.requests).toBe(2);
    expect(commentsOf(requestId).at(-1)).toMatchObject({ author: 'customer', text: 'One more thing: the radiator is cold too.' });
    expect(p.screen().text).toContain(L.added(number));
  });

  test('a swipe-reply on the details (reached by stateless taps) and adds a comment; on a list of two requests it does not', async () => {
    const { p, requestId, number } = await submitted();
    await p.say('/my');
    await p.tap(number);
    await p.replyTo(p.screen().messageId, 'Please call before you come.');
    expect(commentsOf(requestId).map((c) => c.text)).toContain('Please call before you come.');
    expect(p.screen().text).toContain(L.added(number));
    // A list naming two requests is about neither.
    await requestsAtBackend(harness.backend, p.userId, 1);
    await p.say('/my');
    await p.replyTo(p.screen().messageId, 'Which one is mine?');
    expect(commentsOf(requestId).map((c) => c.text)).not.toContain('Which one is mine?');
  });
});
