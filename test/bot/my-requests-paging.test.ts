// Issue 11: My requests grows up. 10 a page with Older ▶ (the backend's cursor), an Open / All
// filter, and the plain array of backends without paging still read, through the real webhook.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startHarness, updateLines, type BotInstance, type Harness } from '../support/bot-harness.js';
import { requestsAtBackend } from '../support/lifecycle.js';
import { Person } from '../support/person.js';

let nextUser = 1_200_000;

/** The request numbers on the screen, top to bottom. */
function numbersOn(p: Person): string[] {
  return p.labels().flatMap((label) => /^(SR-\d+) · /.exec(label)?.[1] ?? []);
}

/** The Redis round trips of the newest update, from its log line. */
function lastRoundTrips(harness: Harness): number {
  return Number(updateLines(harness).at(-1)?.redis_round_trips);
}

/** Opens My requests and walks Older ▶ to the end: the pages' numbers and each page tap's round trips. */
async function walk(harness: Harness, p: Person): Promise<{ pages: string[][]; roundTrips: number[] }> {
  await p.say('/my');
  const pages = [numbersOn(p)];
  const roundTrips: number[] = [];
  while (p.labels().some((label) => label.includes('Older'))) {
    await p.tap('Older ▶');
    roundTrips.push(lastRoundTrips(harness));
    pages.push(numbersOn(p));
  }
  return { pages, roundTrips };
}

describe('a backend that pages with short cursors', () => {
  let harness: Harness;
  let bot: BotInstance;
  beforeAll(async () => {
    harness = await startHarness();
    bot = await harness.startInstance();
  });
  afterAll(() => harness.close());
  beforeEach(() => harness.telegram.reset());

  test('25 requests in 3 pages, newest first, nothing repeated or skipped; a page tap costs no Redis round trip', async () => {
    const p = new Person(harness, bot, ++nextUser);
    const made = await requestsAtBackend(harness.backend, p.userId, 25);
    const { pages, roundTrips } = await walk(harness, p);
    expect(pages.map((page) => page.length)).toEqual([10, 10, 5]);
    expect(pages.flat()).toEqual(made.map((request) => request.number).reverse());
    expect(new Set(pages.flat()).size).toBe(25);
    expect(roundTrips).toEqual([0, 0]);
    expect(p.screen().text).toBe('Your older requests');
    // Newest goes back to the first page.
    await p.tap('Newest');
    expect(numbersOn(p)).toEqual(pages[0]);
    expect(p.labels().join(' ')).not.toContain('Newest');
  });

  test('Open shows what is not closed, rejected or cancelled; All shows everything; the chosen filter is marked', async () => {
    const p = new Person(harness, bot, ++nextUser);
    const made = await requestsAtBackend(harness.backend, p.userId, 12);
    const [a, b, c] = made;
    await harness.backend.setStatus(a?.id ?? '', 'cancelled');
    await harness.backend.setStatus(b?.id ?? '', 'closed');
    await harness.backend.setStatus(c?.id ?? '', 'rejected');
    await p.say('/my');
    expect(p.labels()).toEqual(expect.arrayContaining(['• All •', 'Open']));
    await p.tap('Open');
    expect(p.screen().text).toBe('Your open requests');
    expect(p.labels()).toEqual(expect.arrayContaining(['All', '• Open •']));
    const open = numbersOn(p);
    expect(open).toHaveLength(9);
    expect(open).not.toEqual(expect.arrayContaining([a?.number]));
    expect(p.labels().join(' ')).not.toContain('Older');
    await p.tap('All');
    expect(numbersOn(p)).toHaveLength(10);
    await p.tap('Older');
    expect(numbersOn(p)).toEqual([b?.number, a?.number]);
  });

  test('in Russian; nothing open yet says so', async () => {
    const p = new Person(harness, bot, ++nextUser, 'ru');
    const [only] = await requestsAtBackend(harness.backend, p.userId, 1);
    await harness.backend.setStatus(only?.id ?? '', 'closed');
    await p.say('/my');
    expect(p.screen().text).toBe('Ваши последние заявки');
    expect(p.labels()).toEqual(expect.arrayContaining([`${only?.number} · Закрыта · Сантехника`, '• Все •', 'Открытые']));
    await p.tap('Открытые');
    expect(p.screen().text).toBe('У вас нет открытых заявок.');
  });
});

describe('a backend whose cursors are too long for a button', () => {
  let harness: Harness;
  let bot: BotInstance;
  beforeAll(async () => {
    harness = await startHarness({ backend: { longCursors: true } });
    bot = await harness.startInstance();
  });
  afterAll(() => harness.close());

  test('the same walk: each cursor is kept in the store under a short name; at most 2 round trips a page', async () => {
    const p = new Person(harness, bot, ++nextUser);
    const made = await requestsAtBackend(harness.backend, p.userId, 25);
    const { pages, roundTrips } = await walk(harness, p);
    expect(pages.flat()).toEqual(made.map((request) => request.number).reverse());
    // Page 2 reads its cursor and stores the next one; page 3 only reads.
    expect(roundTrips).toEqual([2, 1]);
    const olderData = harness.telegram
      .callsOf('editMessageText')
      .flatMap((call) => ((call.payload.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }).inline_keyboard ?? []).flat())
      .filter((button) => button.text.includes('Older'))
      .map((button) => button.callback_data);
    expect(olderData.length).toBeGreaterThan(0);
    for (const data of olderData) expect(data).toMatch(/^rp:en:a:~[A-Za-z0-9_-]{12}$/);
  });
});

describe('a backend without paging (a plain array)', () => {
  let harness: Harness;
  let bot: BotInstance;
  beforeAll(async () => {
    harness = await startHarness({ backend: { listAnswer: 'array' } });
    bot = await harness.startInstance();
  });
  afterAll(() => harness.close());

  test('the newest 10 are the only page; Open still filters', async () => {
    const p = new Person(harness, bot, ++nextUser);
    const made = await requestsAtBackend(harness.backend, p.userId, 12);
    await harness.backend.setStatus(made.at(-1)?.id ?? '', 'cancelled');
    const { pages } = await walk(harness, p);
    expect(pages).toEqual([made.slice(2).map((request) => request.number).reverse()]);
    await p.tap('Open');
    expect(numbersOn(p)).toEqual(made.slice(2, 11).map((request) => request.number).reverse());
  });
});
