// Issue 11 through the real webhook, in English and Russian: cancel a request, confirm a fix or
// reopen it, rate the service; the details and My requests show the new status at once.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { messages } from '../../lib/i18n/index.js';
import { sessionKey } from '../../lib/session/session.js';
import { keyNamespace } from '../../lib/store/key-namespace.js';
import { startHarness, updateLines, type BotInstance, type Harness } from '../support/bot-harness.js';
import { current, lifecycleCalls, rateElsewhere, requestsAtBackend } from '../support/lifecycle.js';
import { Person } from '../support/person.js';
import { redisOf, storedSession } from '../support/reliability.js';
import { TEST_BOT_TOKEN } from '../support/updates.js';

let harness: Harness;
let bot: BotInstance;
let nextUser = 1_100_000;
const en = messages('en');
const ru = messages('ru');

beforeAll(async () => {
  // The demo backend tells the bot of status changes, as a real backend calls /api/notify.
  harness = await startHarness({ backend: { maxReopens: 1, onStatusChange: async (notification) => void (await bot.app.notify(notification)) } });
  bot = await harness.startInstance();
});
afterAll(() => harness.close());
beforeEach(() => harness.telegram.reset());

function person(languageCode = 'en'): Person {
  return new Person(harness, bot, ++nextUser, languageCode);
}

/** The person's one request, made at the backend, and its details screen open. */
async function detailsOfNew(p: Person): Promise<{ id: string; number: string }> {
  const [request] = await requestsAtBackend(harness.backend, p.userId);
  if (!request) throw new Error('no request made');
  await p.say('/my');
  await p.tap(request.number);
  return request;
}

function toasts(): string[] {
  return harness.telegram.callsOf('answerCallbackQuery').map((call) => String(call.payload.text ?? ''));
}

describe('cancel', () => {
  test('with a reason: asked first, cancelled at Yes, the reason attached; details and My requests show it at once', async () => {
    const p = person();
    const request = await detailsOfNew(p);
    expect(p.screen().text).toContain('Status: New');
    await p.tap('Cancel request');
    expect(p.screen().text).toBe(`Cancel request ${request.number}? This cannot be undone.`);
    expect(current(harness.backend, request.id)?.status).toBe('new');
    await p.tap('Yes, cancel it');
    expect(p.screen().text).toBe(`✖️ Request ${request.number} is cancelled.\n\nIf you like, tell us why in one message (up to 1000 characters), or tap Skip.`);
    await p.say('Fixed it myself');
    expect(p.screen().text).toBe(`✖️ Request ${request.number} is cancelled.\n${en.reasonAttached}`);
    expect(current(harness.backend, request.id)?.status_history.at(-1)).toMatchObject({ status: 'cancelled', comment: 'Fixed it myself' });
    expect(lifecycleCalls(harness.backend, request.id)).toEqual([
      expect.objectContaining({ action: 'cancel', outcome: 'applied', key: `tg-${p.userId}-cancel-${request.id}` }),
      expect.objectContaining({ action: 'cancel-reason', outcome: 'applied' }),
    ]);

    await p.tap(`View ${request.number}`);
    expect(p.screen().text).toContain('Status: Cancelled');
    expect(p.labels().join(' ')).not.toContain('Cancel request');
    await p.say('/my');
    expect(p.labels()).toContain(`${request.number} · Cancelled · Plumbing`);
  });

  test('a reason asked for by the version before (not cancelled yet) still cancels, with the reason', async () => {
    const p = person();
    const [request] = await requestsAtBackend(harness.backend, p.userId);
    if (!request) throw new Error('no request');
    const key = `${keyNamespace({ token: TEST_BOT_TOKEN })}:${sessionKey(p.userId)}`;
    const until = Math.floor(Date.now() / 1000) + 600;
    await redisOf(harness).set(key, JSON.stringify({ lang: 'en', pending: { kind: 'cancel-reason', requestId: request.id, number: request.number, until } }));
    await p.say('Not needed any more');
    expect(current(harness.backend, request.id)?.status_history.at(-1)).toMatchObject({ status: 'cancelled', comment: 'Not needed any more' });
    expect(p.screen().text).toBe(`✖️ Request ${request.number} is cancelled.\n${en.reasonAttached}`);
    expect(lifecycleCalls(harness.backend, request.id).map((entry) => entry.action)).toEqual(['cancel']);
  });

  test('in Russian, Skip: no reason; the progress toast is shown while the backend works', async () => {
    const p = person('ru');
    const request = await detailsOfNew(p);
    expect(p.screen().text).toContain('Статус: Новая');
    await p.tap('Отменить заявку');
    expect(p.screen().text).toBe(`Отменить заявку ${request.number}? Это действие нельзя отменить.`);
    await p.tap('Да, отменить');
    await p.tap('Пропустить');
    expect(p.screen().text).toBe(`✖️ Заявка ${request.number} отменена.`);
    expect(toasts()).toContain(ru.sending);
    expect(current(harness.backend, request.id)?.status_history.at(-1)).toEqual({ status: 'cancelled', at: expect.any(String), comment: undefined });
    await p.tap(`Открыть ${request.number}`);
    expect(p.screen().text).toContain('Статус: Отменена');
  });

  test('No, keep it changes nothing; a message after the question is not taken as a reason', async () => {
    const p = person();
    const request = await detailsOfNew(p);
    await p.tap('Cancel request');
    await p.tap('No, keep it');
    expect(p.screen().text).toContain(`Request ${request.number}`);
    await p.tap('Cancel request');
    await p.say('This is not a reason for anything');
    expect(p.lastText()).toContain('I did not understand');
    expect(current(harness.backend, request.id)?.status).toBe('new');
    expect(lifecycleCalls(harness.backend, request.id)).toEqual([]);
  });

  test('a resolved request offers no Cancel; a forged Cancel tap is told it is too late', async () => {
    const p = person();
    const [request] = await requestsAtBackend(harness.backend, p.userId);
    await harness.backend.setStatus(request?.id ?? '', 'resolved', 'Done');
    await p.say('/my');
    await p.tap(request?.number ?? '');
    expect(p.labels()).toEqual(expect.arrayContaining(['✅ Solved', '↩️ Still a problem']));
    expect(p.labels().join(' ')).not.toContain('Cancel request');
    await p.press(`ca:en:${request?.id}`);
    expect(p.screen().text).toBe(`${request?.number} can no longer be cancelled: its status is Resolved.`);
    await p.press(`cy:${request?.id}`);
    expect(p.screen().text).toBe(`${request?.number} can no longer be cancelled: its status is Resolved.`);
    expect(lifecycleCalls(harness.backend, request?.id ?? '')).toEqual([]);
  });
});

describe('resolved: Solved or Still a problem', () => {
  test('Solved closes the request and asks for a rating; one tap and a comment rate it; the details show it', async () => {
    const p = person();
    const [request] = await requestsAtBackend(harness.backend, p.userId);
    if (!request) throw new Error('no request');
    await harness.backend.resolveNewest(p.userId);
    const notification = p.screen();
    expect(notification.text).toContain(`Your request ${request.number} is now: Resolved.`);
    expect(notification.buttons.map((b) => b.text)).toEqual([`🔎 View ${request.number}`, '✅ Solved', '↩️ Still a problem']);

    await p.tap('Solved');
    expect(p.screen().text).toBe(`✅ Glad it is solved! Request ${request.number} is closed.\n\n${en.askRating}`);
    expect(p.labels().slice(0, 5)).toEqual(['1⭐', '2⭐', '3⭐', '4⭐', '5⭐']);
    expect(current(harness.backend, request.id)?.status).toBe('closed');
    await p.tap('5⭐');
    expect(p.screen().text).toBe(`⭐ Thank you! Your rating of ${request.number}: ⭐⭐⭐⭐⭐\n\n${en.ratingAskComment(1000)}`);
    await p.say('Quick and polite');
    expect(p.screen().text).toBe(`⭐ Thank you! Your rating of ${request.number}: ⭐⭐⭐⭐⭐\n${en.ratingCommentAttached}`);
    expect(current(harness.backend, request.id)?.rating).toEqual({ score: 5, comment: 'Quick and polite', at: expect.any(String) });

    await p.tap(`View ${request.number}`);
    expect(p.screen().text).toContain('Status: Closed');
    expect(p.screen().text).toContain('Your rating: ⭐⭐⭐⭐⭐\n💬 Quick and polite');
    expect(p.labels().join(' ')).not.toContain('⭐');
    expect(lifecycleCalls(harness.backend, request.id).map((entry) => [entry.action, entry.outcome])).toEqual([
      ['confirm', 'applied'],
      ['rating', 'applied'],
      ['rating-comment', 'applied'],
    ]);
  });

  test('in Russian: Still a problem with a photo reopens; the second time the backend allows no more and a new request is offered', async () => {
    const p = person('ru');
    await p.say('/start'); // the bot learns the person's language, for notifications
    const [request] = await requestsAtBackend(harness.backend, p.userId);
    if (!request) throw new Error('no request');
    await harness.backend.resolveNewest(p.userId);
    expect(p.screen().text).toContain(`Статус заявки ${request.number}: Решена.`);
    await p.tap('Проблема осталась');
    expect(p.screen().text).toBe(`Что всё ещё не так с заявкой ${request.number}? Напишите сообщение (до 1000 символов), пришлите фото или файл.`);
    await p.sendPhoto();
    expect(p.screen().text).toBe(`↩️ Заявка ${request.number} открыта снова. Мы с вами свяжемся.`);
    expect(current(harness.backend, request.id)?.status).toBe('in_progress');
    expect(current(harness.backend, request.id)?.status_history.at(-1)?.attachments).toMatchObject([{ telegram_file_id: 'photo-file-id-1', kind: 'photo' }]);

    await harness.backend.resolveNewest(p.userId);
    await p.tap('Проблема осталась');
    await p.say('Снова капает ночью');
    expect(p.screen().text).toContain(`Заявку ${request.number} уже открывали повторно столько раз, сколько можно, поэтому вот новая заявка`);
    expect(p.screen().text).toContain('Снова капает ночью');
    expect(p.labels()).toContain(ru.buttonConfirm);
    expect(current(harness.backend, request.id)?.status).toBe('resolved');
    expect(lifecycleCalls(harness.backend, request.id, { action: 'reopen' }).map((entry) => entry.outcome)).toEqual(['applied', 'refused']);
  });

  test('Solved on a request the desk already took back is told so, and posts nothing', async () => {
    const p = person();
    const [request] = await requestsAtBackend(harness.backend, p.userId);
    await harness.backend.resolveNewest(p.userId);
    const notification = p.screen();
    await harness.backend.setStatus(request?.id ?? '', 'in_progress', 'One more visit');
    await p.tap('Solved', notification);
    // The answer replaces the notification tapped; the desk's own notification came after it.
    expect(p.texts()).toContain(`${request?.number} is not waiting for your answer any more: its status is In progress.`);
    expect(lifecycleCalls(harness.backend, request?.id ?? '')).toEqual([]);
  });
});

describe('rating', () => {
  test('in Russian: a star rates, Skip adds no comment; a closed notification later carries stars and is told politely it was rated', async () => {
    const p = person('ru');
    await p.say('/start');
    const [request] = await requestsAtBackend(harness.backend, p.userId);
    if (!request) throw new Error('no request');
    await harness.backend.resolveNewest(p.userId);
    await p.tap('Решено');
    await p.tap('4⭐');
    expect(p.screen().text).toContain(`⭐ Спасибо! Ваша оценка заявки ${request.number}: ⭐⭐⭐⭐\n\n${ru.ratingAskComment(1000)}`);
    await p.tap('Пропустить');
    expect(p.screen().text).toBe(`⭐ Спасибо! Ваша оценка заявки ${request.number}: ⭐⭐⭐⭐`);
    expect(current(harness.backend, request.id)?.rating).toEqual({ score: 4, comment: undefined, at: expect.any(String) });

    await bot.app.notify({ kind: 'status', request_id: request.id, number: request.number, status: 'closed', telegram_user_id: p.userId, comment: undefined });
    expect(p.labels()).toEqual([`🔎 Открыть ${request.number}`, '1⭐', '2⭐', '3⭐', '4⭐', '5⭐']);
    await p.tap('1⭐');
    expect(p.screen().text).toBe(`Вы уже оценили заявку ${request.number}. Спасибо, одной оценки достаточно!`);
    expect(current(harness.backend, request.id)?.rating?.score).toBe(4);
    expect(lifecycleCalls(harness.backend, request.id, { action: 'rating' })).toHaveLength(1);
  });

  test('rated meanwhile from elsewhere: the star is told politely, and sends nothing', async () => {
    const p = person();
    const [request] = await requestsAtBackend(harness.backend, p.userId);
    if (!request) throw new Error('no request');
    await harness.backend.resolveNewest(p.userId);
    await p.tap('Solved');
    expect(await rateElsewhere(harness.backend, request, 5)).toBe(201);
    await p.tap('2⭐');
    expect(p.screen().text).toBe(`You have already rated ${request.number}. Thank you, once is enough!`);
    expect(current(harness.backend, request.id)?.rating?.score).toBe(5);
    expect(lifecycleCalls(harness.backend, request.id, { action: 'rating' }).map((entry) => entry.key)).toEqual([`elsewhere-${request.id}`]);
  });

  test('a score chosen before the star rated at the tap (a question asked by the version before) still goes, with its comment', async () => {
    const p = person();
    const [request] = await requestsAtBackend(harness.backend, p.userId);
    if (!request) throw new Error('no request');
    await harness.backend.setStatus(request.id, 'closed', 'Done');
    const key = `${keyNamespace({ token: TEST_BOT_TOKEN })}:${sessionKey(p.userId)}`;
    const until = Math.floor(Date.now() / 1000) + 600;
    await redisOf(harness).set(key, JSON.stringify({ lang: 'en', pending: { kind: 'rating-comment', requestId: request.id, number: request.number, score: 4, until } }));
    await p.say('Fine in the end');
    expect(current(harness.backend, request.id)?.rating).toMatchObject({ score: 4, comment: 'Fine in the end' });
    expect(p.screen().text).toBe(`⭐ Thank you! Your rating of ${request.number}: ⭐⭐⭐⭐\n${en.ratingCommentAttached}`);
    expect(lifecycleCalls(harness.backend, request.id).map((entry) => entry.action)).toEqual(['rating']);
  });

  test('a closed request not rated yet offers the stars on its details', async () => {
    const p = person();
    const [request] = await requestsAtBackend(harness.backend, p.userId);
    await harness.backend.setStatus(request?.id ?? '', 'closed', 'Closed by the desk');
    await p.say('/my');
    await p.tap(request?.number ?? '');
    expect(p.labels().slice(0, 5)).toEqual(['1⭐', '2⭐', '3⭐', '4⭐', '5⭐']);
    expect(p.screen().text).not.toContain('Your rating');
    await p.tap('2⭐');
    await p.tap('Skip');
    await p.tap(`View ${request?.number}`);
    expect(p.screen().text).toContain('Your rating: ⭐⭐');
    expect(p.labels().join(' ')).not.toContain('⭐');
  });

  test('a comment that is no text, or too long, is corrected and the question stays', async () => {
    const p = person();
    const [request] = await requestsAtBackend(harness.backend, p.userId);
    await harness.backend.resolveNewest(p.userId);
    await p.tap('Solved');
    await p.tap('3⭐');
    await p.sendPhoto();
    expect(p.lastText()).toBe(en.reasonNeedsText);
    await p.say('x'.repeat(1001));
    expect(p.lastText()).toBe(en.reasonTooLong(1000, 1001));
    await p.say('Fine');
    expect(current(harness.backend, request?.id ?? '')?.rating).toMatchObject({ score: 3, comment: 'Fine' });
  });
});

describe('a question the bot asked', () => {
  test('ends with a command: the next message is no reason', async () => {
    const p = person();
    const [request] = await requestsAtBackend(harness.backend, p.userId);
    await harness.backend.resolveNewest(p.userId);
    await p.tap('Still a problem');
    await p.say('/help');
    await p.say('The weather is nice today, by the way');
    expect(p.lastText()).toContain('I did not understand');
    expect(current(harness.backend, request?.id ?? '')?.status).toBe('resolved');
    expect((await storedSession(redisOf(harness), p.userId))?.pending).toBeUndefined();
  });

  test('ends when it waited too long', async () => {
    const p = person();
    const [request] = await requestsAtBackend(harness.backend, p.userId);
    await harness.backend.resolveNewest(p.userId);
    await p.tap('Still a problem');
    const redis = redisOf(harness);
    const session = await storedSession(redis, p.userId);
    expect(session?.pending).toMatchObject({ kind: 'reopen-reason', requestId: request?.id });
    const key = `${keyNamespace({ token: TEST_BOT_TOKEN })}:${sessionKey(p.userId)}`;
    await redis.set(key, JSON.stringify({ ...session, pending: { ...session?.pending, until: Math.floor(Date.now() / 1000) - 1 } }));
    await p.say('It still drips after all');
    expect(p.lastText()).toContain('I did not understand');
    expect(current(harness.backend, request?.id ?? '')?.status).toBe('resolved');
  });

  test('a new request from a draft ends it too', async () => {
    const p = person();
    await requestsAtBackend(harness.backend, p.userId);
    await harness.backend.resolveNewest(p.userId);
    await p.tap('Still a problem');
    await p.say('/new');
    await p.tap('Repair');
    await p.tap('Individual');
    await p.tap('Plumbing');
    await p.say('The bathroom tap drips too');
    expect(p.screen().text).toContain('add a photo');
    expect(harness.backend.lifecycleLog().filter((entry) => entry.key.startsWith(`tg-${p.userId}-`))).toEqual([]);
  });
});

test('every update of this file stayed within 2 Redis round trips', () => {
  const lines = updateLines(harness);
  expect(lines.length).toBeGreaterThan(50);
  const handlers = new Set(lines.map((line) => line.handler));
  for (const handler of ['cancel-request', 'solved', 'reopen', 'rating', 'my-requests', 'request-details']) expect(handlers).toContain(handler);
  // A cold catalogue entry adds its cache read and write; the update's own state stays within 2.
  expect(lines.filter((line) => Number(line.cache_misses) === 0 && Number(line.redis_round_trips) > 2)).toEqual([]);
});
