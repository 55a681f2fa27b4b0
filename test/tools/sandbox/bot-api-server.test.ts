// The fake Bot API against Telegraf's real client, and the update builders against Telegraf's router.
import { request } from 'node:http';
import { Markup, Telegraf, Telegram, TelegramError } from 'telegraf';
import { message } from 'telegraf/filters';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { messageText, startFakeTelegram, type FakeTelegram } from '../../support/fake-telegram.js';
import { callbackUpdate, contactUpdate, photoUpdate, TEST_BOT, TEST_BOT_TOKEN, textUpdate } from '../../support/updates.js';

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

  it('sends a photo by file id and gives unknown file ids a placeholder file', async () => {
    const sent = await telegram.sendPhoto(100, 'AgAC-existing-id');
    expect(sent.photo.at(-1)?.file_id).toBe('AgAC-existing-id');
    const file = await telegram.getFile('AgAC-from-an-update');
    expect(file).toMatchObject({ file_id: 'AgAC-from-an-update', file_size: expect.any(Number) });
    const download = await fetch(await telegram.getFileLink('AgAC-from-an-update'));
    expect(download.status).toBe(200);
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
});
