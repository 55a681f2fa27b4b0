// The fake Bot API against Telegraf's real client, and the update builders against Telegraf's router.
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { Readable } from 'node:stream';
import { Markup, Telegraf, Telegram, TelegramError } from 'telegraf';
import { message } from 'telegraf/filters';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { messageText, startFakeTelegram, type FakeTelegram } from '../../support/fake-telegram.js';
import { albumUpdates, callbackUpdate, contactUpdate, documentUpdate, photoUpdate, TEST_BOT, TEST_BOT_TOKEN, textUpdate } from '../../support/updates.js';

let fake: FakeTelegram;
let telegram: Telegram;

beforeAll(async () => {
  fake = await startFakeTelegram();
  telegram = new Telegram(TEST_BOT_TOKEN, { apiRoot: fake.apiRoot });
});

afterAll(async () => {
  await fake.close();
});

beforeEach(() => {
  fake.reset();
  fake.setLatency(0);
});

const keyboard = (data: string) => Markup.inlineKeyboard([[Markup.button.callback('Next', data)]]);

/** The TelegramError a call rejects with. */
async function telegramError(call: Promise<unknown>): Promise<TelegramError> {
  const error: unknown = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TelegramError);
  return error as TelegramError;
}

describe('answers', () => {
  it('answers getMe with the bot user of the token', async () => {
    const me = await telegram.getMe();
    expect(me).toMatchObject({ id: TEST_BOT.id, is_bot: true, username: TEST_BOT.username });
  });

  it('assigns message ids per chat, counting up, and returns a Message', async () => {
    const first = await telegram.sendMessage(100, 'one', keyboard('n:1'));
    const second = await telegram.sendMessage(100, 'two');
    const elsewhere = await telegram.sendMessage(200, 'other');
    expect([first.message_id, second.message_id, elsewhere.message_id]).toEqual([1, 2, 1]);
    expect(first).toMatchObject({
      chat: { id: 100, type: 'private' },
      from: { id: TEST_BOT.id, is_bot: true },
      text: 'one',
      reply_markup: { inline_keyboard: [[{ text: 'Next', callback_data: 'n:1' }]] },
    });
    expect(typeof first.date).toBe('number');
    expect(second.reply_markup).toBeUndefined();
  });

  it('records every call in order', async () => {
    const before = Date.now();
    await telegram.sendMessage(100, 'hello');
    await telegram.sendChatAction(100, 'typing');
    await telegram.answerCbQuery('cb-1', 'done');
    expect(fake.calls.map((call) => call.method)).toEqual(['sendMessage', 'sendChatAction', 'answerCallbackQuery']);
    const [send] = fake.callsOf('sendMessage');
    expect(send).toMatchObject({ token: TEST_BOT_TOKEN, payload: { chat_id: 100, text: 'hello' }, status: 200 });
    expect(send?.at).toBeGreaterThanOrEqual(before);
    expect(messageText(send!)).toBe('hello');
    expect(fake.callsOf('answerCallbackQuery')[0]?.payload).toEqual({ callback_query_id: 'cb-1', text: 'done' });
  });

  it('collects sent and edited texts, per chat, successful calls only', async () => {
    const sent = await telegram.sendMessage(100, 'menu');
    await telegram.sendMessage(200, 'someone else');
    fake.failNext('sendMessage', { status: 500, description: 'Internal Server Error' });
    await expect(telegram.sendMessage(100, 'lost')).rejects.toThrow();
    await telegram.editMessageText(100, sent.message_id, undefined, 'menu, page 2');
    expect(fake.sentTexts(100)).toEqual(['menu', 'menu, page 2']);
    expect(fake.sentTexts()).toEqual(['menu', 'someone else', 'menu, page 2']);
  });

  it('answers webhook replies like calls, marked as such', async () => {
    const answer = fake.applyWebhookReply(TEST_BOT_TOKEN, { method: 'answerCallbackQuery', callback_query_id: 'cb-9' });
    expect(answer).toEqual({ ok: true, result: true });
    expect(fake.calls).toEqual([
      expect.objectContaining({ method: 'answerCallbackQuery', viaWebhook: true, status: 200 }),
    ]);
    expect(fake.applyWebhookReply(TEST_BOT_TOKEN, 'not a reply')).toBeUndefined();
  });

  it('answers webhook and command management methods', async () => {
    expect(await telegram.setWebhook('https://example.test/api/webhook', { allowed_updates: ['message'] })).toBe(true);
    expect(await telegram.getWebhookInfo()).toMatchObject({
      url: 'https://example.test/api/webhook',
      allowed_updates: ['message'],
    });
    expect(await telegram.deleteWebhook()).toBe(true);
    expect((await telegram.getWebhookInfo()).url).toBe('');
    expect(await telegram.setMyCommands([{ command: 'start', description: 'Start' }])).toBe(true);
    expect(await telegram.getMyCommands()).toEqual([{ command: 'start', description: 'Start' }]);
    expect(await telegram.deleteMessage(100, 5)).toBe(true);
  });
});

describe('errors', () => {
  it('surfaces an injected 429 as TelegramError with retry_after, then recovers', async () => {
    fake.failNext('sendMessage', { status: 429, description: 'Too Many Requests: retry after 3', retry_after: 3 });
    const error = await telegramError(telegram.sendMessage(100, 'hi'));
    expect(error.code).toBe(429);
    expect(error.description).toBe('Too Many Requests: retry after 3');
    expect(error.parameters).toEqual({ retry_after: 3 });
    expect((await telegram.sendMessage(100, 'hi')).message_id).toBe(1);
    expect(fake.calls.map((call) => call.status)).toEqual([429, 200]);
  });

  it('fails as many times as asked, for one method or any', async () => {
    fake.failNext('*', { status: 502, description: 'Bad Gateway' }, 2);
    expect((await telegramError(telegram.getMe())).code).toBe(502);
    const second = await telegramError(telegram.sendMessage(1, 'x'));
    expect(second.code).toBe(502);
    expect(second.description).toBe('Bad Gateway'); // Telegraf takes a 5xx description from the status line
    expect((await telegram.getMe()).id).toBe(TEST_BOT.id);

    fake.failNext('editMessageText', { status: 400, description: 'Bad Request: message to edit not found' });
    expect((await telegram.sendMessage(1, 'unaffected')).text).toBe('unaffected');
    expect((await telegramError(telegram.editMessageText(1, 1, undefined, 'y'))).description).toMatch(/not found/);
  });

  it('answers "message is not modified" for an identical edit, as Telegram does', async () => {
    const sent = await telegram.sendMessage(100, 'page 1', keyboard('p:2'));
    const same = await telegramError(
      telegram.editMessageText(100, sent.message_id, undefined, 'page 1', keyboard('p:2')),
    );
    expect(same.code).toBe(400);
    expect(same.description).toMatch(/^Bad Request: message is not modified/);

    const edited = await telegram.editMessageText(100, sent.message_id, undefined, 'page 2', keyboard('p:3'));
    expect(edited).toMatchObject({ message_id: sent.message_id, text: 'page 2', edit_date: expect.any(Number) });
    // Same text, other keyboard: modified. Then the same keyboard again: not.
    await telegram.editMessageReplyMarkup(100, sent.message_id, undefined, keyboard('p:4').reply_markup);
    const markupAgain = await telegramError(
      telegram.editMessageReplyMarkup(100, sent.message_id, undefined, keyboard('p:4').reply_markup),
    );
    expect(markupAgain.description).toMatch(/message is not modified/);
    // Dropping the keyboard is a change too.
    await telegram.editMessageText(100, sent.message_id, undefined, 'page 2');
  });

  it('edits messages it never sent (ids from hand-built updates) without complaint', async () => {
    const edited = await telegram.editMessageText(300, 77, undefined, 'hello');
    expect(edited).toMatchObject({ message_id: 77, text: 'hello' });
    expect(await telegram.editMessageText(undefined, undefined, 'inline-1', 'x')).toBe(true);
  });

  it('answers unknown methods with 404 method not found', async () => {
    const error = await telegramError(telegram.callApi('noSuchMethod' as 'getMe', {}));
    expect(error.code).toBe(404);
    expect(error.description).toBe('Not Found: method not found');
  });

  it('refuses other tokens when one is configured', async () => {
    const strict = await startFakeTelegram({ token: TEST_BOT_TOKEN });
    try {
      const other = new Telegram('123:other', { apiRoot: strict.apiRoot });
      expect((await telegramError(other.getMe())).code).toBe(401);
      expect((await new Telegram(TEST_BOT_TOKEN, { apiRoot: strict.apiRoot }).getMe()).id).toBe(TEST_BOT.id);
    } finally {
      await strict.close();
    }
  });
});

describe('flood control (messagesPerSecond)', () => {
  let clock = 0;
  let limited: FakeTelegram;
  let bot: Telegram;

  beforeAll(async () => {
    limited = await startFakeTelegram({ messagesPerSecond: 3, now: () => clock });
    bot = new Telegram(TEST_BOT_TOKEN, { apiRoot: limited.apiRoot });
  });
  afterAll(() => limited.close());
  beforeEach(() => {
    limited.reset();
    clock = 10_000;
  });

  it('refuses the message past the limit within one second, as Telegram words it', async () => {
    for (let i = 0; i < 3; i++) await bot.sendMessage(100 + i, 'ok');
    clock += 400;
    const error = await telegramError(bot.sendMessage(200, 'one too many'));
    expect(error.code).toBe(429);
    expect(error.description).toBe('Too Many Requests: retry after 1');
    expect(error.parameters).toEqual({ retry_after: 1 });
    expect(limited.messagesOf(200)).toEqual([]);
    clock += 600; // the first three are a second old now
    expect((await bot.sendMessage(200, 'later')).text).toBe('later');
    expect(limited.calls.map((call) => call.status)).toEqual([200, 200, 200, 429, 200]);
  });

  it('counts per bot, counts only messages that went out, and leaves other methods alone', async () => {
    const other = new Telegram('42:another-bot-token-0123456789', { apiRoot: limited.apiRoot });
    for (let i = 0; i < 3; i++) await bot.sendMessage(1, `m${i}`);
    expect((await other.sendMessage(1, 'other bot')).text).toBe('other bot');
    expect((await telegramError(bot.sendPhoto(1, 'AgAC-id'))).code).toBe(429);
    await bot.getMe();
    await bot.sendChatAction(1, 'typing');
    await bot.editMessageText(1, 1, undefined, 'edited');
    clock += 1000;
    limited.failNext('sendMessage', { status: 400, description: 'Bad Request: chat not found' }, 3);
    for (let i = 0; i < 3; i++) expect((await telegramError(bot.sendMessage(1, 'x'))).code).toBe(400);
    expect((await bot.sendMessage(1, 'refusals do not count')).text).toBe('refusals do not count');
  });

  it('is off by default and can be switched at run time', async () => {
    for (let i = 0; i < 10; i++) await telegram.sendMessage(1, `free ${i}`);
    expect(fake.calls.every((call) => call.status === 200)).toBe(true);
    limited.setMessagesPerSecond(undefined);
    for (let i = 0; i < 5; i++) await bot.sendMessage(1, `unlimited ${i}`);
    limited.setMessagesPerSecond(1);
    await bot.sendMessage(1, 'one a second');
    expect((await telegramError(bot.sendMessage(1, 'over'))).code).toBe(429);
    limited.setMessagesPerSecond(3);
  });
});

describe('uploads and files', () => {
  it('accepts a multipart photo upload, records its fields, and serves it back via getFile', async () => {
    const bytes = Buffer.from('\xff\xd8\xff fake jpeg bytes', 'latin1');
    const sent = await telegram.sendPhoto(100, { source: bytes, filename: 'ticket.jpg' }, {
      caption: 'Broken printer',
      ...keyboard('c:1'),
    });
    expect(sent.photo.at(-1)).toMatchObject({ width: 800, height: 600, file_size: bytes.length });
    expect(sent.caption).toBe('Broken printer');

    const [call] = fake.callsOf('sendPhoto');
    expect(call?.payload).toEqual({
      chat_id: 100,
      caption: 'Broken printer',
      reply_markup: { inline_keyboard: [[{ text: 'Next', callback_data: 'c:1', hide: false }]] },
      photo: { filename: 'ticket.jpg', size: bytes.length },
    });
    expect(fake.sentTexts(100)).toEqual(['Broken printer']);

    const fileId = sent.photo.at(-1)!.file_id;
    const file = await telegram.getFile(fileId);
    expect(file.file_path).toMatch(/^photos\//);
    const link = await telegram.getFileLink(fileId);
    const download = await fetch(link);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(bytes);
  });

  it('sends a photo by an id it never saw (kept for getFile), and refuses getFile of unknown ids as Telegram does', async () => {
    const sent = await telegram.sendPhoto(100, 'AgAC-existing-id');
    expect(sent.photo.at(-1)?.file_id).toBe('AgAC-existing-id');
    expect(await telegram.getFile('AgAC-existing-id')).toMatchObject({ file_id: 'AgAC-existing-id', file_size: expect.any(Number) });
    const unknown = await telegramError(telegram.getFile('AgAC-never-seen'));
    expect([unknown.code, unknown.description]).toEqual([400, 'Bad Request: invalid file_id']);
  });

  it('resolves and serves the files people send in updates', async () => {
    const photo = photoUpdate({ userId: 42, fileId: 'AgAC-from-an-update' });
    const largest = photo.message.photo.at(-1)!;
    const file = await telegram.getFile('AgAC-from-an-update');
    expect(file).toMatchObject({ file_id: 'AgAC-from-an-update', file_size: largest.file_size, file_path: expect.stringMatching(/^photos\/.+\.jpg$/) });
    const download = await fetch(await telegram.getFileLink('AgAC-from-an-update'));
    const bytes = Buffer.from(await download.arrayBuffer());
    expect([download.status, download.headers.get('content-type'), bytes.length]).toEqual([200, 'image/jpeg', largest.file_size]);
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff])); // looks like a JPEG

    const doc = documentUpdate({ userId: 42, fileName: 'invoice.pdf', size: 70_000 });
    const docFile = await telegram.getFile(doc.message.document.file_id);
    expect(docFile).toMatchObject({ file_size: 70_000, file_path: expect.stringMatching(/^documents\/.+\.pdf$/) });
    const docDownload = await fetch(await telegram.getFileLink(docFile));
    expect(docDownload.headers.get('content-type')).toBe('application/pdf');
    expect((await docDownload.text()).startsWith('%PDF-')).toBe(true);

    const big = documentUpdate({ userId: 42, fileName: 'scan.tiff', mimeType: 'image/tiff', size: 21 * 1024 * 1024 });
    expect((await telegramError(telegram.getFile(big.message.document.file_id))).description).toBe('Bad Request: file is too big');
  });
});

describe('files tests register', () => {
  const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

  it('serves exact bytes with their type and length', async () => {
    const bytes = Buffer.from('%PDF-1.4 a small invoice');
    const file = fake.registerFile({ bytes, fileName: 'invoice.pdf' });
    expect(file).toMatchObject({ file_size: bytes.length, mime_type: 'application/pdf', kind: 'document', sha256: sha256(bytes) });
    const resolved = await telegram.getFile(file.file_id);
    expect(resolved).toEqual({ file_id: file.file_id, file_unique_id: file.file_unique_id, file_size: bytes.length, file_path: file.file_path });
    const download = await fetch(`${fake.apiRoot}/file/bot${TEST_BOT_TOKEN}/${file.file_path}`);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(download.headers.get('content-length')).toBe(String(bytes.length));
    expect(Buffer.from(await download.arrayBuffer())).toEqual(bytes);
    expect(fake.downloads).toEqual([{ file_id: file.file_id, file_path: file.file_path, size: bytes.length, bytesSent: bytes.length, completed: true, aborted: false }]);
  });

  it('generates big files on the fly, deterministically, with or without a length or a type', async () => {
    const size = 3 * 1024 * 1024 + 17;
    const file = fake.registerFile({ size, kind: 'photo', mimeType: 'image/png', chunked: true, downloadContentType: null });
    const download = await fetch(`${fake.apiRoot}/file/bot${TEST_BOT_TOKEN}/${file.file_path}`);
    expect(download.headers.get('content-length')).toBeNull();
    expect(download.headers.get('content-type')).toBeNull();
    const bytes = Buffer.from(await download.arrayBuffer());
    expect(bytes.length).toBe(size);
    expect(sha256(bytes)).toBe(file.sha256);
    // Same seed, same bytes; another file, other bytes.
    expect(fake.registerFile({ size, kind: 'photo', mimeType: 'image/png', fileId: file.file_id }).sha256).toBe(file.sha256);
    expect(fake.registerFile({ size, kind: 'photo', mimeType: 'image/png' }).sha256).not.toBe(file.sha256);
  });

  it('says "file is too big" over 20 MB and answers 404 for unknown paths and other tokens', async () => {
    const big = fake.registerFile({ size: 20 * 1024 * 1024 + 1 });
    expect((await telegramError(telegram.getFile(big.file_id))).description).toBe('Bad Request: file is too big');
    const small = fake.registerFile({ bytes: 'x' });
    expect((await fetch(`${fake.apiRoot}/file/bot${TEST_BOT_TOKEN}/documents/nope.pdf`)).status).toBe(404);
    const strict = await startFakeTelegram({ token: TEST_BOT_TOKEN });
    try {
      const mine = strict.registerFile({ bytes: 'x' });
      expect((await fetch(`${strict.apiRoot}/file/bot123:other/${mine.file_path}`)).status).toBe(404);
      expect((await fetch(`${strict.apiRoot}/file/bot${TEST_BOT_TOKEN}/${mine.file_path}`)).status).toBe(200);
    } finally {
      await strict.close();
    }
    expect(small.file_path).toMatch(/^documents\/file_\d+\.dat$/);
  });

  it('fails downloads on request, and "*" leaves downloads alone', async () => {
    const file = fake.registerFile({ bytes: 'abc' });
    const url = `${fake.apiRoot}/file/bot${TEST_BOT_TOKEN}/${file.file_path}`;
    fake.failNext('*', { status: 502, description: 'Bad Gateway' });
    expect((await fetch(url)).status).toBe(200);
    fake.failNext('download', { status: 500, description: 'Internal Server Error' });
    expect((await fetch(url)).status).toBe(500);
    expect(await (await fetch(url)).text()).toBe('abc');
    expect((await telegramError(telegram.getMe())).code).toBe(502); // the '*' failure is still queued for the API
  });

  it('notices a client that goes away mid-download', async () => {
    const file = fake.registerFile({ size: 16 * 1024 * 1024 });
    await new Promise<void>((resolve, reject) => {
      const req = request(`${fake.apiRoot}/file/bot${TEST_BOT_TOKEN}/${file.file_path}`, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
      req.end();
    });
    const until = Date.now() + 5000;
    while (!fake.downloads[0]?.aborted && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
    const [record] = fake.downloads;
    expect(record).toMatchObject({ completed: false, aborted: true });
    expect(record!.bytesSent).toBeLessThan(file.file_size);
  });
});

describe('files the bot sends', () => {
  const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

  it('records uploads (name, type, size, hash), ids and URLs', async () => {
    const pdf = Buffer.from('%PDF-1.7 the report');
    const fromUpload = await telegram.sendDocument(100, { source: Readable.from([pdf]), filename: 'report.pdf' }, { caption: 'Report' });
    expect(fromUpload.document).toMatchObject({ file_name: 'report.pdf', mime_type: 'application/pdf', file_size: pdf.length });
    const known = fake.registerFile({ bytes: 'xlsx bytes', fileName: 'plan.xlsx' });
    const byId = await telegram.sendDocument(100, known.file_id);
    expect(byId.document).toMatchObject({ file_id: known.file_id, file_name: 'plan.xlsx' });
    await telegram.sendPhoto(100, 'https://files.example.test/pics/leak.jpg?sig=1');

    expect(fake.sentFiles).toEqual([
      { method: 'sendDocument', chatId: 100, messageId: 1, kind: 'document', via: 'upload', fileId: fromUpload.document.file_id, fileName: 'report.pdf', mimeType: 'application/pdf', size: pdf.length, sha256: sha256(pdf), caption: 'Report' },
      { method: 'sendDocument', chatId: 100, messageId: 2, kind: 'document', via: 'file_id', fileId: known.file_id, fileName: 'plan.xlsx', mimeType: known.mime_type, size: known.file_size },
      expect.objectContaining({ method: 'sendPhoto', messageId: 3, kind: 'photo', via: 'url', url: 'https://files.example.test/pics/leak.jpg?sig=1', fileName: 'leak.jpg' }),
    ]);
    // What the bot uploaded can be downloaded again, byte for byte.
    const link = await telegram.getFileLink(fromUpload.document.file_id);
    expect(Buffer.from(await (await fetch(link)).arrayBuffer())).toEqual(pdf);
  });

  it('sends albums: uploads and ids, one media_group_id, captions per item', async () => {
    const photoBytes = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
    const known = photoUpdate({ userId: 100 }).message.photo.at(-1)!.file_id;
    const sent = await telegram.sendMediaGroup(100, [
      { type: 'photo', media: { source: photoBytes, filename: 'a.jpg' }, caption: 'first' },
      { type: 'photo', media: known },
    ]);
    expect(sent).toHaveLength(2);
    const group = sent[0]!.media_group_id;
    expect(group).toEqual(expect.any(String));
    expect(sent[1]!.media_group_id).toBe(group);
    expect(fake.sentFiles).toEqual([
      expect.objectContaining({ method: 'sendMediaGroup', kind: 'photo', via: 'upload', size: photoBytes.length, sha256: sha256(photoBytes), caption: 'first', mediaGroupId: group, messageId: 1 }),
      expect.objectContaining({ method: 'sendMediaGroup', kind: 'photo', via: 'file_id', fileId: known, mediaGroupId: group, messageId: 2 }),
    ]);
    expect(fake.messagesOf(100).map((m) => m.media_group_id)).toEqual([group, group]);

    const one = await telegramError(telegram.sendMediaGroup(100, [{ type: 'photo', media: known }]));
    expect(one.code).toBe(400);
    // Telegraf's types refuse a mixed album already; the fake refuses it as Telegram would.
    const mixedAlbum = [{ type: 'photo', media: known }, { type: 'document', media: known }] as unknown as Parameters<Telegram['sendMediaGroup']>[1];
    const mixed = await telegramError(telegram.sendMediaGroup(100, mixedAlbum));
    expect(mixed.description).toMatch(/can't be mixed/);
    expect(fake.sentFiles).toHaveLength(2);
  });

  it('keeps the bytes of an upload only up to what getFile could serve again', async () => {
    const size = 21 * 1024 * 1024;
    const chunk = Buffer.alloc(1024 * 1024, 7);
    const hash = createHash('sha256');
    for (let i = 0; i < 21; i++) hash.update(chunk);
    const sent = await telegram.sendDocument(100, { source: Readable.from(Array.from({ length: 21 }, () => chunk)), filename: 'huge.bin' });
    expect(fake.sentFiles[0]).toMatchObject({ size, sha256: hash.digest('hex') });
    expect((await telegramError(telegram.getFile(sent.document.file_id))).description).toBe('Bad Request: file is too big');
  });
});

describe('timing and connections', () => {
  it('adds latency to each call', async () => {
    fake.setLatency(60);
    const started = performance.now();
    await telegram.getMe();
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);

    const slow = await startFakeTelegram({ latencyMs: 50 });
    try {
      const t0 = performance.now();
      await new Telegram(TEST_BOT_TOKEN, { apiRoot: slow.apiRoot }).getMe();
      expect(performance.now() - t0).toBeGreaterThanOrEqual(45);
    } finally {
      await slow.close();
    }
  });

  it('counts TCP connections', async () => {
    const own = await startFakeTelegram();
    try {
      // Telegraf drops its agent for http:// roots, so this is Node's global agent (keep-alive on Node 20+).
      const client = new Telegram(TEST_BOT_TOKEN, { apiRoot: own.apiRoot });
      for (let i = 0; i < 5; i++) await client.getMe();
      expect(own.connections).toBe(1);
      for (let i = 0; i < 2; i++) {
        await new Promise<void>((resolve, reject) => {
          const req = request(`${own.apiRoot}/bot${TEST_BOT_TOKEN}/getMe`, { method: 'POST', agent: false }, (res) => {
            res.resume();
            res.on('end', resolve);
          });
          req.on('error', reject);
          req.end();
        });
      }
      expect(own.connections).toBe(3);
      own.reset();
      expect(own.connections).toBe(0);
    } finally {
      await own.close();
    }
  });
});

describe('update builders through a Telegraf bot', () => {
  it('routes commands, callbacks, contacts and photos', async () => {
    const bot = new Telegraf(TEST_BOT_TOKEN, { telegram: { apiRoot: fake.apiRoot } });
    const seen: string[] = [];
    bot.command('start', async (ctx) => {
      seen.push(`start:${ctx.from.language_code}`);
      await ctx.reply('welcome', keyboard('menu'));
    });
    bot.on('callback_query', async (ctx) => {
      seen.push(`tap:${'data' in ctx.callbackQuery ? ctx.callbackQuery.data : ''}`);
      await ctx.answerCbQuery();
      await ctx.editMessageText('tapped');
    });
    bot.on(message('contact'), async (ctx) => {
      seen.push(`contact:${ctx.message.contact.phone_number}:${ctx.message.contact.user_id === ctx.from.id}`);
    });
    bot.on(message('photo'), async (ctx) => {
      seen.push(`photo:${ctx.message.photo.at(-1)?.file_id}:${ctx.message.caption}`);
    });
    bot.on(message('text'), async (ctx) => {
      seen.push(`text:${ctx.message.text}`);
    });

    const start = textUpdate({ userId: 42, text: '/start', languageCode: 'ru' });
    await bot.handleUpdate(start);
    await bot.handleUpdate(textUpdate({ userId: 42, text: `/start@${TEST_BOT.username}` }));
    await bot.handleUpdate(textUpdate({ userId: 42, text: 'printer broken' }));
    const [welcome] = fake.callsOf('sendMessage');
    expect(welcome?.payload.chat_id).toBe(42);
    await bot.handleUpdate(callbackUpdate({ userId: 42, data: 'menu', messageId: 1, messageText: 'welcome' }));
    await bot.handleUpdate(contactUpdate({ userId: 42, phoneNumber: '+15555550100' }));
    await bot.handleUpdate(photoUpdate({ userId: 42, fileId: 'AgAC-big', caption: 'see photo' }));

    expect(seen).toEqual([
      'start:ru',
      'start:en',
      'text:printer broken',
      'tap:menu',
      'contact:+15555550100:true',
      'photo:AgAC-big:see photo',
    ]);
    expect(fake.callsOf('getMe')).toHaveLength(1);
    expect(fake.sentTexts(42)).toEqual(['welcome', 'welcome', 'tapped']);
    expect(fake.callsOf('editMessageText')[0]?.payload).toMatchObject({ chat_id: 42, message_id: 1 });
  });

  it('numbers updates upward and builds realistic shapes', () => {
    const a = textUpdate({ userId: 7, text: 'hi' });
    const b = callbackUpdate({ userId: 7, chatId: 7, data: 'x', messageId: 3 });
    expect(b.update_id).toBe(a.update_id + 1);
    expect(a.message).toMatchObject({
      from: { id: 7, is_bot: false, language_code: 'en' },
      chat: { id: 7, type: 'private' },
      date: expect.any(Number),
    });
    expect(a.message.entities).toBeUndefined();
    expect(b.callback_query.message).toMatchObject({ message_id: 3, from: { id: TEST_BOT.id, is_bot: true } });
    expect(textUpdate({ userId: 7, text: 'x', languageCode: null }).message.from.language_code).toBeUndefined();
    expect(contactUpdate({ userId: 7, contactUserId: null }).message.contact.user_id).toBeUndefined();
    expect(photoUpdate({ userId: 7 }).message.photo).toHaveLength(3);
  });

  it('builds documents and albums as Telegram delivers them', () => {
    const doc = documentUpdate({ userId: 7, caption: 'see attached' });
    expect(doc.message).toMatchObject({ document: { file_name: 'report.pdf', mime_type: 'application/pdf', file_size: expect.any(Number) }, caption: 'see attached' });
    const album = albumUpdates({ userId: 7, updateId: 5, caption: 'the leak', items: [{ kind: 'photo' }, { kind: 'photo', fileId: 'AgAC-second' }] });
    expect(album).toHaveLength(2);
    const [first, second] = album as [(typeof album)[number], (typeof album)[number]];
    expect(second.update_id).toBe(first.update_id + 1);
    expect(first.update_id).not.toBe(5);
    expect(first.message.media_group_id).toEqual(expect.any(String));
    expect(second.message.media_group_id).toBe(first.message.media_group_id);
    expect([first.message.caption, second.message.caption]).toEqual(['the leak', undefined]);
    expect('photo' in second.message && second.message.photo.at(-1)?.file_id).toBe('AgAC-second');
    const docs = albumUpdates({ userId: 7, items: [{ kind: 'document', fileName: 'a.docx' }, { kind: 'document' }] });
    expect(docs.map((u) => ('document' in u.message ? u.message.document.file_name : undefined))).toEqual(['a.docx', 'report.pdf']);
  });
});
