// Issue 17, item 4: the person's edits. `edited_message` is among the update kinds; an edit of the
// description while the draft is open replaces it (a summary on display is updated in place); an edit
// of a comment already sent, within 48 h, reaches the backend as PATCH /requests/{id}/comments/{id}
// (a backend without it gets a new comment marked as a correction); redelivered edits act once; an
// edit of any other message is ignored without a reply. An edit costs at most 2 Redis round trips.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { ALLOWED_UPDATES } from '../../lib/bot/create-bot.js';
import { messages } from '../../lib/i18n/index.js';
import { startHarness, type BotInstance, type Harness } from '../support/bot-harness.js';
import { demoName } from '../support/catalogue-names.js';
import { requestsAtBackend } from '../support/lifecycle.js';
import { Person } from '../support/person.js';
import { editedTextUpdate } from '../support/updates.js';

let harness: Harness;
let bot: BotInstance;
/** A backend written before comment edits: PATCH answers 405. */
let older: Harness;
let olderBot: BotInstance;
let nextUser = 895_000;
const en = messages('en');
const ru = messages('ru');

beforeAll(async () => {
  [harness, older] = await Promise.all([startHarness(), startHarness({ backend: { followUps: false } })]);
  [bot, olderBot] = await Promise.all([harness.startInstance(), older.startInstance()]);
});
afterAll(() => Promise.all([harness.close(), older.close()]));
beforeEach(() => {
  harness.telegram.reset();
  older.telegram.reset();
});

test('edited_message is among the update kinds Telegram is asked for', () => {
  expect(ALLOWED_UPDATES).toContain('edited_message');
});

describe('the description, while the draft is open', () => {
  test('edited at the summary: the summary changes in place, no new message; the request carries the new text', async () => {
    const p = new Person(harness, bot, ++nextUser);
    await p.say('/new');
    for (const name of ['Repair', 'Individual', 'Plumbing']) await p.tap(demoName(name, 'en'));
    const { messageId } = await p.sayAs('The kitchen tap drips all night');
    await p.tap(en.buttonSkip);
    await p.say(en.buttonSkip);
    const summary = p.screen();
    expect(summary.text).toContain('The kitchen tap drips all night');
    const sentBefore = harness.telegram.callsOf('sendMessage').length;
    await p.edit(messageId, 'The bathroom tap drips all night');
    expect(harness.telegram.callsOf('sendMessage').length).toBe(sentBefore);
    expect(p.messageText(summary.messageId)).toContain('The bathroom tap drips all night');
    await p.tap(en.buttonConfirm);
    expect(harness.backend.requests().find((r) => r.telegram.user_id === p.userId)?.description).toBe('The bathroom tap drips all night');
  });

  test('in Russian, edited at a later step: replaced and said; too short an edit is corrected and the old text stays', async () => {
    const p = new Person(harness, bot, ++nextUser, 'ru');
    await p.say('/new');
    for (const name of ['Repair', 'Individual', 'Plumbing']) await p.tap(demoName(name, 'ru'));
    const { messageId } = await p.sayAs('На кухне капает кран всю ночь');
    await p.edit(messageId, 'кран');
    expect(p.lastText()).toBe(ru.descriptionTooShort(10));
    await p.edit(messageId, 'В ванной капает кран всю ночь');
    expect(p.lastText()).toBe(ru.descriptionEdited);
    await p.tap(ru.buttonSkip);
    await p.say(ru.buttonSkip);
    expect(p.screen().text).toContain('В ванной капает кран всю ночь');
  });
});

describe('a comment already sent', () => {
  async function commented(h: Harness, instance: BotInstance, text: string) {
    const p = new Person(h, instance, ++nextUser);
    const [request] = await requestsAtBackend(h.backend, p.userId);
    if (!request) throw new Error('no request');
    await p.say('/my');
    await p.tap(request.number);
    await p.tap('Add comment');
    const { messageId } = await p.sayAs(text);
    const comments = () => h.backend.requests().find((r) => r.id === request.id)?.comments ?? [];
    return { p, request, messageId, comments };
  }

  test('reaches the backend as an edit, in 2 Redis round trips; the redelivered edit acts once', async () => {
    const { p, request, messageId, comments } = await commented(harness, bot, 'The door code is 4711');
    const [original] = comments();
    harness.bridge?.resetStats();
    harness.backend.resetStats();
    const { update } = await p.edit(messageId, 'The door code is 4712');
    // The lease, the session and the message's comment record in one round trip; "done" in the other.
    expect(harness.bridge?.stats.requests).toBe(2);
    expect(harness.bridge?.stats.commandNames).toEqual(['SET', 'GET', 'GET', 'SET']);
    expect(harness.backend.stats.byRoute).toEqual({ 'PATCH /requests/:id/comments/:id': 1 });
    expect(comments()).toMatchObject([{ id: original?.id, text: 'The door code is 4712' }]);
    expect(p.lastText()).toBe(en.commentEditSent(request.number).replace(/<[^>]+>/g, ''));

    const replies = harness.telegram.callsOf('sendMessage').length;
    await bot.send(update);
    expect(harness.backend.stats.byRoute).toEqual({ 'PATCH /requests/:id/comments/:id': 1 });
    expect(harness.telegram.callsOf('sendMessage').length).toBe(replies);
  });

  test('a backend that answers 405 gets a new comment marked as a correction of the earlier one', async () => {
    const { p, messageId, comments } = await commented(older, olderBot, 'The door code is 4711');
    const [original] = comments();
    await p.edit(messageId, 'The door code is 4712');
    expect(comments()).toMatchObject([
      { id: original?.id, text: 'The door code is 4711' },
      { author: 'customer', text: '✏️ The door code is 4712', correction_of: original?.id },
    ]);
  });

  test('an edit after 48 h, and of any other message, is ignored without a reply', async () => {
    const { p, messageId, comments } = await commented(harness, bot, 'The door code is 4711');
    const { messageId: other } = await p.sayAs('/start');
    harness.backend.resetStats();
    const replies = harness.telegram.callsOf('sendMessage').length;
    await p.edit(messageId, 'The door code is 4712', { sentAt: Math.floor(Date.now() / 1000) - 49 * 3600 });
    await p.edit(other, '/help');
    await bot.send(editedTextUpdate({ userId: p.userId, messageId: 424_242, text: 'never sent' }));
    expect(harness.telegram.callsOf('sendMessage').length).toBe(replies);
    expect(harness.backend.stats.requests).toBe(0);
    expect(comments().map((c) => c.text)).toEqual(['The door code is 4711']);
  });
});
