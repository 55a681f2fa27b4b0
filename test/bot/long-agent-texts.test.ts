// Nothing an agent writes is cut (issue 16, item 6), through the real webhook and /api/notify, in
// English and Russian: a long agent comment arrives as several messages in order, each within
// Telegram's 4096 (measured on the HTML sent), the buttons on the last; /api/notify takes texts up
// to the contract's limit (the demo backend refuses the same); in the details' thread an entry too
// long for a page has a button that sends it in full.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { MAX_AGENT_TEXT_BYTES } from '../../lib/requests/limits.js';
import { messages } from '../../lib/i18n/index.js';
import { startHarness, type BotInstance, type Harness } from '../support/bot-harness.js';
import { demoName } from '../support/catalogue-names.js';
import { startNotifyEndpoint, type NotifyEndpoint } from '../support/notify-endpoint.js';
import { Person } from '../support/person.js';

let harness: Harness;
let bot: BotInstance;
let endpoint: NotifyEndpoint;
let nextUser = 9_100_000;

beforeAll(async () => {
  harness = await startHarness();
  bot = await harness.startInstance();
  endpoint = await startNotifyEndpoint(harness, bot, 'long-texts');
});
afterAll(async () => {
  await endpoint.close();
  await harness.close();
});
beforeEach(() => harness.telegram.reset());

/** POSTs an event to the bot's /api/notify, as the backend does; its HTTP status. */
const notify = async (event: Record<string, unknown>): Promise<number> => (await endpoint.post(event)).status;

/** A long text of numbered sentences (with characters HTML escapes), ending in words to look for. */
function longText(sentences: number): string {
  const body = Array.from({ length: sentences }, (_, i) => `Sentence ${i + 1}: pressure < 2 bar & valve "A" checked.`).join(' ');
  return `${body} THE LAST WORDS.`;
}

/** Telegram's view of our HTML: tags gone, the three entities read back. */
const plain = (html: string) => html.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

describe.each(['en', 'ru'] as const)('in %s', (lang) => {
  const t = messages(lang);
  const readInFull = lang === 'en' ? 'Read in full' : 'Читать полностью';

  async function submitted(): Promise<{ p: Person; requestId: string; number: string }> {
    const p = new Person(harness, bot, ++nextUser, lang);
    await p.say('/new');
    for (const name of ['Repair', 'Individual', 'Plumbing']) await p.tap(demoName(name, lang));
    await p.say('The heating in room 12 does not work');
    await p.tap(t.buttonSkip);
    await p.say(t.buttonSkip);
    await p.tap(t.buttonConfirm);
    const request = harness.backend.requests().find((r) => r.telegram.user_id === p.userId);
    if (!request) throw new Error('no request was created');
    return { p, requestId: request.id, number: request.number };
  }

  test('a 9,000-character agent comment arrives whole, in order, in messages within 4096, buttons on the last', async () => {
    const { p, requestId, number } = await submitted();
    const before = harness.telegram.messagesOf(p.userId).length;
    const callsBefore = harness.telegram.calls.length;
    const text = longText(180);
    expect(text.length).toBeGreaterThan(9000);
    expect(await notify({ kind: 'comment', request_id: requestId, number, telegram_user_id: p.userId, comment: { author_name: 'Sam', text } })).toBe(200);
    const sent = harness.telegram.calls.slice(callsBefore).filter((call) => call.method === 'sendMessage').map((call) => ({ html: String(call.payload.text), buttons: call.payload.reply_markup !== undefined }));
    expect(sent.length).toBeGreaterThanOrEqual(3);
    for (const message of sent) expect(message.html.length).toBeLessThanOrEqual(4096);
    expect(sent.map((m) => m.buttons)).toEqual([...Array(sent.length - 1).fill(false), true]);
    const whole = sent.map((m) => plain(m.html)).join('');
    expect(whole.replace(/\s+/g, ' ')).toContain(text);
    expect(plain(sent.at(-1)?.html ?? '')).toContain('THE LAST WORDS.');
    expect(harness.telegram.messagesOf(p.userId).length - before).toBe(sent.length);
  });

  test('/api/notify takes a text up to the limit and refuses one byte more (as the demo backend does)', async () => {
    const { p, requestId, number } = await submitted();
    const atLimit = 'x'.repeat(MAX_AGENT_TEXT_BYTES);
    expect(await notify({ kind: 'comment', request_id: requestId, number, telegram_user_id: p.userId, comment: { text: atLimit } })).toBe(200);
    expect(await notify({ kind: 'comment', request_id: requestId, number, telegram_user_id: p.userId, comment: { text: `${atLimit}x` } })).toBe(400);
    expect(harness.backend.addAgentComment(requestId, { text: atLimit })).toBeDefined();
    expect(() => harness.backend.addAgentComment(requestId, { text: `${atLimit}x` })).toThrow(/at most/);
  });

  test('in the thread, an entry too long for a page opens in full with a button', async () => {
    const { p, requestId, number } = await submitted();
    const text = longText(180);
    harness.backend.addAgentComment(requestId, { author_name: 'Sam', text });
    await p.say('/my');
    await p.tap(number);
    expect(p.screen().text.length).toBeLessThanOrEqual(4096);
    expect(p.screen().text).not.toContain('THE LAST WORDS.');
    const details = harness.telegram.calls.length;
    await p.tap(readInFull);
    const sent = harness.telegram.calls.slice(details).filter((call) => call.method === 'sendMessage').map((call) => String(call.payload.text));
    expect(sent.length).toBeGreaterThanOrEqual(3);
    for (const html of sent) expect(html.length).toBeLessThanOrEqual(4096);
    expect(sent.map(plain).join('').replace(/\s+/g, ' ')).toContain(text);
  });
});
