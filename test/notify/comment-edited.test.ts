// An agent edits a comment the person was already told about: the `comment_edited` event on the
// real /api/notify, Redis through the Upstash bridge, the fake Bot API. The message that carried
// the comment is edited while Telegram allows it; otherwise "Updated: …" answers it (a reply), and
// a comment the bot never carried (or cannot match) arrives as a fresh message marked as an update.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { App } from '../../lib/app.js';
import { messages } from '../../lib/i18n/index.js';
import { keyNamespace } from '../../lib/store/key-namespace.js';
import { createNotifyEndpoint } from '../../lib/webhook/notify-endpoint.js';
import { NOTIFY_SECRET, startHarness, type BotInstance, type Harness } from '../support/bot-harness.js';
import { closeServer, listen } from '../support/http.js';
import { Person } from '../support/person.js';
import { redisOf } from '../support/reliability.js';
import { TEST_BOT_TOKEN } from '../support/updates.js';

const NAMESPACE = keyNamespace({ token: TEST_BOT_TOKEN });
const en = messages('en');
const ru = messages('ru');

let harness: Harness;
let bot: BotInstance;
let url: string;
const servers: Server[] = [];
let nextUser = 610_000;
let nextEvent = 0;
let nextComment = 0;

async function serve(app: App): Promise<string> {
  const server = createServer(createNotifyEndpoint({ getApp: async () => app, getLogger: () => harness.logger }));
  servers.push(server);
  return listen(server);
}

beforeAll(async () => {
  harness = await startHarness();
  bot = await harness.startInstance();
  url = await serve(bot.app);
});
afterAll(async () => {
  await Promise.all(servers.map(closeServer));
  await harness.close();
});
beforeEach(() => harness.telegram.reset());

async function post(event: Record<string, unknown>, to = url): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(to, {
    method: 'POST',
    headers: { authorization: `Bearer ${NOTIFY_SECRET}`, 'content-type': 'application/json' },
    body: JSON.stringify({ event_id: `edit-${process.pid}-${++nextEvent}`, ...event }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

interface Thread {
  readonly userId: number;
  readonly requestId: string;
  readonly number: string;
}

function thread(): Thread {
  const userId = ++nextUser;
  return { userId, requestId: `req-${userId}`, number: `SR-${userId}` };
}

function commentEvent(on: Thread, comment: Record<string, unknown>) {
  return { kind: 'comment', request_id: on.requestId, number: on.number, telegram_user_id: on.userId, comment: { author_name: 'Anna', ...comment } };
}

function editEvent(on: Thread, comment: Record<string, unknown>) {
  return { kind: 'comment_edited', request_id: on.requestId, number: on.number, telegram_user_id: on.userId, comment: { author_name: 'Anna', ...comment } };
}

const callsIn = (method: string, chatId: number) => harness.telegram.callsOf(method).filter((call) => Number(call.payload.chat_id) === chatId);
const bridgeRequests = () => harness.bridge?.stats.requests ?? Number.NaN;
/** The store's commands, without the shared send pace's (one script call beside the claim). */
const storeCommands = () => (harness.bridge?.stats.commandNames ?? []).filter((name) => !name.startsWith('EVAL'));
const paceCalls = () => (harness.bridge?.stats.commandNames ?? []).filter((name) => name.startsWith('EVAL')).length;

describe('the message still editable', () => {
  test('is edited in place: new text, same head, Reply and View kept; no new message', async () => {
    const on = thread();
    const id = `c-${++nextComment}`;
    const sent = await post(commentEvent(on, { id, text: 'Is the water off?' }));
    expect(sent).toMatchObject({ status: 200, body: { delivered: true } });
    const messageId = Number(sent.body.messageId);

    const edited = await post(editEvent(on, { id, text: 'Is the water off in the kitchen?' }));

    expect(edited).toMatchObject({ status: 200, body: { delivered: true, messageId } });
    expect(callsIn('sendMessage', on.userId)).toHaveLength(1);
    const [edit] = callsIn('editMessageText', on.userId);
    expect(edit?.payload).toMatchObject({ chat_id: on.userId, message_id: messageId, parse_mode: 'HTML' });
    const [message] = harness.telegram.messagesOf(on.userId);
    expect(message?.text).toContain(`<b>Anna</b> on your request <b>${on.number}</b>`);
    expect(message?.text).toContain('Is the water off in the kitchen?');
    expect(message?.text).not.toContain('Is the water off?\n');
    const buttons = (message?.reply_markup as { inline_keyboard: { text: string }[][] }).inline_keyboard.flat().map((b) => b.text);
    expect(buttons).toEqual([en.buttonReply, en.buttonViewRequest(on.number)]);
  });

  test('the comment’s message is remembered in the notification’s own write: still 2 store round trips (+ the pace’s), 2 more commands', async () => {
    const on = thread();
    const id = `c-${++nextComment}`;
    harness.bridge?.resetStats();
    await post(commentEvent(on, { id, text: 'Which floor?' }));
    expect(bridgeRequests()).toBe(3);
    expect(paceCalls()).toBe(1);
    // Lease, its GET, the session; then the outcome, the swipe-reply record, the chat's "screen moved"
    // mark and the comment's message.
    expect(storeCommands()).toEqual(['SET', 'GET', 'GET', 'SET', 'SET', 'SET', 'SET']);
    const redis = redisOf(harness);
    const keys = await redis.keys(`${NAMESPACE}:comment-message:${on.userId}:*`);
    expect(keys).toHaveLength(1);
    expect(await redis.ttl(keys[0] as string)).toBeGreaterThan(29 * 86_400);
  });

  test('an edit costs 2 store round trips (+ the pace’s): the lease, session and comment record read together; the outcome after', async () => {
    const on = thread();
    const id = `c-${++nextComment}`;
    await post(commentEvent(on, { id, text: 'Which floor?' }));
    harness.bridge?.resetStats();
    await post(editEvent(on, { id, text: 'Which floor, and which room?' }));
    expect(bridgeRequests()).toBe(3);
    expect(paceCalls()).toBe(1);
    expect(storeCommands()).toEqual(['SET', 'GET', 'GET', 'GET', 'SET']);
  });

  test('a redelivered edit is a duplicate; the same edit under a new event id changes nothing ("not modified")', async () => {
    const on = thread();
    const id = `c-${++nextComment}`;
    await post(commentEvent(on, { id, text: 'Which floor?' }));
    const edit = { event_id: `edit-${process.pid}-${++nextEvent}`, ...editEvent(on, { id, text: 'Which floor exactly?' }) };
    expect(await post(edit)).toMatchObject({ status: 200, body: { delivered: true } });
    expect(await post(edit)).toMatchObject({ status: 200, body: { delivered: true, duplicate: true } });
    const again = await post(editEvent(on, { id, text: 'Which floor exactly?' }));
    expect(again).toMatchObject({ status: 200, body: { delivered: true } });
    expect(callsIn('sendMessage', on.userId)).toHaveLength(1);
    expect(callsIn('editMessageText', on.userId).map((call) => call.status)).toEqual([200, 400]);
  });

  test('in Russian, in the person’s language', async () => {
    const p = new Person(harness, bot, ++nextUser, 'ru');
    await p.say('/start'); // the bot remembers the person's language
    const on = { userId: p.userId, requestId: `req-${p.userId}`, number: `SR-${p.userId}` };
    const id = `c-${++nextComment}`;
    await post(commentEvent(on, { id, author_name: 'Анна', text: 'На каком этаже?' }));
    harness.telegram.failNext('editMessageText', { status: 400, description: "Bad Request: message can't be edited" });
    await post(editEvent(on, { id, author_name: 'Анна', text: 'На каком этаже и в какой комнате?' }));
    expect(p.lastText()).toContain(`Изменено: Анна по вашей заявке ${on.number}`);
    expect(p.lastText()).toContain('На каком этаже и в какой комнате?');
    expect(p.screen().buttons.map((b) => b.text)).toEqual([ru.buttonReply, ru.buttonViewRequest(on.number)]);
  });
});

describe('the message no longer editable', () => {
  test('Telegram refuses the edit: "Updated: …" as a reply to the comment’s message, with Reply and View', async () => {
    const on = thread();
    const id = `c-${++nextComment}`;
    const sent = await post(commentEvent(on, { id, text: 'Which floor?' }));
    harness.telegram.failNext('editMessageText', { status: 400, description: "Bad Request: message can't be edited" });
    const edited = await post(editEvent(on, { id, text: 'Which floor and room?' }));
    expect(edited).toMatchObject({ status: 200, body: { delivered: true } });
    const sends = callsIn('sendMessage', on.userId);
    expect(sends).toHaveLength(2);
    const update = sends[1];
    expect(update?.payload.reply_parameters).toMatchObject({ message_id: Number(sent.body.messageId) });
    expect(String(update?.payload.text)).toContain(`Updated: <b>Anna</b> on your request <b>${on.number}</b>`);
    expect(String(update?.payload.text)).toContain('Which floor and room?');
    expect(JSON.stringify(update?.payload.reply_markup)).toContain(en.buttonReply);
    expect(edited.body.messageId).toBe((update?.result as { message_id: number }).message_id);
    // The original stays as it was.
    expect(harness.telegram.messagesOf(on.userId)[0]?.text).toContain('Which floor?');
  });

  test('past the edit window the bot does not try: it answers the comment’s message at once', async () => {
    const instance = await harness.startInstance({ notify: { commentEditWindowSeconds: 0 } });
    const to = await serve(instance.app);
    const on = thread();
    const id = `c-${++nextComment}`;
    const sent = await post(commentEvent(on, { id, text: 'Which floor?' }), to);
    await post(editEvent(on, { id, text: 'Which floor, please?' }), to);
    expect(callsIn('editMessageText', on.userId)).toEqual([]);
    const update = callsIn('sendMessage', on.userId)[1];
    expect(update?.payload.reply_parameters).toMatchObject({ message_id: Number(sent.body.messageId) });
    expect(String(update?.payload.text)).toContain('Which floor, please?');
  });

  test('the person deleted the message: the update still arrives, as a message of its own', async () => {
    const on = thread();
    const id = `c-${++nextComment}`;
    await post(commentEvent(on, { id, text: 'Which floor?' }));
    harness.telegram.failNext('editMessageText', { status: 400, description: 'Bad Request: message to edit not found' });
    const edited = await post(editEvent(on, { id, text: 'Which floor now?' }));
    expect(edited).toMatchObject({ status: 200, body: { delivered: true } });
    const update = callsIn('sendMessage', on.userId)[1];
    expect(update?.payload.reply_parameters).toMatchObject({ allow_sending_without_reply: true });
    expect(String(update?.payload.text)).toContain('Which floor now?');
  });
});

describe('an edit the bot cannot match', () => {
  test('a comment sent without comment.id: its edit arrives as a fresh message marked as an update; a swipe-reply to it answers the agent', async () => {
    const p = new Person(harness, bot, ++nextUser);
    await p.say('/new');
    await p.tap('Repair');
    await p.tap('Individual');
    await p.tap('Plumbing');
    await p.say('The heating in room 12 does not work');
    await p.tap(en.buttonSkip);
    await p.say(en.buttonSkip);
    await p.tap(en.buttonConfirm);
    const request = harness.backend.requests().find((r) => r.telegram.user_id === p.userId);
    if (!request) throw new Error('no request was created');
    const on = { userId: p.userId, requestId: request.id, number: request.number };
    await post(commentEvent(on, { text: 'Which floor?' }));
    harness.telegram.reset();

    const edited = await post(editEvent(on, { id: 'never-seen', text: 'Which floor is it on?' }));

    expect(edited).toMatchObject({ status: 200, body: { delivered: true } });
    expect(callsIn('editMessageText', on.userId)).toEqual([]);
    const [fresh] = callsIn('sendMessage', on.userId);
    expect(fresh?.payload.reply_parameters).toBeUndefined();
    expect(p.lastText()).toContain(`Updated: Anna on your request ${on.number}`);
    expect(p.lastText()).toContain('Which floor is it on?');
    await p.replyTo(Number(edited.body.messageId), 'The second floor.');
    expect(harness.backend.requests().find((r) => r.id === request.id)?.comments.at(-1)).toMatchObject({ author: 'customer', text: 'The second floor.' });
  });

  test('comment_edited needs comment.id and text: 400 names the field', async () => {
    const on = thread();
    expect(await post(editEvent(on, { text: 'No id' }))).toMatchObject({ status: 400, body: { fields: ['comment.id'] } });
    expect(await post(editEvent(on, { id: 'c-1' }))).toMatchObject({ status: 400, body: { fields: ['comment.text'] } });
    expect(await post(editEvent(on, { id: 'c-1', text: '  ' }))).toMatchObject({ status: 400, body: { fields: ['comment.text'] } });
    expect(harness.telegram.calls).toEqual([]);
  });
});
