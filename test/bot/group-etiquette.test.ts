// In groups the bot hears every /command (privacy mode still delivers commands, also those meant
// for other bots) and replies to its own messages. It answers only what is addressed to it, in
// the same forum topic, and never writes into a channel. Updates below have the shapes Telegram sends.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { Update } from 'telegraf/types';
import { createApp } from '../../lib/app.js';
import { createMemoryKvStore } from '../../lib/store/memory-kv-store.js';
import { startHarness, type BotInstance, type Harness } from '../support/bot-harness.js';
import { nextUpdateId, TEST_BOT } from '../support/updates.js';

let harness: Harness;
let bot: BotInstance;

beforeAll(async () => {
  harness = await startHarness();
  bot = await harness.startInstance();
});
afterAll(() => harness.close());
beforeEach(() => harness.telegram.reset());

const alice = { id: 830_001, is_bot: false, first_name: 'Alice', username: 'alice_w', language_code: 'en' };
const group = { id: -4_123_456_789, title: 'Facilities team', type: 'group', all_members_are_administrators: true } as const;
const supergroup = { id: -1_001_987_654_321, title: 'Building 3 residents', type: 'supergroup' } as const;
const forum = { id: -1_002_222_333_444, title: 'Office help desk', type: 'supergroup', is_forum: true } as const;
const channel = { id: -1_003_333_444_555, title: 'Building news', type: 'channel', username: 'building_news' } as const;
let messageId = 500;

function command(chat: object, text: string, extra: Record<string, unknown> = {}): Update {
  const length = text.split(' ')[0]?.length ?? text.length;
  const message = { message_id: ++messageId, from: alice, chat, date: 1_764_490_000, text, entities: [{ offset: 0, length, type: 'bot_command' }], ...extra };
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
    for (const chat of [group, supergroup]) {
      for (const body of ['/start', '/report', '/report@other_bot', '/help@GroupHelpBot', '/new']) {
        expect((await bot.send(command(chat, body))).status).toBe(200);
      }
      await bot.send(text(chat, 'Does anyone know when the lift gets fixed?'));
    }
    expect(harness.telegram.calls.filter((call) => call.method.startsWith('send'))).toEqual([]);
  });

  test('/start@this_bot is answered with a way to the private chat', async () => {
    await bot.send(command(supergroup, `/start@${TEST_BOT.username}`));
    const [sent] = sentTo(supergroup.id);
    expect(sent?.payload.text).toContain('private chat');
    const keyboard = sent?.payload.reply_markup as { inline_keyboard: { url?: string }[][] } | undefined;
    expect(keyboard?.inline_keyboard.flat()[0]?.url).toBe(`https://t.me/${TEST_BOT.username}?start`);
  });

  test('the mention is matched without regard to case', async () => {
    await bot.send(command(group, `/help@${TEST_BOT.username.toUpperCase()}`));
    expect(sentTo(group.id)).toHaveLength(1);
  });

  test("a reply to the bot's own message is answered; a reply to someone else is not", async () => {
    await bot.send(text(supergroup, 'how do I open a request?', { reply_to_message: botMessage(supergroup) }));
    expect(sentTo(supergroup.id)).toHaveLength(1);
    const someone = { message_id: 78, from: alice, chat: supergroup, date: 1_764_489_000, text: 'the lift is broken again' };
    await bot.send(command(supergroup, '/report', { reply_to_message: someone }));
    expect(sentTo(supergroup.id)).toHaveLength(1);
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
    await cold.handleUpdate(command(group, `/start@${TEST_BOT.username}`));
    await cold.handleUpdate(command(group, '/start@other_bot'));
    expect(sentTo(group.id)).toHaveLength(1);
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
    await bot.send(command(supergroup, '/report'));
    await bot.send(command(supergroup, `/start@${TEST_BOT.username}`));
    expect(harness.bridge?.stats.requests ?? 0).toBe(0);
  });
});
