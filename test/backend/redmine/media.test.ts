// Every kind of file and a place on the map, on Redmine (issue 19 after media's contract): a shared
// venue goes into the issue's description (with a map link for the agent) and comes back as geo; a
// voice message in Add comment is uploaded to Redmine with its kind and duration kept, and shown in
// the thread as the person's voice message again (sent back by its Telegram file id).
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startHarness, type BotInstance, type Harness } from '../../support/bot-harness.js';
import { Person } from '../../support/person.js';
import { localRedmine, redmineAs, redmineEnv, submitInChat } from '../../support/redmine.js';

const redmine = await localRedmine();
let harness: Harness;
let bot: BotInstance;
let nextUser = 2_147_000_000 + (Date.now() % 400_000);

describe.skipIf(redmine === undefined)('Redmine backend: media and places', () => {
  const agent = redmineAs(redmine as NonNullable<typeof redmine>, redmine?.agent_key ?? '');
  beforeAll(async () => {
    harness = await startHarness({ env: redmineEnv(redmine as NonNullable<typeof redmine>) });
    bot = await harness.startInstance();
  });
  afterAll(() => harness?.close());
  beforeEach(() => harness.telegram.reset());

  test('a venue shared with the request is in the description with a map link, and comes back as geo', async () => {
    const p = new Person(harness, bot, ++nextUser);
    await p.say('/new');
    await p.tap('Support');
    await p.tap('South building');
    await p.tap('Lifts');
    await p.say('The lift in the lobby is stuck on floor 3');
    await p.shareLocation({ latitude: 52.525084, longitude: 13.369402, venue: { title: 'Central Station', address: 'Europaplatz 1, Berlin' } });
    await p.tap('Skip');
    await p.say('Skip ⏭');
    await p.tap('Confirm');
    const id = /#(\d+)/.exec(p.screen().text)?.[1] as string;
    const issue = await agent.issue(id);
    expect(issue.description).toContain('Geo: 52.525084,13.369402 https://www.openstreetmap.org/?mlat=52.525084&mlon=13.369402');
    expect(issue.description).toContain('Place: Central Station');
    const details = await bot.app.services.backend.getRequest(id);
    expect(details.geo).toEqual({ latitude: 52.525084, longitude: 13.369402, title: 'Central Station', address: 'Europaplatz 1, Berlin' });
    expect(details.description).toBe('The lift in the lobby is stuck on floor 3');
  });

  test('a voice message as a comment: uploaded with its kind and duration, back in the thread as a voice message', async () => {
    const p = new Person(harness, bot, ++nextUser);
    const id = await submitInChat(p, 'The radiator knocks every night');
    await p.say('/my');
    await p.tap(`#${id}`);
    await p.tap('Add comment');
    await p.sendMedia('voice', { duration: 7 });
    const issue = await agent.issue(id);
    expect(issue.attachments).toEqual([expect.objectContaining({ description: expect.stringMatching(/^tg:voice:[A-Za-z0-9_-]+:7$/) })]);
    const details = await bot.app.services.backend.getRequest(id);
    expect(details.comments.at(-1)).toMatchObject({ author: 'customer', attachments: [expect.objectContaining({ kind: 'voice', duration: 7 })] });
  });
});
