// A notification that arrives below a draft's prompt parks the draft (issue 16, follow-up of item 1),
// through the real webhook and /api/notify, in English and Russian: the next message gets "You have a
// request in progress" with Continue and Discard, never taken for a step the person no longer sees.
// The notify write it makes anyway sets a "screen moved" mark for the chat; the next stateful update's
// first round trip reads and clears it (one command more, no round trip more).
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { messages } from '../../lib/i18n/index.js';
import { startHarness, type BotInstance, type Harness } from '../support/bot-harness.js';
import { demoName } from '../support/catalogue-names.js';
import { requestsAtBackend } from '../support/lifecycle.js';
import { startNotifyEndpoint, type NotifyEndpoint } from '../support/notify-endpoint.js';
import { Person } from '../support/person.js';

let harness: Harness;
let bot: BotInstance;
let endpoint: NotifyEndpoint;
let nextUser = 8_600_000;

beforeAll(async () => {
  harness = await startHarness();
  bot = await harness.startInstance();
  endpoint = await startNotifyEndpoint(harness, bot, 'parks');
});
afterAll(async () => {
  await endpoint.close();
  await harness.close();
});
beforeEach(() => harness.telegram.reset());

/** POSTs an event to the bot's /api/notify, as the backend does; its HTTP status. */
const notify = async (event: Record<string, unknown>): Promise<number> => (await endpoint.post(event)).status;

/** One message of the bot as it stands now, to tap its buttons (it is not the newest one). */
function screenOf(p: Person, messageId: number) {
  const message = harness.telegram.messagesOf(p.userId).find((m) => m.message_id === messageId);
  const keyboard = (message?.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }).inline_keyboard;
  return { messageId, text: String(message?.text ?? ''), buttons: keyboard.flat() };
}

const DESCRIPTION = 'The kitchen tap drips all night long';

describe.each(['en', 'ru'] as const)('in %s', (lang) => {
  const t = messages(lang);
  const parked = lang === 'en' ? 'You have a request in progress' : 'У вас есть незаконченная заявка';
  const describeStep = lang === 'en' ? 'describe the problem' : 'опишите проблему';
  const photoStep = lang === 'en' ? 'add a photo' : 'фото';

  /** A person with an older request, at the description step of a new one. */
  async function atDescription(): Promise<{ p: Person; requestId: string; number: string }> {
    const p = new Person(harness, bot, ++nextUser, lang);
    const [request] = await requestsAtBackend(harness.backend, p.userId, 1);
    await p.say('/new');
    for (const name of ['Repair', 'Individual', 'Plumbing']) await p.tap(demoName(name, lang));
    expect(p.screen().text).toContain(describeStep);
    return { p, requestId: request!.id, number: request!.number };
  }

  test('a status notification below the prompt: the next message is not the description; Continue shows the step, which then takes it', async () => {
    const { p, requestId, number } = await atDescription();
    await harness.backend.setStatus(requestId, 'in_progress');
    expect(await notify({ request_id: requestId, number, status: 'in_progress', telegram_user_id: p.userId })).toBe(200);
    harness.bridge?.resetStats();
    await p.say(DESCRIPTION);
    expect(harness.bridge?.stats.requests).toBe(2);
    expect(p.lastText()).toContain(parked);
    expect(p.labels()).toEqual([t.buttonContinue, t.buttonDiscard]);
    await p.tap(t.buttonContinue);
    expect(p.screen().text).toContain(describeStep);
    await p.say(DESCRIPTION);
    expect(p.lastText()).toContain(photoStep);
  });

  test('an agent\'s comment below the prompt parks it too; a tap on the draft\'s own buttons after it shows the step again', async () => {
    const { p, requestId, number } = await atDescription();
    const prompt = p.screen();
    harness.backend.addAgentComment(requestId, { text: 'Which floor?' });
    expect(await notify({ kind: 'comment', request_id: requestId, number, telegram_user_id: p.userId, comment: { text: 'Which floor?' } })).toBe(200);
    await p.say(DESCRIPTION);
    expect(p.lastText()).toContain(parked);
    // Back on the prompt above the notification: the person looks at the draft again.
    await p.tap(t.buttonBack.replace(/^\S+ /, ''), prompt);
    await p.tap(demoName('Plumbing', lang), screenOf(p, prompt.messageId));
    await p.say(DESCRIPTION);
    expect(p.lastText()).toContain(photoStep);
  });

  test('without a notification, the description step takes the message (one command more in the first round trip, no round trip more)', async () => {
    const { p } = await atDescription();
    harness.bridge?.resetStats();
    await p.say(DESCRIPTION);
    expect(p.lastText()).toContain(photoStep);
    expect(harness.bridge?.stats.requests).toBe(2);
    expect(harness.bridge?.stats.commandNames.slice(0, 3)).toEqual(['SET', 'GET', 'GETDEL']);
  });
});
