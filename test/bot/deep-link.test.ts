// Issue 11: a deep link (t.me/<bot>?start=<payload>, e.g. scanned from a QR poster) names a service
// and maybe a location and jumps to the description step; anything malformed or stale opens the menu.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { encodeStartPayload } from '../../lib/deep-link/start-payload.js';
import { messages } from '../../lib/i18n/index.js';
import { startHarness, type BotInstance, type Harness } from '../support/bot-harness.js';
import { Person } from '../support/person.js';
import { redisOf, storedSession } from '../support/reliability.js';

let harness: Harness;
let bot: BotInstance;
let nextUser = 1_300_000;
const en = messages('en');
const ru = messages('ru');

beforeAll(async () => {
  harness = await startHarness();
  bot = await harness.startInstance();
});
afterAll(() => harness.close());
beforeEach(() => harness.telegram.reset());

function person(languageCode = 'en'): Person {
  return new Person(harness, bot, ++nextUser, languageCode);
}

function mine(p: Person) {
  return harness.backend.requests().filter((request) => request.telegram.user_id === p.userId);
}

describe('a deep link to a service', () => {
  test('with a location: straight to the description, the location in the summary and in the POST body', async () => {
    const p = person();
    await p.say(`/start ${encodeStartPayload({ typeId: 1, sideId: 10, categoryId: 100, location: 'Building 3, lift B' })}`);
    expect(p.screen().text).toBe(`📍 Location: Building 3, lift B\n${en.askDescription('Plumbing').replace(/<\/?b>/g, '')}`);
    await p.say('The lift door does not close at all');
    await p.tap('Skip');
    await p.say('skip');
    expect(p.screen().text).toContain('Please check your request\n\n📍 Location: Building 3, lift B\nType: Repair\nFor: Individual\nService: Plumbing');
    await p.tap('Confirm');
    expect(mine(p)).toEqual([expect.objectContaining({ location: 'Building 3, lift B', category_id: 100, description: 'The lift door does not close at all' })]);
  });

  test('in Russian, a Cyrillic location', async () => {
    const p = person('ru');
    const payload = encodeStartPayload({ typeId: 1, sideId: 20, categoryId: 114, location: 'Корпус 3, лифт Б' });
    expect(payload).toBe('n1-20-114-yu7w7_PxIDMsIOvo9PIgwQ');
    await p.say(`/start ${payload}`);
    expect(p.screen().text).toContain('📍 Место: Корпус 3, лифт Б\nЛифты\nШаг 4 из 4');
    await p.say('Лифт застревает между этажами');
    await p.tap('Пропустить');
    await p.say('Пропустить ⏭');
    expect(p.screen().text).toContain('📍 Место: Корпус 3, лифт Б');
    await p.tap('Подтвердить');
    expect(mine(p)).toEqual([expect.objectContaining({ location: 'Корпус 3, лифт Б', side_id: 20, category_id: 114 })]);
  });

  test('without a location; a draft in progress is replaced', async () => {
    const p = person();
    await p.say('/new');
    await p.tap('Repair');
    await p.tap('Individual');
    await p.tap('Heating');
    await p.say(`/start ${encodeStartPayload({ typeId: 2, sideId: 10, categoryId: 115 })}`);
    expect(p.screen().text).toContain('Boiler installation');
    const session = await storedSession(redisOf(harness), p.userId);
    expect(session?.draft).toMatchObject({ typeId: 2, sideId: 10, categoryId: 115, step: 'description' });
    expect(session?.draft?.location).toBeUndefined();
    expect(p.screen().text).not.toContain('📍');
  });
});

describe('a link that is malformed or stale lands on the menu with a note', () => {
  const tooLong = `n1-10-100-${'A'.repeat(55)}`;
  const cases: [string, string][] = [
    ['too long (65 characters)', tooLong],
    ['too long, over Telegram’s 64 even without a location', `n1-10-${'1'.repeat(60)}`],
    ['a character outside A-Za-z0-9_-', 'n1-10-100!'],
    ['spaces inside', 'n1-10 -100'],
    ['percent-encoding', 'n1%2D10-100'],
    ['Cyrillic letters', 'n1-10-100-Лифт'],
    ['an unknown request type', 'n9-10-100'],
    ['an unknown side', 'n1-99-100'],
    ['an unknown category (stale: the catalogue dropped it)', 'n1-10-999'],
    ['a category of another side', 'n1-20-100'],
    ['another kind of link', 'x1-10-100'],
    ['missing ids', 'n1--100'],
    ['a zero id', 'n0-10-100'],
    ['a location that is not base64url of its bytes', 'n1-10-100-QR'],
    ['a location with control characters', `n1-10-100-${Buffer.from([1, 2, 3]).toString('base64url')}`],
    ['a location of 33 characters', `n1-10-100-${Buffer.from('x'.repeat(33)).toString('base64url')}`],
    ['an old payload of another bot', 'ref_12345'],
  ];

  test.each(cases)('%s', async (_what, payload) => {
    const p = person();
    await p.say(`/start ${payload}`);
    expect(p.screen().text).toBe(en.deepLinkInvalid);
    expect(p.labels()).toEqual([en.buttonNewRequest, en.buttonMyRequests, en.buttonHelp]);
    expect((await storedSession(redisOf(harness), p.userId))?.draft).toBeUndefined();
  });

  test('in Russian too; plain /start still greets', async () => {
    const p = person('ru');
    await p.say('/start n1-10-999');
    expect(p.screen().text).toBe(ru.deepLinkInvalid);
    await p.say('/start');
    expect(p.lastText()).toContain('Здравствуйте');
  });

  test('the note is logged without the payload', async () => {
    const p = person();
    await p.say('/start n1-10-100-QR');
    const line = harness.logs.filter((entry) => entry.msg === 'deep link not followed').at(-1);
    expect(line).toMatchObject({ reason: 'malformed', length: 12 });
    expect(JSON.stringify(line)).not.toContain('n1-10-100-QR');
  });
});
