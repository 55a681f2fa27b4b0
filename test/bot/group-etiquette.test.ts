// In groups the bot hears every /command (privacy mode still delivers commands, also those meant
// for other bots) and replies to its own messages. It answers only what is addressed to it, in
// the same forum topic, and never writes into a channel. Updates below have the shapes Telegram sends.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { Update } from 'telegraf/types';
import { createApp } from '../../lib/app.js';
import { messages } from '../../lib/i18n/index.js';
import { createMemoryKvStore } from '../../lib/store/memory-kv-store.js';
import { startHarness, type BotInstance, type Harness } from '../support/bot-harness.js';
import { nextUpdateId, TEST_BOT, textUpdate } from '../support/updates.js';

let harness: Harness;
let bot: BotInstance;

beforeAll(async () => {
  harness = await startHarness();
  bot = await harness.startInstance();
});
afterAll(() => harness.close());
beforeEach(() => harness.telegram.reset());

const alice = { id: 830_001, is_bot: false, first_name: 'Alice', username: 'alice_w', language_code: 'en' };
// The bot answers each group at most once a minute: every test gets groups of its own.
let nextGroup = 0;
const group = () => ({ id: -4_123_456_000 - ++nextGroup, title: 'Facilities team', type: 'group', all_members_are_administrators: true }) as const;
const supergroup = () => ({ id: -1_001_987_654_000 - ++nextGroup, title: 'Building 3 residents', type: 'supergroup' }) as const;
const forum = { id: -1_002_222_333_444, title: 'Office help desk', type: 'supergroup', is_forum: true } as const;
const channel = { id: -1_003_333_444_555, title: 'Building news', type: 'channel', username: 'building_news' } as const;
let messageId = 500;

function command(chat: object, text: string, extra: Record<string, unknown> = {}, from: object = alice): Update {
  const length = text.split(' ')[0]?.length ?? text.length;
  const message = { message_id: ++messageId, from, chat, date: 1_764_490_000, text, entities: [{ offset: 0, length, type: 'bot_command' }], ...extra };
  return { update_id: nextUpdateId(), message } as unknown as Update;
}

function text(chat: object, body: string, extra: Record<string, unknown> = {}) {
  return { update_id: nextUpdateId(), message: { message_id: ++messageId, from: alice, chat, date: 1_764_490_000, text: body, ...extra } };
}

/** A message the bot itself posted in that chat, as Telegram nests it in `reply_to_message`. */
function botMessage(chat: object) {
  return { message_id: 77, from: TEST_BOT, chat, date: 1_764_489_000, text: 'Please message me in a private chat to open a service request.' };
}

const sentTo = (chatId: number) => harness.telegram.calls.filter((call) => call.payload.chat_id === chatId && call.method.startsWith('send'));

describe('groups: answer only what is addressed to this bot', () => {
  test('commands for everyone or for other bots get no answer', async () => {
    for (const chat of [group(), supergroup()]) {
      for (const body of ['/start', '/report', '/report@other_bot', '/help@GroupHelpBot', '/new']) {
        expect((await bot.send(command(chat, body))).status).toBe(200);
      }
      await bot.send(text(chat, 'Does anyone know when the lift gets fixed?'));
    }
    expect(harness.telegram.calls.filter((call) => call.method.startsWith('send'))).toEqual([]);
  });

  test('/start@this_bot is answered with a way to the private chat', async () => {
    const chat = supergroup();
    await bot.send(command(chat, `/start@${TEST_BOT.username}`));
    const [sent] = sentTo(chat.id);
    expect(sent?.payload.text).toContain('private chat');
    const keyboard = sent?.payload.reply_markup as { inline_keyboard: { url?: string }[][] } | undefined;
    expect(keyboard?.inline_keyboard.flat()[0]?.url).toBe(`https://t.me/${TEST_BOT.username}?start`);
  });

  test('the mention is matched without regard to case', async () => {
    const chat = group();
    await bot.send(command(chat, `/help@${TEST_BOT.username.toUpperCase()}`));
    expect(sentTo(chat.id)).toHaveLength(1);
  });

  test("a reply to the bot's own message is answered; a reply to someone else is not", async () => {
    const chat = supergroup();
    const someone = { message_id: 78, from: alice, chat, date: 1_764_489_000, text: 'the lift is broken again' };
    await bot.send(command(chat, '/report', { reply_to_message: someone }));
    expect(sentTo(chat.id)).toHaveLength(0);
    await bot.send(text(chat, 'how do I open a request?', { reply_to_message: botMessage(chat) }));
    expect(sentTo(chat.id)).toHaveLength(1);
  });

  test('in a forum topic the answer goes to that topic', async () => {
    const topic = { message_thread_id: 42, is_topic_message: true };
    await bot.send(command(forum, '/report', topic));
    expect(sentTo(forum.id)).toHaveLength(0);
    await bot.send(command(forum, `/new@${TEST_BOT.username}`, topic));
    const [sent] = sentTo(forum.id);
    expect(sent?.payload.message_thread_id).toBe(42);
  });

  test('a cold instance that does not know its name yet waits for it before comparing', async () => {
    const cold = await createApp({ config: harness.config, logger: harness.logger, store: createMemoryKvStore() });
    const [first, second] = [group(), group()];
    await cold.handleUpdate(command(first, '/start@other_bot'));
    await cold.handleUpdate(command(second, `/start@${TEST_BOT.username}`));
    expect(sentTo(first.id)).toHaveLength(0);
    expect(sentTo(second.id)).toHaveLength(1);
    await cold.close();
  });

  test('never writes into a channel', async () => {
    const post = (body: string) => ({
      update_id: nextUpdateId(),
      channel_post: { message_id: ++messageId, sender_chat: channel, chat: channel, date: 1_764_490_000, text: body, entities: [{ offset: 0, length: body.length, type: 'bot_command' }] },
    });
    for (const body of ['/start', `/start@${TEST_BOT.username}`]) expect((await bot.send(post(body))).status).toBe(200);
    expect(sentTo(channel.id)).toEqual([]);
  });

  test('group messages cost no store round trip and no session', async () => {
    harness.bridge?.resetStats();
    const chat = supergroup();
    await bot.send(command(chat, '/report'));
    await bot.send(command(chat, `/start@${TEST_BOT.username}`));
    expect(harness.bridge?.stats.requests ?? 0).toBe(0);
  });
});

describe('groups: a flood costs nothing', () => {
  test('60 /start@this_bot from one person, or from 60 people, get one answer a minute per group', async () => {
    const instance = await harness.startInstance();
    const [one, many] = [supergroup(), supergroup()];
    for (let i = 0; i < 60; i++) expect((await instance.send(command(one, `/start@${TEST_BOT.username}`))).status).toBe(200);
    for (let i = 0; i < 60; i++) {
      const person = { ...alice, id: 831_000 + i, first_name: `Neighbour ${i}` };
      expect((await instance.send(command(many, `/start@${TEST_BOT.username}`, {}, person))).status).toBe(200);
    }
    expect(sentTo(one.id)).toHaveLength(1);
    expect(sentTo(many.id)).toHaveLength(1);
    expect(harness.telegram.calls.filter((call) => call.method.startsWith('send'))).toHaveLength(2);
  });

  test('the flood limit runs first: past it nothing more is read or sent in the group, and the person hears of it in the private chat', async () => {
    const instance = await harness.startInstance();
    const loud = { ...alice, id: 832_001 };
    const chat = supergroup();
    for (let i = 0; i < 40; i++) await instance.send(command(chat, `/help@${TEST_BOT.username}`, {}, loud));
    const lines = harness.logs.filter((line) => line.msg === 'update').slice(-10);
    expect(lines.map((line) => line.handler)).toEqual(Array(10).fill('rate-limited'));
    expect(sentTo(chat.id)).toHaveLength(1);
    await instance.send(textUpdate({ userId: loud.id, text: '/start' }));
    expect(harness.telegram.sentTexts(loud.id)).toEqual([expect.stringContaining(messages('en').rateLimited(1).split(' in ')[0] ?? '')]);
  });
});
