// Issue 17, item 2: where it happened. A shared map point or venue (Telegram's location message) is
// added to the draft: the request carries `geo: {latitude, longitude}` (and the venue's title and
// address) beside a deep link's text `location`; on an admin's /link, a venue answers the location
// step. Through the real webhook, the demo backend over HTTP, the fake Bot API and Redis.
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { encodeStartPayload } from '../../lib/deep-link/start-payload.js';
import { messages } from '../../lib/i18n/index.js';
import { ADMIN_ID, startHarness, type BotInstance, type Harness } from '../support/bot-harness.js';
import { demoName } from '../support/catalogue-names.js';
import { Person } from '../support/person.js';

let harness: Harness;
let bot: BotInstance;
let nextUser = 890_000;
const en = messages('en');
const ru = messages('ru');

beforeAll(async () => {
  harness = await startHarness();
  bot = await harness.startInstance();
});
afterAll(() => harness.close());
beforeEach(() => harness.telegram.reset());

const submitted = (p: Person) => harness.backend.requests().find((r) => r.telegram.user_id === p.userId);

test('a venue shared at the attachment step of a deep link’s draft: kept beside the text location, shown, and sent as geo', async () => {
  const p = new Person(harness, bot, ++nextUser);
  await p.say(`/start ${encodeStartPayload({ typeId: 1, sideId: 10, categoryId: 100, location: 'Door 4B' })}`);
  await p.say('The kitchen tap drips all night long');
  await p.shareLocation({ latitude: 52.525084, longitude: 13.369402, venue: { title: 'Central Station', address: 'Europaplatz 1, Berlin' } });
  expect(p.lastText()).toBe(en.geoAdded('Central Station, Europaplatz 1, Berlin'));
  // The step stays: the location is an extra, not the file the step asks for.
  expect(p.screen().text).toContain(en.askPhoto);
  await p.tap(en.buttonSkip);
  await p.say(en.buttonSkip);
  const summary = p.screen().text;
  expect(summary).toContain('📍 Location: Door 4B');
  expect(summary).toContain('🗺 Central Station, Europaplatz 1, Berlin');
  await p.tap(en.buttonConfirm);
  expect(submitted(p)).toMatchObject({
    location: 'Door 4B',
    geo: { latitude: 52.525084, longitude: 13.369402, title: 'Central Station', address: 'Europaplatz 1, Berlin' },
  });
});

test('in Russian, a point on the map at the summary: the summary shows it in place, the request carries it', async () => {
  const p = new Person(harness, bot, ++nextUser, 'ru');
  await p.say('/new');
  for (const name of ['Repair', 'Individual', 'Plumbing']) await p.tap(demoName(name, 'ru'));
  await p.say('С потолка на кухне капает вода');
  await p.tap(ru.buttonSkip);
  await p.say(ru.buttonSkip);
  const summary = p.screen();
  await p.shareLocation({ latitude: 55.755826, longitude: 37.6173 });
  expect(p.texts()).toContain(ru.geoAdded('55.755826, 37.6173'));
  // Updated where it is, no second summary.
  expect(p.messageText(summary.messageId)).toContain('🗺 55.755826, 37.6173');
  expect(p.screen().messageId).toBe(summary.messageId);
  await p.tap(ru.buttonConfirm);
  expect(submitted(p)?.geo).toEqual({ latitude: 55.755826, longitude: 37.6173 });
});

test('on /link, a venue answers the location step with its name', async () => {
  const admin = new Person(harness, bot, ADMIN_ID);
  await admin.say('/link');
  for (const name of ['Repair', 'Individual', 'Plumbing']) await admin.tap(name);
  await admin.shareLocation({ venue: { title: 'Lift B', address: 'Main St 3' } });
  const caption = String(harness.telegram.messagesOf(ADMIN_ID).filter((m) => Array.isArray(m.photo)).at(-1)?.caption ?? '');
  expect(caption).toContain('📍 Lift B');
});
