// Issue 6.7: no one is let in. Wrong or missing secrets on the webhook, api/notify and the cron
// report are refused with nothing done; forged callback_data cannot show or act on another
// person's request or draft; per-person rate limits answer politely; and the log lines of a
// whole conversation hold no token, secret, phone number or anything the person typed.
import { createServer, type RequestListener } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { App } from '../../lib/app.js';
import type { EndpointDeps } from '../../lib/webhook/endpoint-deps.js';
import { messages } from '../../lib/i18n/index.js';
import { createCronReportEndpoint } from '../../lib/webhook/cron-report-endpoint.js';
import { createNotifyEndpoint } from '../../lib/webhook/notify-endpoint.js';
import { ADMIN_ID, CRON_SECRET, NOTIFY_SECRET, WEBHOOK_SECRET, startHarness, updateLines, type BotInstance, type Harness } from '../support/bot-harness.js';
import { closeServer, listen } from '../support/http.js';
import { Person } from '../support/person.js';
import { createTally, plain, rawSession, redisOf, toDescription, toSummary, watchUnhandledRejections } from '../support/reliability.js';
import { textUpdate } from '../support/updates.js';

let harness: Harness;
let bot: BotInstance;
let nextUser = 670_000;
const servers: ReturnType<typeof createServer>[] = [];
const tally = createTally('security');
const rejections = watchUnhandledRejections();
const en = messages('en');

beforeAll(async () => {
  harness = await startHarness();
  bot = await harness.startInstance();
});
afterAll(async () => {
  rejections.stop();
  await Promise.all(servers.map(closeServer));
  tally.report([harness]);
  await harness.close();
});
beforeEach(() => harness.telegram.reset());

/** Serves an endpoint on loopback, as Vercel would, over the given app. */
async function serve(factory: (deps: EndpointDeps) => RequestListener, app: App = bot.app): Promise<string> {
  const server = createServer(factory({ getApp: async () => app, getLogger: () => harness.logger }));
  servers.push(server);
  return listen(server);
}

function person(instance: BotInstance = bot, languageCode = 'en'): Person {
  return new Person(harness, instance, ++nextUser, languageCode);
}

function requestsOf(userId: number) {
  return harness.backend.requests().filter((request) => request.telegram.user_id === userId);
}

const rawSessionOf = (userId: number) => rawSession(redisOf(harness), userId);

describe('webhook secret', () => {
  test('wrong or missing: 401, nothing processed', async () => {
    const p = person();
    await toDescription(p);
    const session = await rawSessionOf(p.userId);
    harness.telegram.reset();
    const bridgeBefore = harness.bridge?.stats.requests;
    const linesBefore = updateLines(harness).length;
    const backendBefore = harness.backend.stats.requests;
    const presented = [null, '', 'wrong', `${WEBHOOK_SECRET}x`, WEBHOOK_SECRET.slice(0, -1), WEBHOOK_SECRET.toUpperCase(), `${WEBHOOK_SECRET}${WEBHOOK_SECRET}`];
    for (const secret of presented) {
      const answer = await bot.send(textUpdate({ userId: p.userId, text: 'A description that would move the draft on' }), { secret });
      expect(answer.status).toBe(401);
    }
    expect(harness.telegram.calls).toEqual([]);
    expect(updateLines(harness).length).toBe(linesBefore);
    expect(harness.bridge?.stats.requests).toBe(bridgeBefore);
    expect(harness.backend.stats.requests).toBe(backendBefore);
    expect(await rawSessionOf(p.userId)).toBe(session);
    expect(harness.rawLogs.some((line) => line.includes(WEBHOOK_SECRET.slice(0, -1)))).toBe(false);
  });
});

describe('api/notify', () => {
  const valid = { request_id: 'req-1', number: 'SR-1', status: 'resolved', telegram_user_id: 1234 };
  const post = (url: string, body: string, authorization?: string) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(authorization !== undefined && { authorization }) }, body });

  test('401 without the bearer NOTIFY_SECRET', async () => {
    const url = await serve(createNotifyEndpoint);
    for (const authorization of [undefined, '', 'Bearer', 'Bearer wrong', `Basic ${NOTIFY_SECRET}`, `Bearer ${CRON_SECRET}`, `Bearer ${NOTIFY_SECRET}x`, NOTIFY_SECRET]) {
      expect((await post(url, JSON.stringify(valid), authorization)).status).toBe(401);
    }
    expect(harness.telegram.calls).toEqual([]);
  });

  test('400 for a bad body, 413 for a huge one', async () => {
    const url = await serve(createNotifyEndpoint);
    const bad = [
      'not json',
      '',
      '[]',
      '{}',
      JSON.stringify({ ...valid, status: 'done' }),
      JSON.stringify({ ...valid, telegram_user_id: '1234' }),
      JSON.stringify({ ...valid, telegram_user_id: -5 }),
      JSON.stringify({ ...valid, number: undefined }),
      JSON.stringify({ ...valid, comment: 42 }),
    ];
    for (const body of bad) expect((await post(url, body, `Bearer ${NOTIFY_SECRET}`)).status).toBe(400);
    expect((await post(url, JSON.stringify({ ...valid, comment: 'x'.repeat(20_000) }), `Bearer ${NOTIFY_SECRET}`)).status).toBe(413);
    expect(harness.telegram.calls).toEqual([]);
    expect((await post(url, JSON.stringify(valid), `Bearer ${NOTIFY_SECRET}`)).status).toBe(200);
  });

  test('405 for GET', async () => {
    const url = await serve(createNotifyEndpoint);
    const response = await fetch(url, { headers: { authorization: `Bearer ${NOTIFY_SECRET}` } });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });

  test('503 while NOTIFY_SECRET is unset, and says so', async () => {
    const unset = await harness.startInstance({ config: { ...harness.config, notifySecret: undefined } });
    const url = await serve(createNotifyEndpoint, unset.app);
    expect((await post(url, JSON.stringify(valid), `Bearer ${NOTIFY_SECRET}`)).status).toBe(503);
    expect(harness.logs.some((line) => line.level === 'error' && String(line.msg).includes('NOTIFY_SECRET'))).toBe(true);
  });
});

describe('cron report', () => {
  test('401 without the bearer CRON_SECRET', async () => {
    const url = await serve(createCronReportEndpoint);
    for (const authorization of [undefined, 'Bearer wrong', `Bearer ${NOTIFY_SECRET}`, CRON_SECRET, `Bearer ${CRON_SECRET.slice(1)}`]) {
      const response = await fetch(url, { headers: authorization === undefined ? {} : { authorization } });
      expect(response.status).toBe(401);
    }
    expect(harness.telegram.calls).toEqual([]);
    expect((await fetch(url, { headers: { authorization: `Bearer ${CRON_SECRET}` } })).status).toBe(200);
  });

  test('503 while CRON_SECRET is unset', async () => {
    const unset = await harness.startInstance({ config: { ...harness.config, cronSecret: undefined } });
    const url = await serve(createCronReportEndpoint, unset.app);
    expect((await fetch(url, { headers: { authorization: `Bearer ${CRON_SECRET}` } })).status).toBe(503);
  });
});

describe('forged callback_data', () => {
  test('cannot act on another person’s draft', async () => {
    const owner = person();
    await toSummary(owner, 'The intercom at the front door is dead');
    const draftId = owner.screen().buttons.find((b) => b.text === en.buttonConfirm)?.callback_data.split(':')[1] ?? '';
    expect(draftId).not.toBe('');
    const ownerSession = await rawSessionOf(owner.userId);

    const intruder = person();
    await intruder.say('/start');
    for (const data of [`ok:${draftId}`, `ed:${draftId}`, `sp:${draftId}`]) {
      await intruder.press(data);
      expect(intruder.lastText()).toContain(en.menuExpired);
    }
    expect(await rawSessionOf(owner.userId)).toBe(ownerSession);
    expect(harness.backend.requests().filter((r) => r.description === 'The intercom at the front door is dead')).toHaveLength(0);

    await owner.tap('Confirm');
    expect(requestsOf(owner.userId)).toHaveLength(1);
    tally.expectRequests(1);
    expect(requestsOf(intruder.userId)).toHaveLength(0);
  });

  test('cannot show another person’s request', async () => {
    const owner = person();
    await toSummary(owner, 'Broken window latch in the bedroom');
    await owner.tap('Confirm');
    tally.expectRequests(1);
    const [stored] = requestsOf(owner.userId);
    const intruder = person(bot, 'ru');
    await intruder.say('/start');
    for (const data of [`d:en:${stored?.id}`, `d:ru:${stored?.id}`, `o:en:${stored?.id}`, `d:en:${stored?.number}`]) {
      harness.telegram.reset();
      await intruder.press(data, { messageId: 100_000, text: '', buttons: [] });
      const shown = harness.telegram.calls.map((call) => JSON.stringify(call.payload)).join('\n');
      expect(shown).not.toContain(stored?.number);
      expect(shown).not.toContain('Broken window latch');
    }
    expect(harness.logs.filter((line) => line.msg === 'request refused: not found or not owned by the person').length).toBeGreaterThanOrEqual(4);
  });

  test('a non-admin’s cache-clear clears nothing', async () => {
    const p = person();
    const before = bot.app.deps.cache.stats().version;
    harness.bridge?.resetStats();
    await p.say('/cache_clear');
    await p.press('cc');
    expect(p.lastText()).toContain(en.menuExpired);
    expect(harness.bridge?.stats.commandNames).not.toContain('INCRBY');
    expect(bot.app.deps.cache.stats().version).toBe(before);
    const admin = new Person(harness, bot, ADMIN_ID);
    await admin.press('cc', { messageId: 100_000, text: '', buttons: [] });
    expect(harness.bridge?.stats.commandNames).toContain('INCRBY');
  });
});

describe('rate limits', () => {
  test('6th submission in an hour refused, draft kept', async () => {
    // Three submissions on each of two instances: the limit is shared through Redis.
    const other = await harness.startInstance();
    const p = person();
    for (let i = 1; i <= 6; i++) {
      p.instance = i <= 3 ? bot : other;
      await p.say('/start');
      await p.press('p:1:10:100');
      await p.say(`Submission number ${i}: the light in the hall flickers`);
      await p.tap('Skip');
      await p.say('skip');
      await p.tap('Confirm');
    }
    expect(requestsOf(p.userId)).toHaveLength(5);
    tally.expectRequests(5);
    expect(p.screen().text).toMatch(/You can send this one at \d{2}:\d{2} UTC/);
    expect(p.screen().text).toContain('Submission number 6: the light in the hall flickers');
    expect(p.labels()).toContain(en.buttonConfirm);
    const session = JSON.parse((await rawSessionOf(p.userId)) ?? '{}') as { draft?: { description?: string; step?: string } };
    expect(session.draft).toMatchObject({ step: 'confirm', description: 'Submission number 6: the light in the hall flickers' });

    const someoneElse = person();
    await toSummary(someoneElse, 'Someone else’s perfectly normal request');
    await someoneElse.tap('Confirm');
    expect(requestsOf(someoneElse.userId)).toHaveLength(1);
    tally.expectRequests(1);
  });

  test('flood: the 31st update answered once, then quiet', async () => {
    const instance = await harness.startInstance();
    const flooder = person(instance);
    const bystander = person(instance);
    for (let i = 0; i < 30; i++) expect((await flooder.say('/help')).status).toBe(200);
    const redisBefore = harness.bridge?.stats.requests;
    const linesBefore = updateLines(harness).length;
    for (let i = 0; i < 5; i++) expect((await flooder.say('/help')).status).toBe(200);
    expect(updateLines(harness).slice(linesBefore).map((line) => line.handler)).toEqual(Array(5).fill('rate-limited'));
    expect(harness.bridge?.stats.requests).toBe(redisBefore); // refused before any round trip
    const sent = harness.telegram.sentTexts(flooder.userId);
    expect(sent).toHaveLength(31);
    expect(sent.at(-1)).toMatch(new RegExp(`^${en.rateLimited(999).replace('999', '\\d+').replace(/[.?]/g, '\\$&')}$`));

    await bystander.say('/help');
    expect(harness.telegram.sentTexts(bystander.userId)).toHaveLength(1);
    expect(harness.telegram.sentTexts(bystander.userId)[0]).not.toContain('going a bit fast');
  });

  test('flood: the 31st tap is told once, the next ones only stop their spinner', async () => {
    const instance = await harness.startInstance();
    const flooder = person(instance);
    for (let i = 0; i < 30; i++) await flooder.press('t:en', { messageId: 100_000, text: '', buttons: [] });
    harness.telegram.reset();
    for (let i = 0; i < 3; i++) await flooder.press('t:en', { messageId: 100_000, text: '', buttons: [] });
    // Every tap is answered (the answer rides in the webhook reply), but only the first says why.
    const answers = harness.telegram.callsOf('answerCallbackQuery');
    expect(answers).toHaveLength(3);
    expect(answers.every((answer) => answer.viaWebhook === true)).toBe(true);
    expect(String(answers[0]?.payload.text)).toMatch(/going a bit fast/);
    expect(answers.slice(1).map((answer) => answer.payload.text)).toEqual([undefined, undefined]);
    expect(harness.telegram.callsOf('editMessageText')).toHaveLength(0);
    expect(harness.telegram.callsOf('sendMessage')).toHaveLength(0);
  });
});

describe('logs of a whole conversation', () => {
  test('no token, secret, phone number or typed text', async () => {
    const from = harness.rawLogs.length;
    const description = 'Gas smell near the boiler in flat 12B, please hurry';
    const p = new Person(harness, bot, ++nextUser, 'en', 'Zebediah');
    await toDescription(p);
    await p.say(description);
    await p.sendPhoto();
    await p.shareContact();
    await p.tap('Confirm');
    tally.expectRequests(1);
    const [stored] = requestsOf(p.userId);
    await p.say('/my');
    await p.tap(stored?.number ?? 'missing');
    const notify = await serve(createNotifyEndpoint);
    const comment = 'Engineer Bartholomew arrives at nine';
    const pushed = await fetch(notify, {
      method: 'POST',
      headers: { authorization: `Bearer ${NOTIFY_SECRET}`, 'content-type': 'application/json' },
      body: JSON.stringify({ request_id: stored?.id, number: stored?.number, status: 'in_progress', telegram_user_id: p.userId, comment }),
    });
    expect(pushed.status).toBe(200);
    expect(plain(p.lastText())).toContain(comment);
    await p.tap(stored?.number ?? 'missing'); // the notification's button opens the details
    await p.say('/cancel');

    const lines = harness.rawLogs.slice(from);
    // Every update's line, the submission and the notification were all logged, and checked below.
    expect(lines.filter((line) => line.includes('"msg":"update"'))).toHaveLength(13);
    expect(lines.some((line) => line.includes('"msg":"request submitted"'))).toBe(true);
    expect(lines.some((line) => line.includes('"msg":"status notification sent"'))).toBe(true);
    expect(lines.some((line) => line.includes('"level":"debug"'))).toBe(true); // the chattiest level was on
    const token = harness.config.telegram.token;
    const forbidden = [
      token,
      token.split(':')[1] ?? token,
      WEBHOOK_SECRET,
      NOTIFY_SECRET,
      CRON_SECRET,
      harness.config.redis?.token ?? 'no-redis-token',
      '+15555550123',
      '15555550123',
      '5555550123',
      description,
      'Gas smell',
      'flat 12B',
      'Zebediah',
      comment,
      'Bartholomew',
    ];
    for (const secret of forbidden) {
      expect(lines.filter((line) => line.includes(secret)), secret).toEqual([]);
    }
  });

  test('a failed upload logs the Bot API error without the file name or the upload', async () => {
    const url = await serve(createNotifyEndpoint);
    const fileName = 'Patient Ivanova, scan of passport.pdf';
    const fileUrl = harness.backend.serveFile('scan-1.pdf', Buffer.from('%PDF-1.4 a scan'), 'application/pdf');
    const from = harness.rawLogs.length;
    harness.telegram.failNext('sendDocument', { status: 500, description: 'Internal Server Error' });
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${NOTIFY_SECRET}` },
      body: JSON.stringify({
        kind: 'comment',
        request_id: 'req-1',
        number: 'SR-1',
        telegram_user_id: ++nextUser,
        comment: { text: 'Your scan', attachments: [{ url: fileUrl, file_name: fileName, mime_type: 'application/pdf' }] },
      }),
    });
    expect(response.status).toBe(503);
    const lines = harness.rawLogs.slice(from);
    const failure = lines.map((line) => JSON.parse(line) as Record<string, unknown>).find((line) => line.level === 'error');
    expect(failure?.err).toEqual({ type: 'TelegramError', method: 'sendDocument', code: 500, message: 'Internal Server Error' });
    for (const leaked of ['Ivanova', 'passport', '_readableState', 'source', 'Your scan']) expect(lines.filter((line) => line.includes(leaked)), leaked).toEqual([]);
  });

  test('no unhandled rejection', () => {
    expect(rejections.seen).toEqual([]);
  });
});
