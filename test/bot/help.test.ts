// Help tells everything a person can do (issue 16, item 15), through the real webhook in English and
// Russian: comments (Add comment, Reply, swipe-reply), cancelling, Solved / Still a problem, rating,
// the My requests filter, search by typing and `/new <words>`, deep links, and the Mini App only
// where it is deployed (MINI_APP_URL). One message, short enough to scan.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startHarness, type BotInstance, type Harness } from '../support/bot-harness.js';
import { Person } from '../support/person.js';

let harness: Harness;
let plain: BotInstance;
let withApp: BotInstance;

beforeAll(async () => {
  harness = await startHarness();
  plain = await harness.startInstance();
  withApp = await harness.startInstance({ config: { ...harness.config, miniApp: { ...harness.config.miniApp, url: 'https://desk.example.com/app' } } });
});
afterAll(() => harness.close());

const L = {
  en: {
    mentions: ['Add comment', 'Reply', 'swipe', 'Cancel request', '/cancel', 'Solved', 'Still a problem', '⭐', 'All', 'Open', '/new', 'type', 'QR', '/language'],
    app: 'Open the app',
  },
  ru: {
    mentions: ['Добавить комментарий', 'Ответить', 'смахните', 'Отменить заявку', '/cancel', 'Решено', 'Проблема осталась', '⭐', 'Все', 'Открытые', '/new', 'напишите', 'QR', '/language'],
    app: 'Открыть приложение',
  },
} as const;

describe.each(['en', 'ru'] as const)('in %s', (lang) => {
  const t = L[lang];

  test('/help names everything a person can do, in one message', async () => {
    const p = new Person(harness, plain, lang === 'en' ? 8_300_001 : 8_300_002, lang);
    await p.say('/help');
    const help = p.screen().text;
    for (const word of t.mentions) expect(help, word).toContain(word);
    expect(help).not.toContain(t.app);
    expect(help.length).toBeLessThan(2500);
  });

  test('the Help button says the same; the Mini App is named where it is deployed', async () => {
    const p = new Person(harness, withApp, lang === 'en' ? 8_300_011 : 8_300_012, lang);
    await p.say('/start');
    await p.tap(lang === 'en' ? 'Help' : 'Помощь');
    const help = p.screen().text;
    for (const word of t.mentions) expect(help, word).toContain(word);
    expect(help).toContain(t.app);
  });
});
