// Russian is Russian: counts take their plural forms (Intl.PluralRules), and the backend's words
// (catalogue names, status comments) come in the person's language, asked for with
// Accept-Language and cached per language, so two people on one warm instance each read their own.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startHarness, updateLines, type BotInstance, type Harness } from '../support/bot-harness.js';
import { requestsAtBackend } from '../support/lifecycle.js';
import { Person } from '../support/person.js';

let harness: Harness;
let bot: BotInstance;
let nextUser = 1_170_000;

beforeAll(async () => {
  harness = await startHarness({ backend: { onStatusChange: async (notification) => void (await bot.app.notify(notification)) } });
  bot = await harness.startInstance();
});
afterAll(() => harness.close());
beforeEach(() => harness.telegram.reset());

function person(languageCode: string): Person {
  return new Person(harness, bot, ++nextUser, languageCode);
}

async function toDescription(p: Person, names: readonly [string, string, string]): Promise<void> {
  await p.say('/new');
  for (const name of names) await p.tap(name);
}

describe('counts take their plural forms', () => {
  test.each([
    ['ru', 2001, '2001 символ)'],
    ['ru', 2002, '2002 символа)'],
    ['ru', 2005, '2005 символов)'],
    ['en', 2001, '2001 characters)'],
  ])('%s: a description of %i characters', async (lang, length, said) => {
    const p = person(lang);
    await toDescription(p, lang === 'ru' ? ['Ремонт', 'Частное лицо', 'Сантехника'] : ['Repair', 'Individual', 'Plumbing']);
    await p.say('x'.repeat(length));
    expect(p.lastText()).toContain(said);
  });

  test('ru: a reason of 1001 characters, an album of 2 and of 5 files', async () => {
    const p = person('ru');
    const [request] = await requestsAtBackend(harness.backend, p.userId);
    if (!request) throw new Error('no request');
    await p.say('/my');
    await p.tap(request.number);
    await p.tap('Отменить заявку');
    await p.tap('Да, отменить');
    await p.say('x'.repeat(1001));
    expect(p.lastText()).toContain('(1001 символ)');
    expect(p.lastText()).not.toContain('1001 символов');
    await p.tap('Пропустить');

    const [open] = await requestsAtBackend(harness.backend, p.userId);
    await p.say('/my');
    await p.tap(open?.number ?? '');
    await p.tap('Добавить комментарий');
    await p.sendAlbum([{ kind: 'photo' }, { kind: 'photo' }]);
    expect(p.screen().text).toContain('2 файла');
    await p.tap('Добавить комментарий');
    await p.sendAlbum([{ kind: 'photo' }, { kind: 'photo' }, { kind: 'photo' }, { kind: 'photo' }, { kind: 'photo' }]);
    expect(p.screen().text).toContain('5 файлов');
  });
});

describe("the backend's words in the person's language", () => {
  test('ru and en on one warm instance: each reads the catalogue, the summary, My requests and the history in their own', async () => {
    const russian = person('ru');
    await toDescription(russian, ['Ремонт', 'Частное лицо', 'Сантехника']);
    expect(russian.screen().text).toContain('Сантехника');
    await russian.say('На кухне всю ночь капает кран');
    await russian.tap('Пропустить');
    await russian.say('Пропустить ⏭');
    const summary = russian.screen().text;
    expect(summary).toContain('Тип: Ремонт');
    expect(summary).toContain('Для кого: Частное лицо');
    expect(summary).toContain('Услуга: Сантехника');
    await russian.tap('Подтвердить');
    const number = /Заявка (SR-\d+) создана/.exec(russian.screen().text)?.[1] ?? '';
    expect(number).not.toBe('');

    // The same catalogue screens, warm in the cache, in English for an English speaker.
    const english = person('en');
    await toDescription(english, ['Repair', 'Individual', 'Plumbing']);
    expect(english.screen().text).toContain('Plumbing');
    expect(english.screen().text).not.toContain('Сантехника');

    await harness.backend.advanceStatuses();
    expect(russian.lastText()).toContain('Назначен специалист');
    await russian.say('/my');
    expect(russian.labels()).toContain(`${number} · В работе · Сантехника`);
    await russian.tap(number);
    const details = russian.screen().text;
    expect(details).toContain('Услуга: Сантехника');
    expect(details).toContain('В работе — Назначен специалист');
    expect(details).not.toMatch(/Plumbing|specialist/);
  });
});

test('the catalogue is cached per language: a second person of each language costs the backend nothing', async () => {
  for (const lang of ['ru', 'en']) {
    const names: [string, string, string] = lang === 'ru' ? ['Ремонт', 'Частное лицо', 'Сантехника'] : ['Repair', 'Individual', 'Plumbing'];
    await toDescription(person(lang), names);
  }
  const before = harness.backend.stats.requests;
  const linesBefore = updateLines(harness).length;
  await toDescription(person('ru'), ['Ремонт', 'Частное лицо', 'Сантехника']);
  await toDescription(person('en'), ['Repair', 'Individual', 'Plumbing']);
  expect(harness.backend.stats.requests).toBe(before);
  // Warm navigation taps: no store round trip at all; /new and the draft's first step at most 2.
  const warm = updateLines(harness).slice(linesBefore);
  const limit = (line: Record<string, unknown>) => (line.handler === 'new-request' && line.update_type === 'callback_query' ? 0 : 2);
  expect(warm.filter((line) => Number(line.redis_round_trips) > limit(line)).map((line) => [line.handler, line.update_type, line.redis_round_trips])).toEqual([]);
});
