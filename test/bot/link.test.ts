// Issue 11: /link lets an admin browse to a service, type a location (or Skip), and get the deep link
// and a PNG QR code ready to print. The QR code is downloaded from the Bot API like any photo and
// decoded here; the link it holds opens the description step for whoever scans it.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { messages } from '../../lib/i18n/index.js';
import { ADMIN_ID, startHarness, type BotInstance, type Harness } from '../support/bot-harness.js';
import { Person } from '../support/person.js';
import { demoName } from '../support/catalogue-names.js';
import { decodeQrPng } from '../support/qr.js';
import { TEST_BOT, TEST_BOT_TOKEN } from '../support/updates.js';

let harness: Harness;
let bot: BotInstance;
const RU_ADMIN_ID = ADMIN_ID + 1;
let nextUser = 1_400_000;
const en = messages('en');

beforeAll(async () => {
  harness = await startHarness({ env: { ADMIN_USER_IDS: `${ADMIN_ID},${RU_ADMIN_ID}` } });
  bot = await harness.startInstance();
});
afterAll(() => harness.close());
beforeEach(() => harness.telegram.reset());

/** The newest photo the bot sent to the chat: its caption, and the PNG fetched as a client would (getFile, then the file). */
async function newestPhoto(chatId: number): Promise<{ caption: string; png: Buffer }> {
  const message = harness.telegram.messagesOf(chatId).filter((m) => Array.isArray(m.photo)).at(-1);
  if (!message) throw new Error('no photo in the chat');
  const largest = (message.photo as { file_id: string }[]).at(-1);
  const api = `${harness.telegram.apiRoot}/bot${TEST_BOT_TOKEN}`;
  const file = (await (await fetch(`${api}/getFile?file_id=${encodeURIComponent(largest?.file_id ?? '')}`)).json()) as { result: { file_path: string } };
  const download = await fetch(`${harness.telegram.apiRoot}/file/bot${TEST_BOT_TOKEN}/${file.result.file_path}`);
  return { caption: String(message.caption ?? ''), png: Buffer.from(await download.arrayBuffer()) };
}

describe('/link for admins', () => {
  test('browse, type a location, get a QR code that decodes to the link; the link opens the description step', async () => {
    const admin = new Person(harness, bot, ADMIN_ID);
    await admin.say('/link');
    expect(admin.screen().text).toBe('QR link for a poster\nStep 1 of 4: choose the request type.');
    await admin.tap('Repair');
    await admin.tap('Individual');
    await admin.tap('▶️');
    await admin.tap('◀️');
    await admin.tap('Plumbing');
    expect(admin.screen().text).toBe('Plumbing\nStep 4 of 4: type the location for the poster (up to 32 characters, e.g. Building 3, lift B), or tap Skip.');
    await admin.say('Building 3, lift B');

    const link = `https://t.me/${TEST_BOT.username}?start=n1-10-100-QnVpbGRpbmcgMywgbGlmdCBC`;
    const { caption, png } = await newestPhoto(ADMIN_ID);
    expect(caption).toBe(en.linkReady(link, 'Repair · Individual · Plumbing · 📍 Building 3, lift B'));
    expect(decodeQrPng(png)).toBe(link);
    const upload = harness.telegram.callsOf('sendPhoto').at(-1)?.payload.photo;
    expect(upload).toMatchObject({ filename: 'qr-n1-10-100-QnVpbGRpbmcgMywgbGlmdCBC.png' });
    expect(harness.logs.filter((line) => line.msg === 'deep link made').at(-1)).toMatchObject({ category_id: 100, location: true });

    const scanner = new Person(harness, bot, ++nextUser);
    await scanner.say(`/start ${new URL(link).searchParams.get('start')}`);
    expect(scanner.screen().text).toContain('📍 Location: Building 3, lift B\nPlumbing\nStep 4 of 4');
  });

  test('in Russian, Skip: a link without a location', async () => {
    const admin = new Person(harness, bot, RU_ADMIN_ID, 'ru');
    await admin.say('/link');
    expect(admin.screen().text).toContain('QR-ссылка для плаката');
    for (const name of ['Installation', 'Business', 'Security systems']) await admin.tap(demoName(name, 'ru'));
    expect(admin.screen().text).toContain('Шаг 4 из 4: напишите место для плаката');
    await admin.tap('Пропустить');
    const link = `https://t.me/${TEST_BOT.username}?start=n2-20-120`;
    const { caption, png } = await newestPhoto(RU_ADMIN_ID);
    expect(caption).toBe(messages('ru').linkReady(link, 'Установка · Организация · Системы безопасности'));
    expect(decodeQrPng(png)).toBe(link);
  });

  test('a location too long or in another script is corrected and the question stays; Never mind ends it', async () => {
    const admin = new Person(harness, bot, ADMIN_ID);
    await admin.say('/link');
    await admin.tap('Repair');
    await admin.tap('Business');
    await admin.tap('Lifts');
    await admin.say('Main building, east wing, goods lift number 2');
    expect(admin.lastText()).toBe(en.linkLocationTooLong(32, 45));
    await admin.say('東京タワー');
    expect(admin.lastText()).toBe(en.linkLocationUnsupported);
    expect(harness.telegram.callsOf('sendPhoto')).toHaveLength(0);
    await admin.say('Goods lift 2');
    expect(decodeQrPng((await newestPhoto(ADMIN_ID)).png)).toBe(`https://t.me/${TEST_BOT.username}?start=n1-20-114-R29vZHMgbGlmdCAy`);

    await admin.say('/link');
    await admin.tap('Repair');
    await admin.tap('Business');
    await admin.tap('Lifts');
    await admin.tap('Never mind');
    await admin.say('Goods lift 3');
    expect(admin.lastText()).toContain('I did not understand');
    expect(harness.telegram.callsOf('sendPhoto')).toHaveLength(1);
  });
});

describe('/link for everyone else', () => {
  test('the command is unknown and forged link buttons have expired; no QR code is made', async () => {
    const p = new Person(harness, bot, ++nextUser);
    await p.say('/link');
    expect(p.lastText()).toContain('I did not understand');
    for (const data of ['lt:en', 'ls:en:1', 'lc:en:1:10:0', 'lp:1:10:100', 'lk']) {
      await p.press(data);
      expect(p.lastText()).toContain('This menu has expired');
    }
    await p.say('Building 3, lift B');
    expect(p.lastText()).toContain('I did not understand');
    expect(harness.telegram.callsOf('sendPhoto')).toHaveLength(0);
  });
});
