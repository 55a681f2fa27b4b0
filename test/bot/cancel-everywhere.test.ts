// Cancel cancels at every step (issue 16, item 4), through the real webhook in English and Russian:
// Cancel on the type, side and service lists, /cancel in the middle of a request, Cancel and /cancel
// in /link: anything begun is cancelled ("Cancelled. Nothing was sent." and the menu); "There is
// nothing to cancel" only when nothing was begun.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { ADMIN_ID, startHarness, type BotInstance, type Harness } from '../support/bot-harness.js';
import { Person } from '../support/person.js';
import { redisOf, storedSession } from '../support/reliability.js';

let harness: Harness;
let bot: BotInstance;
let nextUser = 1_800_000;
const RU_ADMIN_ID = ADMIN_ID + 1;

beforeAll(async () => {
  harness = await startHarness({ env: { ADMIN_USER_IDS: `${ADMIN_ID},${RU_ADMIN_ID}` } });
  bot = await harness.startInstance();
});
afterAll(() => harness.close());
beforeEach(() => harness.telegram.reset());

const CANCELLED = { en: 'Cancelled. Nothing was sent.', ru: 'Отменено. Ничего не отправлено.' } as const;
const NOTHING = { en: 'There is nothing to cancel.', ru: 'Отменять нечего.' } as const;
const NEW_REQUEST = { en: '📝 New request', ru: '📝 Новая заявка' } as const;
const CANCEL = { en: 'Cancel', ru: 'Отмена' } as const;

function person(languageCode = 'en'): Person {
  return new Person(harness, bot, ++nextUser, languageCode);
}

function tapData(p: Person, data: RegExp) {
  const screen = p.screen();
  const found = screen.buttons.find((b) => data.test(b.callback_data));
  if (!found) throw new Error(`no button ${String(data)} on screen: ${screen.buttons.map((b) => `${b.text}=${b.callback_data}`).join(' | ')}`);
  return p.tap(found.text, screen);
}

/** The menu with the text, as the newest screen. */
function expectMenu(p: Person, text: string, lang: 'en' | 'ru'): void {
  expect(p.screen().text).toBe(text);
  expect(p.labels()).toContain(NEW_REQUEST[lang]);
}

describe.each(['en', 'ru'] as const)('in %s', (lang) => {
  test.each([
    ['types', 0],
    ['sides', 1],
    ['services', 2],
  ])('Cancel on the %s list cancels', async (_name, depth) => {
    const p = person(lang);
    await p.say('/start');
    await p.tap(NEW_REQUEST[lang]);
    if (depth >= 1) await tapData(p, /^[sS]:\w+:1$/);
    if (depth >= 2) await tapData(p, /^[cC]:\w+:1:10:0$/);
    await p.tap(CANCEL[lang]);
    expectMenu(p, CANCELLED[lang], lang);
  });

  test('/cancel after /new and on a service list cancels', async () => {
    const p = person(lang);
    await p.say('/new');
    await p.say('/cancel');
    expectMenu(p, CANCELLED[lang], lang);
    await p.say('/new');
    await tapData(p, /^[sS]:\w+:1$/);
    await tapData(p, /^[cC]:\w+:1:10:0$/);
    await p.say('/cancel');
    expectMenu(p, CANCELLED[lang], lang);
  });

  test('/cancel in the middle of a request cancels it, also when it was parked', async () => {
    const p = person(lang);
    await p.say('/new');
    await tapData(p, /^[sS]:\w+:1$/);
    await tapData(p, /^[cC]:\w+:1:10:0$/);
    await tapData(p, /^p:1:10:100$/);
    await p.say('/my');
    await p.say('/cancel');
    expectMenu(p, CANCELLED[lang], lang);
    expect((await storedSession(redisOf(harness), p.userId))?.draft).toBeUndefined();
  });

  test('"There is nothing to cancel" only when nothing was begun', async () => {
    const p = person(lang);
    await p.say('/start');
    await p.say('/cancel');
    expectMenu(p, NOTHING[lang], lang);
  });

  test('/link: Cancel on its lists and /cancel on its location step cancel; the next message is not a location', async () => {
    const admin = new Person(harness, bot, lang === 'en' ? ADMIN_ID : RU_ADMIN_ID, lang);
    await admin.say('/link');
    await tapData(admin, /^ls:\w+:1$/);
    await admin.tap(CANCEL[lang]);
    expectMenu(admin, CANCELLED[lang], lang);

    await admin.say('/link');
    await tapData(admin, /^ls:\w+:1$/);
    await tapData(admin, /^lc:\w+:1:10:0$/);
    await tapData(admin, /^lp:1:10:100$/);
    await admin.say('/cancel');
    expectMenu(admin, CANCELLED[lang], lang);
    const photos = harness.telegram.callsOf('sendPhoto').length;
    await admin.say('Building 3, lift B');
    expect(harness.telegram.callsOf('sendPhoto')).toHaveLength(photos);
  });
});
