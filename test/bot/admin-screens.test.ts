// Admin screens (issue 16, item 16), through the real webhook in English and Russian: the /link
// location step has Back (to the service list it came from, the question over); /cache_clear asks
// Clear / Keep, and Keep clears nothing.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { ADMIN_ID, startHarness, type BotInstance, type Harness } from '../support/bot-harness.js';
import { Person } from '../support/person.js';

let harness: Harness;
let bot: BotInstance;
const RU_ADMIN_ID = ADMIN_ID + 1;

beforeAll(async () => {
  harness = await startHarness({ env: { ADMIN_USER_IDS: `${ADMIN_ID},${RU_ADMIN_ID}` } });
  bot = await harness.startInstance();
});
afterAll(() => harness.close());
beforeEach(() => harness.telegram.reset());

function tapData(p: Person, data: RegExp) {
  const screen = p.screen();
  const found = screen.buttons.find((b) => data.test(b.callback_data));
  if (!found) throw new Error(`no button ${String(data)} on screen: ${screen.buttons.map((b) => `${b.text}=${b.callback_data}`).join(' | ')}`);
  return p.tap(found.text, screen);
}

const L = {
  en: { back: 'Back', page2: 'page 2 of 2', location: 'type the location for the poster', clear: 'Clear cache', keep: 'Keep', kept: 'OK, the cache is kept. Nothing was cleared.', cleared: 'Cache cleared on every instance' },
  ru: { back: 'Назад', page2: 'страница 2 из 2', location: 'напишите место для плаката', clear: 'Очистить кэш', keep: 'Не очищать', kept: 'Хорошо, кэш не тронут.', cleared: 'Кэш очищен на всех экземплярах' },
} as const;

describe.each(['en', 'ru'] as const)('in %s', (lang) => {
  const t = L[lang];
  const admin = () => new Person(harness, bot, lang === 'en' ? ADMIN_ID : RU_ADMIN_ID, lang);

  test('the /link location step has Back: the service list at its page, and the question is over', async () => {
    const p = admin();
    await p.say('/link');
    await tapData(p, /^ls:\w+:1$/);
    await tapData(p, /^lc:\w+:1:10:0$/);
    await tapData(p, /^lc:\w+:1:10:1$/);
    await tapData(p, /^lp:1:10:110$/);
    expect(p.screen().text).toContain(t.location);
    await p.tap(t.back);
    expect(p.screen().text).toContain(t.page2);
    const photos = harness.telegram.callsOf('sendPhoto').length;
    await p.say('Building 3, lift B');
    expect(harness.telegram.callsOf('sendPhoto')).toHaveLength(photos);
  });

  test('/cache_clear asks Clear / Keep; Keep clears nothing, Clear clears', async () => {
    const p = admin();
    const version = bot.app.deps.cache.stats().version;
    await p.say('/cache_clear');
    expect(p.labels().join(' | ')).toContain(t.clear);
    expect(p.labels().join(' | ')).toContain(t.keep);
    await p.tap(t.keep);
    expect(p.screen().text).toBe(t.kept);
    expect(bot.app.deps.cache.stats().version).toBe(version);
    await p.say('/cache_clear');
    await p.tap(t.clear);
    expect(p.screen().text).toContain(t.cleared);
  });
});
