// Search, not only paging (issue 16, item 13), through the real webhook: a word typed on a service
// list filters that list (case-insensitive, Latin and Cyrillic, ё as е); `/new <words>` searches the
// whole catalogue through the cached catalogue. One hit opens the description step, several show up
// to 8 as buttons, none says so and keeps the list. Run on the demo catalogue and on a Russian one
// with 120 services on one list.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { DemoCatalogueSeed } from '../../tools/demo-backend/catalogue.js';
import { startHarness, type BotInstance, type Harness } from '../support/bot-harness.js';
import { Person } from '../support/person.js';
import { redisOf, storedSession } from '../support/reliability.js';

let nextUser = 1_900_000;

function tapData(p: Person, data: RegExp) {
  const screen = p.screen();
  const found = screen.buttons.find((b) => data.test(b.callback_data));
  if (!found) throw new Error(`no button ${String(data)} on screen: ${screen.buttons.map((b) => `${b.text}=${b.callback_data}`).join(' | ')}`);
  return p.tap(found.text, screen);
}

/** The services offered as search hits on the newest screen (their pick buttons' labels). */
function hits(p: Person): string[] {
  return p.screen().buttons.filter((b) => b.callback_data.startsWith('p:')).map((b) => b.text);
}

describe('the demo catalogue, in English', () => {
  let harness: Harness;
  let bot: BotInstance;
  beforeAll(async () => {
    harness = await startHarness();
    bot = await harness.startInstance();
  });
  afterAll(() => harness.close());
  beforeEach(() => harness.telegram.reset());
  const person = () => new Person(harness, bot, ++nextUser);

  test('/new <words> searches the whole catalogue: several hits as buttons named by type and side, a warm search makes no backend call', async () => {
    const p = person();
    await p.say('/new plumbing');
    expect(p.screen().text).toContain('Services matching “plumbing”');
    expect(hits(p)).toEqual(['Repair · Individual · Plumbing', 'Repair · Business · Plumbing']);
    harness.backend.resetStats();
    await p.say('/new PLUMB');
    expect(hits(p)).toEqual(['Repair · Individual · Plumbing', 'Repair · Business · Plumbing']);
    expect(harness.backend.stats.requests).toBe(0);
    await p.tap('Repair · Business · Plumbing');
    expect(p.screen().text).toContain('Plumbing\nStep 4 of 4');
    expect((await storedSession(redisOf(harness), p.userId))?.draft).toMatchObject({ typeId: 1, sideId: 20 });
  });

  test('/new with one hit opens its description step; with none it says so and shows the catalogue', async () => {
    const p = person();
    await p.say('/new heating');
    expect(p.screen().text).toContain('Heating\nStep 4 of 4');
    await p.say('/new xyzzy');
    expect(p.screen().text).toContain('Nothing matches “xyzzy”');
    expect(p.screen().text).toContain('Step 1 of 4');
  });

  test('on a service list the session knows (a parked draft went back to it), a word filters that type and side only', async () => {
    const p = person();
    await p.say('/new');
    await p.tap('Repair');
    await p.tap('Individual');
    await p.tap('Plumbing');
    await p.tap('Back');
    await p.say('elec');
    // Repair · Business has Electrical too; this list is Repair · Individual.
    expect(p.screen().text).toContain('Electrical\nStep 4 of 4');
    expect((await storedSession(redisOf(harness), p.userId))?.draft).toMatchObject({ typeId: 1, sideId: 10, categoryId: 101 });
  });

  test('none says so and keeps the list: the next word searches the same list', async () => {
    const p = person();
    await p.say('/new');
    await p.tap('Repair');
    await p.tap('Individual');
    await p.tap('Plumbing');
    await p.tap('Back');
    const list = p.screen();
    await p.say('xyzzy');
    expect(p.lastText()).toContain('Nothing matches “xyzzy” in Repair · Individual');
    expect(p.screen()).toEqual(list);
    await p.say('roof');
    expect(p.screen().text).toContain('Roofing\nStep 4 of 4');
  });

  test('a list reached by taps the session cannot see (no draft, 0 round trips): the word searches the whole catalogue, every hit named in full', async () => {
    const p = person();
    await p.say('/start');
    await p.tap('New request');
    await p.tap('Repair');
    await p.tap('Individual');
    await p.say('elec');
    expect(hits(p)).toEqual(['Repair · Individual · Electrical', 'Repair · Business · Electrical']);
  });

  test('a long sentence at the menu is no search: the gentle fallback', async () => {
    const p = person();
    await p.say('/start');
    await p.say('The kitchen tap drips all night long');
    expect(p.lastText()).toContain('I did not understand');
  });
});

/** 120 services on one list, names in Russian, ё in some of them. */
const RUSSIAN_CATALOGUE: DemoCatalogueSeed = {
  Ремонт: {
    Квартира: [
      ['Сантехника', 'Протечки, краны'],
      ['Электрика', 'Розетки, проводка'],
      ['Замена счётчика воды', 'Счётчики холодной и горячей воды'],
      ['Поверка счётчика', 'Поверка без снятия'],
      ...Array.from({ length: 116 }, (_, i): [string, string] => [`Услуга ${String(i + 1).padStart(3, '0')}`, 'Описание']),
    ],
    Офис: [
      ['Электрика', 'Щиты и освещение'],
      ['Замена счётчика', 'Счётчики электроэнергии'],
    ],
  },
};

describe('a Russian catalogue with 120 services on one list', () => {
  let harness: Harness;
  let bot: BotInstance;
  beforeAll(async () => {
    harness = await startHarness({ backend: { catalogue: RUSSIAN_CATALOGUE } });
    bot = await harness.startInstance();
  });
  afterAll(() => harness.close());
  beforeEach(() => harness.telegram.reset());
  const person = () => new Person(harness, bot, ++nextUser, 'ru');

  async function onFlatList(p: Person): Promise<void> {
    await p.say('/new');
    await tapData(p, /^[sS]:ru:1$/);
    await tapData(p, /^[cC]:ru:1:10:0$/);
    expect(p.screen().text).toContain('страница 1 из 15');
    await tapData(p, /^p:1:10:100$/);
    await p.tap('Назад');
  }

  test('capitals and е for ё find both meters of this list, not the office one', async () => {
    const p = person();
    await onFlatList(p);
    await p.say('СЧЕТЧИК');
    expect(p.screen().text).toContain('Услуги по запросу «СЧЕТЧИК» в разделе Ремонт · Квартира');
    expect(hits(p)).toEqual(['Замена счётчика воды', 'Поверка счётчика']);
  });

  test('up to 8 hits are shown, and how many there are', async () => {
    const p = person();
    await onFlatList(p);
    await p.say('услуга 01');
    expect(hits(p)).toEqual(['Услуга 010', 'Услуга 011', 'Услуга 012', 'Услуга 013', 'Услуга 014', 'Услуга 015', 'Услуга 016', 'Услуга 017']);
    expect(p.screen().text).toContain('Показаны 8 из 10');
  });

  test('/new with one hit in the whole catalogue opens it', async () => {
    const p = person();
    await p.say('/new сантех');
    expect(p.screen().text).toContain('Сантехника\nШаг 4 из 4');
  });
});
