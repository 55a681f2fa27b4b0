// Issue 10: the person answers the agent, adds information and files, and reads the whole thread,
// end to end through the real webhook, the demo backend over HTTP, the fake Bot API and Redis.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { CommentFile } from '../../lib/backend/schemas.js';
import { messages } from '../../lib/i18n/index.js';
import { MESSAGE_LIMIT } from '../../lib/bot/views/request-thread.js';
import { createServer, type Server } from 'node:http';
import { createNotifyEndpoint } from '../../lib/webhook/notify-endpoint.js';
import { NOTIFY_SECRET, startHarness, type BotInstance, type Harness } from '../support/bot-harness.js';
import { closeServer, listen } from '../support/http.js';
import { Person } from '../support/person.js';
import { demoName } from '../support/catalogue-names.js';
import { atOnceLikeTelegram, plain } from '../support/reliability.js';
import { TEST_BOT, textUpdate } from '../support/updates.js';

let harness: Harness;
let bot: BotInstance;
let notifyUrl: string;
let notifyServer: Server;
let nextUser = 840_000;
const en = messages('en');
const ru = messages('ru');

beforeAll(async () => {
  harness = await startHarness();
  bot = await harness.startInstance();
  notifyServer = createServer(createNotifyEndpoint({ getApp: async () => bot.app, getLogger: () => harness.logger }));
  notifyUrl = await listen(notifyServer);
});
afterAll(async () => {
  await closeServer(notifyServer);
  await harness.close();
});

let nextEvent = 0;
/** POSTs an event to the bot's /api/notify, as the backend does. */
async function notify(event: Record<string, unknown>): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(notifyUrl, {
    method: 'POST',
    headers: { authorization: `Bearer ${NOTIFY_SECRET}`, 'content-type': 'application/json' },
    body: JSON.stringify({ event_id: `event-${process.pid}-${++nextEvent}`, ...event }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** What the backend does when an agent comments: store it, then tell the bot. */
async function agentComments(p: Person, requestId: string, number: string, comment: { text?: string; author_name?: string; attachments?: CommentFile[] }) {
  if ((comment.text ?? '').trim() !== '' || (comment.attachments ?? []).length > 0) harness.backend.addAgentComment(requestId, comment);
  return notify({ kind: 'comment', request_id: requestId, number, telegram_user_id: p.userId, comment });
}
beforeEach(() => harness.telegram.reset());

/** A person with one submitted request, looking at its details. */
async function withRequest(languageCode = 'en'): Promise<{ p: Person; requestId: string; number: string }> {
  const p = new Person(harness, bot, ++nextUser, languageCode);
  const t = languageCode === 'ru' ? ru : en;
  await p.say('/new');
  for (const name of ['Repair', 'Individual', 'Plumbing']) await p.tap(demoName(name, languageCode));
  await p.say('The heating in room 12 does not work');
  await p.tap(t.buttonSkip);
  await p.say(t.buttonSkip);
  await p.tap(t.buttonConfirm);
  const request = harness.backend.requests().find((r) => r.telegram.user_id === p.userId);
  if (!request) throw new Error('no request was created');
  await p.say('/my');
  await p.tap(request.number);
  return { p, requestId: request.id, number: request.number };
}

const commentsOf = (requestId: string) => harness.backend.requests().find((r) => r.id === requestId)?.comments ?? [];

describe('Add comment', () => {
  test('text: one comment, "Added to", and the thread shows it; 2 Redis round trips and 2 backend calls', async () => {
    const { p, requestId, number } = await withRequest();
    await p.tap('Add comment');
    expect(p.screen().text).toContain(`Your comment on ${number}`);
    harness.bridge?.resetStats();
    harness.backend.resetStats();
    await p.say('It is on the second floor, the door code is 4711.');
    expect(harness.bridge?.stats.requests).toBe(2);
    expect(harness.backend.stats.requests).toBe(2);
    expect(harness.backend.stats.byRoute).toEqual({ 'POST /requests/:id/comments': 1, 'GET /requests/:id': 1 });
    expect(commentsOf(requestId)).toMatchObject([{ author: 'customer', text: 'It is on the second floor, the door code is 4711.' }]);
    const shown = p.screen().text;
    expect(shown).toContain(`Added to ${number}`);
    expect(shown).toContain('the door code is 4711');
    // Reply mode is over: the next message is not a comment.
    await p.say('thanks');
    expect(commentsOf(requestId)).toHaveLength(1);
    expect(p.lastText()).toContain('I did not understand');
  });

  test('Telegram delivering the message again, also at once, adds it once', async () => {
    const { p, requestId } = await withRequest();
    await p.tap('Add comment');
    const update = textUpdate({ userId: p.userId, text: 'The radiator valve is stuck.' });
    const { statuses } = await atOnceLikeTelegram(update, [bot], 3);
    expect(statuses).toEqual([200, 200, 200]);
    await bot.send(update);
    expect(commentsOf(requestId)).toHaveLength(1);
  });

  test('a photo, a document with a caption and an album of three become comments; the album is counted in one message', async () => {
    const { p, requestId, number } = await withRequest();
    await p.tap('Add comment');
    await p.sendPhoto({ caption: 'the valve' });
    await p.tap('Add comment');
    await p.sendDocument({ fileName: 'invoice.pdf', caption: 'last repair' });
    await p.tap('Add comment');
    const before = harness.telegram.callsOf('sendMessage').length;
    await p.sendAlbum([{ kind: 'photo' }, { kind: 'photo' }, { kind: 'photo' }], 'three angles');
    const comments = commentsOf(requestId);
    expect(comments.map((c) => { const file = c.attachments[0]; return file && 'kind' in file ? file.kind : undefined; })).toEqual(['photo', 'document', 'photo', 'photo', 'photo']);
    expect(comments[0]?.text).toBe('the valve');
    expect(comments[1]).toMatchObject({ text: 'last repair', attachments: [{ file_name: 'invoice.pdf', mime_type: 'application/pdf' }] });
    expect(comments[2]?.text).toBe('three angles');
    // One confirmation for the album, updated as its items arrive.
    expect(harness.telegram.callsOf('sendMessage').length - before).toBe(1);
    expect(p.screen().text).toContain(`Added 3 files to ${number}`);
  });

  test('too long, too big or not text/photo/document is corrected, and reply mode stays', async () => {
    const { p, requestId } = await withRequest();
    await p.tap('Add comment');
    await p.say('x'.repeat(4001));
    expect(p.lastText()).toContain('too long (4001 characters)');
    await p.sendDocument({ fileName: 'video.mov', mimeType: 'video/quicktime', size: 25 * 1024 * 1024 });
    expect(p.lastText()).toContain('too big for the service desk: up to 20 MB');
    await p.shareContact();
    expect(p.lastText()).toContain('Please send text, a photo, a file');
    expect(commentsOf(requestId)).toHaveLength(0);
    await p.say('x'.repeat(4000));
    expect(commentsOf(requestId)).toHaveLength(1);
  });

  test('Cancel leaves reply mode', async () => {
    const { p, requestId } = await withRequest();
    await p.tap('Add comment');
    await p.tap('Cancel');
    expect(p.screen().text).toContain('nothing was added');
    await p.say('this is not a comment any more');
    expect(commentsOf(requestId)).toHaveLength(0);
  });

  test('a failure with an unknown outcome keeps the comment; Try again adds it once', async () => {
    const { p, requestId, number } = await withRequest();
    await p.tap('Add comment');
    // The backend stores the comment but every answer is lost (the first try and both retries).
    harness.backend.setFault('POST /requests/:id/comments', 'fail-after-create', 3);
    await p.say('Please call before you come.');
    expect(p.screen().text).toContain('could not be added right now');
    expect(commentsOf(requestId)).toHaveLength(1);
    await p.tap('Try again');
    expect(commentsOf(requestId)).toHaveLength(1);
    expect(p.screen().text).toContain(`Added to ${number}`);
  });

  test('in Russian', async () => {
    const { p, requestId, number } = await withRequest('ru');
    await p.tap('Добавить комментарий');
    expect(p.screen().text).toContain(`Комментарий к заявке ${number}`);
    await p.say('Кран течёт на кухне, второй этаж.');
    expect(p.screen().text).toContain(`Добавлено к заявке ${number}`);
    expect(commentsOf(requestId)).toHaveLength(1);
    expect(plain(ru.commentAdded(number))).toBe(`✅ Добавлено к заявке ${number}.`);
  });
});

describe('ownership and closed requests', () => {
  test("a forged Add comment, Try again or file button for someone else's request adds and shows nothing", async () => {
    const owner = await withRequest();
    const { p } = await withRequest();
    const before = p.texts().length;
    await p.press(`cm:${owner.requestId}`);
    expect(p.lastText()).toContain('This request was not found');
    await p.say('I am not the owner but here is a comment');
    await p.press(`cr:${owner.requestId}`);
    await p.press(`fl:en:${owner.requestId}:0:0`);
    expect(commentsOf(owner.requestId)).toHaveLength(0);
    expect(harness.telegram.sentFiles).toHaveLength(0);
    expect(p.texts().slice(before).join('\n')).not.toContain(owner.number);
  });

  test('a closed request has no Add comment, and an old button says it is closed and offers a new request', async () => {
    const { p, requestId, number } = await withRequest();
    const addComment = p.screen().buttons.find((b) => b.text.includes('Add comment'));
    await harness.backend.setStatus(requestId, 'closed');
    await p.tap('Refresh');
    expect(p.labels().some((label) => label.includes('Add comment'))).toBe(false);
    await p.press(addComment?.callback_data ?? '');
    expect(p.screen().text).toContain(`${number} is closed and takes no more comments`);
    expect(p.labels()).toContain(en.buttonNewRequest);
  });
});

describe('the thread', () => {
  test('200 comments: every page fits in one message and Older walks all of them once', async () => {
    const { p, requestId } = await withRequest();
    for (let i = 0; i < 200; i++) {
      harness.backend.addAgentComment(requestId, { author_name: 'Anna', text: `Thread item ${i}: ${'checked & noted; '.repeat(i % 5 === 0 ? 40 : 3)}` });
    }
    await p.tap('Refresh');
    const seen: number[] = [];
    const edits = () => harness.telegram.callsOf('editMessageText').map((call) => String(call.payload.text));
    for (let page = 0; page < 100; page++) {
      const text = p.screen().text;
      seen.unshift(...[...text.matchAll(/Thread item (\d+):/g)].map((m) => Number(m[1])));
      if (!p.labels().includes(en.buttonEarlier)) break;
      await p.tap(en.buttonEarlier);
    }
    for (const sent of edits()) expect(sent.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
    expect(seen).toEqual(Array.from({ length: 200 }, (_, i) => i));
  });

  test("files both ways: an agent's PDF and picture are downloaded and sent; the person's photo goes by file_id", async () => {
    const { p, requestId } = await withRequest();
    await p.tap('Add comment');
    await p.sendPhoto({ caption: 'my side' });
    harness.backend.addAgentComment(requestId, {
      author_name: 'Anna',
      text: 'Here is the report and a photo of the new valve.',
      attachments: [
        { url: harness.backend.fileUrl('sample.pdf'), file_name: 'report.pdf', mime_type: 'application/pdf' },
        { url: harness.backend.fileUrl('photo.png'), file_name: 'valve.png', mime_type: 'image/png' },
        { url: harness.backend.fileUrl('missing.pdf'), file_name: 'lost.pdf', mime_type: 'application/pdf' },
      ],
    });
    await p.tap('Refresh');
    await p.tap('report.pdf');
    await p.tap('valve.png');
    await p.tap('photo 1');
    await p.tap('lost.pdf');
    const files = harness.telegram.sentFiles;
    expect(files.map((f) => `${f.method} ${f.via}`)).toEqual(['sendDocument upload', 'sendPhoto upload', 'sendPhoto file_id']);
    const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
    const pdf = await (await fetch(harness.backend.fileUrl('sample.pdf'))).arrayBuffer();
    expect(files[0]).toMatchObject({ fileName: 'report.pdf', sha256: sha(Buffer.from(pdf)) });
    expect(p.lastText()).toContain('lost.pdf could not be delivered');
  });
});

describe("an agent's comment", () => {
  test('arrives with its text, Reply and View; its files under it; a file that cannot be fetched is told, the text still arrives', async () => {
    const { p, requestId, number } = await withRequest();
    harness.telegram.reset();
    const answer = await agentComments(p, requestId, number, {
      author_name: 'Anna',
      text: 'Which floor is it on? Here is the <inspection> report.',
      attachments: [
        { url: harness.backend.fileUrl('sample.pdf'), file_name: 'report.pdf', mime_type: 'application/pdf' },
        { url: `${harness.backend.url}/files/nowhere.png`, file_name: 'nowhere.png', mime_type: 'image/png' },
      ],
    });
    expect(answer).toMatchObject({ status: 200, body: { delivered: true } });
    const [text, ...rest] = p.texts();
    expect(text).toContain(`Anna on your request ${number}`);
    expect(text).toContain('Here is the <inspection> report.');
    expect(harness.telegram.sentFiles.map((f) => `${f.method} ${f.fileName}`)).toEqual(['sendDocument report.pdf']);
    expect(rest.join('\n')).toContain('nowhere.png could not be delivered');
    expect(p.screen().buttons.map((b) => b.text)).toEqual(['↩️ Reply', `🔎 View ${number}`]);
  });

  test('Reply makes the next message a comment; the notification stays as it was', async () => {
    const { p, requestId, number } = await withRequest();
    await agentComments(p, requestId, number, { author_name: 'Anna', text: 'Which floor?' });
    const notification = p.screen();
    await p.tap('Reply', notification);
    expect(p.messageText(notification.messageId)).toContain('Which floor?');
    expect(p.screen().text).toContain(`Your comment on ${number}`);
    await p.say('The third floor.');
    expect(commentsOf(requestId).map((c) => `${c.author}: ${c.text}`)).toEqual(['agent: Which floor?', 'customer: The third floor.']);
  });

  test("Telegram's swipe-to-reply on the notification answers the agent: one extra Redis command, no extra round trip", async () => {
    const { p, requestId, number } = await withRequest();
    await agentComments(p, requestId, number, { author_name: 'Anna', text: 'Is the water off?' });
    const notification = p.screen().messageId;
    await p.say('/start'); // the person wandered off: no reply mode, the swipe alone decides
    harness.bridge?.resetStats();
    await p.replyTo(notification, 'Yes, since this morning.');
    expect(harness.bridge?.stats.requests).toBe(2);
    // Lease, session, the notification's record and the "screen moved" mark in one round trip;
    // "done", the record of which comment the message became (for an edit of it), the request's
    // reminder cleared (the person answered) and the record of the new "Added to" message in the other.
    expect(harness.bridge?.stats.commandNames).toEqual(['SET', 'GET', 'GET', 'GETDEL', 'SET', 'SET', 'ZREM', 'DEL', 'SET']);
    expect(commentsOf(requestId).at(-1)).toMatchObject({ author: 'customer', text: 'Yes, since this morning.' });
    expect(p.screen().text).toContain(`Added to ${number}`);
  });

  test('a swipe-reply to a status notification works too; to an old one of a closed request it offers a new request', async () => {
    const { p, requestId, number } = await withRequest();
    await harness.backend.setStatus(requestId, 'in_progress');
    await notify({ request_id: requestId, number, status: 'in_progress', telegram_user_id: p.userId });
    const statusMessage = p.screen().messageId;
    expect(p.screen().text).toContain('is now: In progress');
    await p.replyTo(statusMessage, 'When will you come?');
    expect(commentsOf(requestId).at(-1)?.text).toBe('When will you come?');
    await harness.backend.setStatus(requestId, 'closed');
    await p.replyTo(statusMessage, 'It broke again');
    expect(p.screen().text).toContain(`${number} is closed and takes no more comments`);
    expect(commentsOf(requestId).map((c) => c.text)).not.toContain('It broke again');
  });

  test("a reply to someone else's notification adds nothing to their request", async () => {
    const owner = await withRequest();
    await agentComments(owner.p, owner.requestId, owner.number, { text: 'A question for the owner' });
    const theirs = owner.p.screen().messageId;
    const { p } = await withRequest();
    // The intruder's own chat has no message with that id from the bot; forge the reply anyway.
    const update = textUpdate({ userId: p.userId, text: 'I answer for them' });
    await bot.send({ ...update, message: { ...update.message, reply_to_message: { message_id: theirs, from: TEST_BOT, chat: update.message.chat, date: 1, text: 'x' } } });
    expect(commentsOf(owner.requestId).map((c) => c.text)).not.toContain('I answer for them');
  });

  test('in Russian, in the person’s language', async () => {
    const { p, requestId, number } = await withRequest('ru');
    await agentComments(p, requestId, number, { author_name: 'Анна', text: 'На каком этаже?' });
    expect(p.lastText()).toContain(`Анна по вашей заявке ${number}`);
    expect(p.screen().buttons.map((b) => b.text)).toEqual(['↩️ Ответить', `🔎 Открыть ${number}`]);
  });

  test('an empty comment is refused with 400 and the field named', async () => {
    const { p, requestId, number } = await withRequest();
    const answer = await agentComments(p, requestId, number, { text: '   ' });
    expect(answer.status).toBe(400);
    expect(answer.body.fields).toEqual(['comment']);
  });
});
