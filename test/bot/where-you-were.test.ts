// Where the person was is kept (issue 16, item 7), through the real webhook in English and Russian:
// Back from details returns to the same filter and page of My requests; Back from a service returns
// to its page of the catalogue; Back to the description shows what was typed; Edit then Back returns
// to the summary; a deep link's location survives Back and a change of service.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { encodeStartPayload } from '../../lib/deep-link/start-payload.js';
import { startHarness, type BotInstance, type Harness } from '../support/bot-harness.js';
import { requestsAtBackend } from '../support/lifecycle.js';
import { Person } from '../support/person.js';
import { redisOf, storedSession } from '../support/reliability.js';

let harness: Harness;
let bot: BotInstance;
let nextUser = 2_000_000;

beforeAll(async () => {
  harness = await startHarness();
  bot = await harness.startInstance();
});
afterAll(() => harness.close());
beforeEach(() => harness.telegram.reset());

function person(languageCode = 'en'): Person {
  return new Person(harness, bot, ++nextUser, languageCode);
}

function tapData(p: Person, data: RegExp) {
  const screen = p.screen();
  const found = screen.buttons.find((b) => data.test(b.callback_data));
  if (!found) throw new Error(`no button ${String(data)} on screen: ${screen.buttons.map((b) => `${b.text}=${b.callback_data}`).join(' | ')}`);
  return p.tap(found.text, screen);
}

/** The request numbers on the screen, top to bottom. */
function numbersOn(p: Person): string[] {
  return p.labels().flatMap((label) => /^(SR-\d+) · /.exec(label)?.[1] ?? []);
}

const L = {
  en: { open: 'Open', older: 'Older', back: 'Back', keep: 'Keep', edit: 'Edit', summary: 'Please check your request', page2: 'page 2 of 2', photo: 'add a photo', location: '📍 Location: Building 3, lift B', soFar: 'Your description so far:' },
  ru: { open: 'Открытые', older: 'Раньше', back: 'Назад', keep: 'Оставить', edit: 'Изменить', summary: 'Проверьте заявку', page2: 'страница 2 из 2', photo: 'добавить фото', location: '📍 Место: Building 3, lift B', soFar: 'Ваше описание:' },
} as const;

const TEXT = 'The kitchen tap drips all night long';

describe.each(['en', 'ru'] as const)('in %s', (lang) => {
  const t = L[lang];

  test('Back from details returns to the same filter and page of My requests', async () => {
    const p = person(lang);
    const made = await requestsAtBackend(harness.backend, p.userId, 14);
    await harness.backend.setStatus(made[13]?.id ?? '', 'closed');
    await p.say('/my');
    await p.tap(t.open);
    await p.tap(t.older);
    const older = p.screen();
    const numbers = numbersOn(p);
    expect(numbers).toHaveLength(3);
    await p.tap(numbers[1] ?? 'missing');
    await p.tap(t.back);
    expect(p.screen().text).toBe(older.text);
    expect(p.labels()).toEqual(older.buttons.map((b) => b.text));
    expect(numbersOn(p)).toEqual(numbers);
  });

  test('Back from a service returns to its page of the catalogue', async () => {
    const p = person(lang);
    await p.say('/new');
    await tapData(p, /^[sS]:\w+:1$/);
    await tapData(p, /^[cC]:\w+:1:10:0$/);
    await tapData(p, /^[cC]:\w+:1:10:1$/);
    await tapData(p, /^p:1:10:110$/); // Water heaters, on page 2
    await p.tap(t.back);
    expect(p.screen().text).toContain(t.page2);
  });

  test('Back to the description shows what was typed, and Keep keeps it', async () => {
    const p = person(lang);
    await p.say('/new');
    await tapData(p, /^[sS]:\w+:1$/);
    await tapData(p, /^[cC]:\w+:1:10:0$/);
    await tapData(p, /^p:1:10:100$/);
    await p.say(TEXT);
    await p.tap(t.back);
    expect(p.screen().text).toContain(t.soFar);
    expect(p.screen().text).toContain(TEXT);
    await p.tap(t.keep);
    expect(p.screen().text).toContain(t.photo);
    expect((await storedSession(redisOf(harness), p.userId))?.draft?.description).toBe(TEXT);
  });

  test('Edit then Back returns to the summary, nothing changed', async () => {
    const p = person(lang);
    await p.say('/new');
    await tapData(p, /^[sS]:\w+:1$/);
    await tapData(p, /^[cC]:\w+:1:10:0$/);
    await tapData(p, /^p:1:10:100$/);
    await p.say(TEXT);
    await tapData(p, /^sk:/);
    await p.say('skip');
    await p.tap(t.edit);
    await p.tap(t.back);
    expect(p.screen().text).toContain(t.summary);
    expect(p.screen().text).toContain(TEXT);
  });

  test('a deep link’s location survives Back and a change of service, and reaches the backend', async () => {
    const p = person(lang);
    await p.say(`/start ${encodeStartPayload({ typeId: 1, sideId: 10, categoryId: 100, location: 'Building 3, lift B' })}`);
    expect(p.screen().text).toContain(t.location);
    await p.tap(t.back);
    await tapData(p, /^p:1:10:101$/); // Electrical instead of Plumbing
    expect(p.screen().text).toContain(t.location);
    await p.say(TEXT);
    await tapData(p, /^sk:/);
    await p.say('skip');
    expect(p.screen().text).toContain(t.location);
    await tapData(p, /^ok:/);
    const [stored] = harness.backend.requests().filter((r) => r.telegram.user_id === p.userId);
    expect(stored).toMatchObject({ category_id: 101, location: 'Building 3, lift B', description: TEXT });
  });

  test('New request while one is unfinished starts afresh, and says which one it replaced', async () => {
    const p = person(lang);
    await p.say('/new');
    await tapData(p, /^[sS]:\w+:1$/);
    await tapData(p, /^[cC]:\w+:1:10:0$/);
    await tapData(p, /^p:1:10:100$/);
    await p.say(TEXT);
    await p.sendPhoto();
    await p.say('/new');
    await tapData(p, /^[sS]:\w+:1$/);
    await tapData(p, /^[cC]:\w+:1:10:0$/);
    await tapData(p, /^p:1:10:101$/);
    expect(p.screen().text).toContain(lang === 'en' ? 'This new request replaces your unfinished one (' : 'Эта новая заявка заменила вашу незаконченную (');
    expect(p.screen().text).not.toContain(t.soFar);
    const draft = (await storedSession(redisOf(harness), p.userId))?.draft;
    expect(draft).toMatchObject({ categoryId: 101 });
    expect(draft?.description).toBeUndefined();
    expect(draft?.files).toBeUndefined();
  });
});

