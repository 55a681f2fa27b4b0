// The details show what was submitted (issue 16, item 5), through the real webhook, in English and
// Russian: type, side, service, description, location and the shared place, whether a phone was
// shared, and the files as buttons that send them; a reopening's reason and its file appear in the
// thread with their own button.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { encodeStartPayload } from '../../lib/deep-link/start-payload.js';
import { messages } from '../../lib/i18n/index.js';
import { startHarness, type BotInstance, type Harness } from '../support/bot-harness.js';
import { demoName } from '../support/catalogue-names.js';
import { current } from '../support/lifecycle.js';
import { Person } from '../support/person.js';

let harness: Harness;
let bot: BotInstance;
let nextUser = 8_900_000;

beforeAll(async () => {
  harness = await startHarness();
  bot = await harness.startInstance();
});
afterAll(async () => {
  await harness.close();
});
beforeEach(() => harness.telegram.reset());

describe.each(['en', 'ru'] as const)('in %s', (lang) => {
  const t = messages(lang);
  const label = (text: string) => text.replace(/<[^>]+>/g, '');
  const L =
    lang === 'en'
      ? { type: 'Type: Repair', side: 'For: Individual', service: 'Service: Plumbing', phone: 'Phone: shared', location: 'Location: Door 4B', files: 'Files: 1' }
      : { type: 'Тип: Ремонт', side: 'Для кого: Частное лицо', service: 'Услуга: Сантехника', phone: 'Телефон: указан', location: 'Место: Door 4B', files: 'Файлы: 1' };

  /** A request from a QR poster (Door 4B), with a place on the map, a photo and the phone shared; its details on screen. */
  async function submittedWithEverything(): Promise<{ p: Person; requestId: string; number: string }> {
    const p = new Person(harness, bot, ++nextUser, lang);
    await p.say(`/start ${encodeStartPayload({ typeId: 1, sideId: 10, categoryId: 100, location: 'Door 4B' })}`);
    await p.say('The kitchen tap drips all night long');
    await p.shareLocation({ latitude: 52.525084, longitude: 13.369402, venue: { title: 'Central Station', address: 'Europaplatz 1, Berlin' } });
    await p.sendPhoto();
    await p.shareContact();
    await p.tap(t.buttonConfirm);
    const request = harness.backend.requests().find((r) => r.telegram.user_id === p.userId);
    if (!request) throw new Error('no request was created');
    await p.say('/my');
    await p.tap(request.number);
    return { p, requestId: request.id, number: request.number };
  }

  test('the details show type, side, service, description, location, place, phone and the files as buttons', async () => {
    const { p } = await submittedWithEverything();
    const text = p.screen().text;
    for (const line of [L.type, L.side, L.service, L.phone, L.location, L.files]) expect(text, line).toContain(line);
    expect(text).toContain('The kitchen tap drips all night long');
    expect(text).toContain('Central Station, Europaplatz 1, Berlin');
    expect(text).toContain(demoName('Individual', lang));
    const photoButton = p.labels().find((b) => b.startsWith('📎'));
    expect(photoButton).toBeDefined();
    await p.tap(photoButton ?? '');
    expect(harness.telegram.sentFiles.map((file) => file.fileId)).toEqual(['photo-file-id-1']);
  });

  test('a reopening’s reason and its file appear in the thread, the file with its button', async () => {
    const { p, requestId, number } = await submittedWithEverything();
    await harness.backend.setStatus(requestId, 'resolved');
    await p.tap(label(t.buttonRefresh));
    await p.tap(label(t.buttonStillAProblem));
    await p.sendDocument({ fileName: 'leak-report.pdf', mimeType: 'application/pdf', caption: 'Still drips: see the report' });
    expect(current(harness.backend, requestId)?.status).toBe('in_progress');
    await p.say('/my');
    await p.tap(number);
    const text = p.screen().text;
    expect(text).toContain('Still drips: see the report');
    expect(text).toContain('leak-report.pdf');
    // What was submitted still counts one file: the report belongs to the reopening.
    expect(text).toContain(L.files);
    const reopening = current(harness.backend, requestId)?.status_history.at(-1)?.attachments?.[0];
    expect(reopening?.file_name).toBe('leak-report.pdf');
    const before = harness.telegram.sentFiles.length;
    await p.tap('📎 leak-report.pdf');
    expect(harness.telegram.sentFiles.slice(before).map((file) => file.fileId)).toEqual([reopening?.telegram_file_id]);
  });
});

test('a description of 2000 characters that escape long (<, &) keeps the details within one message', async () => {
  const p = new Person(harness, bot, ++nextUser, 'en');
  await p.say('/new');
  for (const name of ['Repair', 'Individual', 'Plumbing']) await p.tap(name);
  await p.say('<&'.repeat(1000));
  await p.tap('Skip');
  await p.say('Skip');
  await p.tap('Confirm');
  const request = harness.backend.requests().find((r) => r.telegram.user_id === p.userId);
  await p.say('/my');
  await p.tap(request?.number ?? '');
  const sent = harness.telegram.messagesOf(p.userId).at(-1);
  expect(String(sent?.text ?? '')).toContain('Description:');
  // Measured as sent (HTML), which is never shorter than what Telegram counts.
  const details = harness.telegram.calls.filter((call) => call.method === 'sendMessage' || call.method === 'editMessageText').at(-1);
  expect(String(details?.payload.text)).toContain(`<b>Request ${request?.number}</b>`);
  expect(String(details?.payload.text).length).toBeLessThanOrEqual(4096);
});

