// A confirmed action happens at the tap; what follows is optional. "Yes, cancel it" cancels, a star
// rates; the reason or the comment that may follow is attached afterwards (PATCH), or, by a backend
// that does not know the follow-up calls (404/405), added as an ordinary comment. English and Russian.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startHarness, updateLines, type BotInstance, type Harness } from '../support/bot-harness.js';
import { current, lifecycleCalls, requestsAtBackend } from '../support/lifecycle.js';
import { Person } from '../support/person.js';

let harness: Harness;
let bot: BotInstance;
let nextUser = 1_160_000;

beforeAll(async () => {
  harness = await startHarness({ backend: { onStatusChange: async (notification) => void (await bot.app.notify(notification)) } });
  bot = await harness.startInstance();
});
afterAll(() => harness.close());
beforeEach(() => harness.telegram.reset());

function person(languageCode = 'en', on: { harness: Harness; bot: BotInstance } = { harness, bot }): Person {
  return new Person(on.harness, on.bot, ++nextUser, languageCode);
}

/** The person's one request, made at the backend, its details open. */
async function detailsOfNew(p: Person, on: Harness = harness): Promise<{ id: string; number: string }> {
  const [request] = await requestsAtBackend(on.backend, p.userId);
  if (!request) throw new Error('no request made');
  await p.say('/my');
  await p.tap(request.number);
  return request;
}

function actions(on: Harness, id: string): string[][] {
  return lifecycleCalls(on.backend, id).map((entry) => [entry.action, entry.outcome]);
}

describe('"Yes, cancel it" cancels at the tap', () => {
  test('a person who walks away after Yes has a cancelled request; My requests says so', async () => {
    const p = person();
    const request = await detailsOfNew(p);
    await p.tap('Cancel request');
    expect(current(harness.backend, request.id)?.status).toBe('new');
    await p.tap('Yes, cancel it');
    expect(current(harness.backend, request.id)?.status).toBe('cancelled');
    expect(lifecycleCalls(harness.backend, request.id)).toEqual([
      expect.objectContaining({ action: 'cancel', outcome: 'applied', key: `tg-${p.userId}-cancel-${request.id}` }),
    ]);
    expect(p.screen().text).toContain(`✖️ Request ${request.number} is cancelled.`);
    expect(p.screen().text).toContain('up to 1000 characters');
    await p.say('/my');
    expect(p.labels()).toContain(`${request.number} · Cancelled · Plumbing`);
  });

  test('the reason that follows is attached to the cancellation, and the details show it', async () => {
    const p = person();
    const request = await detailsOfNew(p);
    await p.tap('Cancel request');
    await p.tap('Yes, cancel it');
    await p.say('Fixed it myself');
    expect(current(harness.backend, request.id)?.status_history.at(-1)).toMatchObject({ status: 'cancelled', comment: 'Fixed it myself' });
    expect(actions(harness, request.id)).toEqual([
      ['cancel', 'applied'],
      ['cancel-reason', 'applied'],
    ]);
    expect(p.screen().text).toContain(`✖️ Request ${request.number} is cancelled.`);
    expect(p.screen().text).toContain('Your reason is attached');
    await p.tap(`View ${request.number}`);
    expect(p.screen().text).toContain('Cancelled — Fixed it myself');
    // The question is over: the next message is no second reason.
    await p.say('And one more thing about it');
    expect(actions(harness, request.id)).toHaveLength(2);
  });

  test('in Russian: Skip after "Да, отменить" sends nothing more; a second tap on Yes cancels nothing twice', async () => {
    const p = person('ru');
    const request = await detailsOfNew(p);
    await p.tap('Отменить заявку');
    const ask = p.screen();
    await p.tap('Да, отменить', ask);
    expect(current(harness.backend, request.id)?.status).toBe('cancelled');
    expect(p.screen().text).toContain(`✖️ Заявка ${request.number} отменена.`);
    expect(p.screen().text).toContain('до 1000 символов');
    await p.tap('Да, отменить', ask);
    await p.tap('Пропустить');
    expect(p.screen().text).toBe(`✖️ Заявка ${request.number} отменена.`);
    expect(actions(harness, request.id)).toEqual([['cancel', 'applied']]);
  });
});

describe('a star rates at the tap', () => {
  test('a person who walks away after the star has rated', async () => {
    const p = person();
    const [request] = await requestsAtBackend(harness.backend, p.userId);
    await harness.backend.resolveNewest(p.userId);
    await p.tap('Solved');
    await p.tap('4⭐');
    expect(current(harness.backend, request?.id ?? '')?.rating).toEqual({ score: 4, comment: undefined, at: expect.any(String) });
    expect(p.screen().text).toContain(`⭐ Thank you! Your rating of ${request?.number}: ⭐⭐⭐⭐`);
    expect(p.screen().text).toContain('up to 1000 characters');
    expect(p.labels().join(' ')).not.toContain('⭐');
  });

  test('the comment that follows is attached to the rating; the details show both', async () => {
    const p = person();
    const [request] = await requestsAtBackend(harness.backend, p.userId);
    if (!request) throw new Error('no request');
    await harness.backend.resolveNewest(p.userId);
    await p.tap('Solved');
    await p.tap('5⭐');
    await p.say('Quick and polite');
    expect(current(harness.backend, request.id)?.rating).toEqual({ score: 5, comment: 'Quick and polite', at: expect.any(String) });
    expect(actions(harness, request.id)).toEqual([
      ['confirm', 'applied'],
      ['rating', 'applied'],
      ['rating-comment', 'applied'],
    ]);
    expect(p.screen().text).toContain('Your comment is attached');
    await p.tap(`View ${request.number}`);
    expect(p.screen().text).toContain('Your rating: ⭐⭐⭐⭐⭐\n💬 Quick and polite');
  });

  test('in Russian: Skip after the star sends nothing more; a tap on another star is told it was rated', async () => {
    const p = person('ru');
    await p.say('/start');
    const [request] = await requestsAtBackend(harness.backend, p.userId);
    if (!request) throw new Error('no request');
    await harness.backend.resolveNewest(p.userId);
    await p.tap('Решено');
    const stars = p.screen();
    await p.tap('3⭐', stars);
    expect(p.screen().text).toContain(`⭐ Спасибо! Ваша оценка заявки ${request.number}: ⭐⭐⭐`);
    await p.tap('Пропустить');
    expect(p.screen().text).toContain(`⭐ Спасибо! Ваша оценка заявки ${request.number}: ⭐⭐⭐`);
    await p.tap('5⭐', stars);
    expect(p.screen().text).toBe(`Вы уже оценили заявку ${request.number}. Спасибо, одной оценки достаточно!`);
    expect(current(harness.backend, request.id)?.rating?.score).toBe(3);
    expect(actions(harness, request.id)).toEqual([
      ['confirm', 'applied'],
      ['rating', 'applied'],
    ]);
  });
});

describe('a backend without the follow-up calls (404/405)', () => {
  let old: Harness;
  let oldBot: BotInstance;
  beforeAll(async () => {
    old = await startHarness({ backend: { followUps: false, commentsWhenClosed: true } });
    oldBot = await old.startInstance();
  });
  afterAll(() => old.close());

  test('the reason and the rating comment arrive as ordinary comments on the request', async () => {
    const p = person('en', { harness: old, bot: oldBot });
    const request = await detailsOfNew(p, old);
    await p.tap('Cancel request');
    await p.tap('Yes, cancel it');
    await p.say('Moved out, not needed');
    expect(current(old.backend, request.id)).toMatchObject({
      status: 'cancelled',
      comments: [expect.objectContaining({ author: 'customer', text: 'Moved out, not needed' })],
    });
    expect(old.backend.stats.byRoute.unmatched).toBe(1);
    expect(p.screen().text).toContain('Your reason is attached');

    const [rated] = await requestsAtBackend(old.backend, p.userId);
    if (!rated) throw new Error('no request');
    await old.backend.setStatus(rated.id, 'closed', 'Done');
    await p.say('/my');
    await p.tap(rated.number);
    await p.tap('2⭐');
    await p.say('Took three visits');
    expect(current(old.backend, rated.id)).toMatchObject({
      rating: { score: 2, comment: undefined },
      comments: [expect.objectContaining({ author: 'customer', text: 'Took three visits' })],
    });
    expect(p.screen().text).toContain('Your comment is attached');
  });
});

test('every update of this file stayed within 2 Redis round trips', () => {
  const lines = updateLines(harness);
  expect(lines.length).toBeGreaterThan(20);
  expect(lines.filter((line) => Number(line.redis_round_trips) > 2)).toEqual([]);
});
