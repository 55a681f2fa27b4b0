// Issue 17, item 1: every kind of file Telegram delivers (voice, audio, video, round video notes,
// animations, documents of any type), with its caption, wherever the bot takes a file: a comment,
// the draft's attachment step (up to 10, an album one answer), the reason of a reopening; and an
// agent's file of each kind goes back the way it plays. Through the real webhook, the demo backend
// over HTTP, the fake Bot API and Redis.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { CommentFile } from '../../lib/backend/schemas.js';
import { messages } from '../../lib/i18n/index.js';
import { createServer, type Server } from 'node:http';
import { createNotifyEndpoint } from '../../lib/webhook/notify-endpoint.js';
import { NOTIFY_SECRET, startHarness, type BotInstance, type Harness } from '../support/bot-harness.js';
import { closeServer, listen } from '../support/http.js';
import { Person } from '../support/person.js';
import { demoName } from '../support/catalogue-names.js';
import { current, requestsAtBackend } from '../support/lifecycle.js';

let harness: Harness;
let bot: BotInstance;
let notifyUrl: string;
let notifyServer: Server;
let nextUser = 870_000;
const en = messages('en');

beforeAll(async () => {
  harness = await startHarness({ backend: { onStatusChange: async (notification) => void (await bot.app.notify(notification)) } });
  bot = await harness.startInstance();
  notifyServer = createServer(createNotifyEndpoint({ getApp: async () => bot.app, getLogger: () => harness.logger }));
  notifyUrl = await listen(notifyServer);
});
afterAll(async () => {
  await closeServer(notifyServer);
  await harness.close();
});
beforeEach(() => harness.telegram.reset());

/** A person with one submitted request, looking at its details. */
async function withRequest(): Promise<{ p: Person; requestId: string; number: string }> {
  const p = new Person(harness, bot, ++nextUser);
  const [request] = await requestsAtBackend(harness.backend, p.userId);
  if (!request) throw new Error('no request');
  await p.say('/my');
  await p.tap(request.number);
  return { p, requestId: request.id, number: request.number };
}

const commentsOf = (requestId: string) => harness.backend.requests().find((r) => r.id === requestId)?.comments ?? [];

async function atAttachmentStep(p: Person, description = 'Water drips from the kitchen ceiling'): Promise<void> {
  await p.say('/new');
  for (const name of ['Repair', 'Individual', 'Plumbing']) await p.tap(demoName(name, 'en'));
  await p.say(description);
}

describe('comments take every kind of file, with its caption as the text', () => {
  test('voice, audio, video, video note and animation: kind, duration, size and type reach the backend', async () => {
    const { p, requestId, number } = await withRequest();
    for (const kind of ['voice', 'audio', 'video', 'video_note', 'animation'] as const) {
      await p.tap('Add comment');
      await p.sendMedia(kind, kind === 'video_note' ? {} : { caption: `the ${kind}` });
      expect(p.screen().text).toContain(`Added to ${number}`);
    }
    const comments = commentsOf(requestId);
    expect(comments.map((c) => c.text)).toEqual(['the voice', 'the audio', 'the video', undefined, 'the animation']);
    expect(comments.map((c) => c.attachments[0])).toMatchObject([
      { kind: 'voice', mime_type: 'audio/ogg', duration: 4, file_size: 9_817 },
      { kind: 'audio', mime_type: 'audio/mpeg', file_name: 'noise.mp3', duration: 26 },
      { kind: 'video', mime_type: 'video/mp4', file_name: 'leak.mp4', duration: 12, file_size: 1_830_000 },
      { kind: 'video_note', duration: 7, file_size: 640_000 },
      // Telegram also puts an animation under `document`: it is still an animation.
      { kind: 'animation', mime_type: 'video/mp4', duration: 3 },
    ]);
  });

  test('a document of any type (a zip) is taken, with its name and size', async () => {
    const { p, requestId } = await withRequest();
    await p.tap('Add comment');
    await p.sendDocument({ fileName: 'logs.tar.gz', mimeType: 'application/gzip', size: 3_000_000 });
    expect(commentsOf(requestId)[0]?.attachments).toMatchObject([{ kind: 'document', file_name: 'logs.tar.gz', mime_type: 'application/gzip', file_size: 3_000_000 }]);
  });
});

describe('the draft takes up to 10 files of any kind', () => {
  test('a voice message with a caption: added, the caption appended to the description; the request carries it', async () => {
    const p = new Person(harness, bot, ++nextUser);
    await atAttachmentStep(p);
    expect(p.screen().text).toContain(en.askPhoto);
    await p.sendMedia('voice', { caption: 'listen to the noise' });
    expect(p.texts()).toContain(en.filesAdded(1));
    await p.say(en.buttonSkip);
    expect(p.screen().text).toContain('Water drips from the kitchen ceiling\nlisten to the noise');
    expect(p.screen().text).toContain('Files: 1');
    await p.tap(en.buttonConfirm);
    const request = harness.backend.requests().find((r) => r.telegram.user_id === p.userId);
    expect(request?.description).toBe('Water drips from the kitchen ceiling\nlisten to the noise');
    expect(request?.attachments).toMatchObject([{ kind: 'voice', mime_type: 'audio/ogg', duration: 4 }]);
  });

  test('an album of three documents is one answer: one step on, one notice counting them; more at the summary up to 10', async () => {
    const p = new Person(harness, bot, ++nextUser);
    await atAttachmentStep(p);
    await p.sendAlbum([{ kind: 'document', fileName: 'a.pdf' }, { kind: 'document', fileName: 'b.pdf' }, { kind: 'document', fileName: 'c.pdf' }]);
    // One step on (the phone), not three; the notice says 3.
    expect(p.texts().filter((text) => text.includes(en.askContact))).toHaveLength(1);
    expect(p.texts()).toContain(en.filesAdded(3));
    await p.say(en.buttonSkip);
    expect(p.screen().text).toContain('Files: 3');
    for (let i = 0; i < 8; i++) await p.sendMedia('video', { duration: i + 1 });
    expect(p.screen().text).toContain('Files: 10');
    expect(p.lastText()).toBe(en.filesFull(10));
    await p.tap(en.buttonConfirm);
    const request = harness.backend.requests().find((r) => r.telegram.user_id === p.userId);
    expect(request?.attachments.map((a) => a.kind)).toEqual(['document', 'document', 'document', 'video', 'video', 'video', 'video', 'video', 'video', 'video']);
    expect(request?.attachments[0]).toMatchObject({ file_name: 'a.pdf', mime_type: 'application/pdf' });
  });
});

test('Still a problem takes a video note as its reason', async () => {
  const p = new Person(harness, bot, ++nextUser);
  const [request] = await requestsAtBackend(harness.backend, p.userId);
  if (!request) throw new Error('no request');
  await harness.backend.resolveNewest(p.userId);
  await p.tap('Still a problem');
  await p.sendMedia('video_note');
  expect(p.screen().text).toContain(`Request ${request.number} is reopened`);
  expect(current(harness.backend, request.id)).toMatchObject({ status: 'in_progress', attachments: [{ kind: 'video_note', duration: 7 }] });
});

let nextEvent = 0;
async function agentSends(p: Person, requestId: string, number: string, attachments: CommentFile[]): Promise<number> {
  harness.backend.addAgentComment(requestId, { text: 'Have a listen', attachments });
  const response = await fetch(notifyUrl, {
    method: 'POST',
    headers: { authorization: `Bearer ${NOTIFY_SECRET}`, 'content-type': 'application/json' },
    body: JSON.stringify({ event_id: `media-${process.pid}-${++nextEvent}`, kind: 'comment', request_id: requestId, number, telegram_user_id: p.userId, comment: { text: 'Have a listen', attachments } }),
  });
  return response.status;
}

test("an agent's file goes back as what it is: a voice note plays as a voice note", async () => {
  const { p, requestId, number } = await withRequest();
  harness.telegram.reset();
  const file = (name: string, mime: string, kind?: string) => ({ url: harness.backend.fileUrl('sample.pdf'), file_name: name, mime_type: mime, ...(kind && { kind }) }) as CommentFile;
  const status = await agentSends(p, requestId, number, [
    file('answer.ogg', 'audio/ogg', 'voice'),
    file('pump.mp3', 'audio/mpeg', 'audio'),
    file('fix.mp4', 'video/mp4', 'video'),
    file('round.mp4', 'video/mp4', 'video_note'),
    file('done.mp4', 'video/mp4', 'animation'),
    file('manual.pdf', 'application/pdf'),
  ]);
  expect(status).toBe(200);
  expect(harness.telegram.sentFiles.map((f) => `${f.method} ${f.fileName ?? ''}`.trim())).toEqual([
    'sendVoice answer.ogg',
    'sendAudio pump.mp3',
    'sendVideo fix.mp4',
    'sendVideoNote round.mp4',
    'sendAnimation done.mp4',
    'sendDocument manual.pdf',
  ]);
  // The person's own voice message, opened from the thread, plays as one too (by file_id).
  await p.tap('Reply');
  await p.sendMedia('voice');
  const thread = p.screen();
  harness.telegram.reset();
  await p.tap('voice message', thread);
  expect(harness.telegram.sentFiles.map((f) => `${f.method} ${f.via}`)).toEqual(['sendVoice file_id']);
});
