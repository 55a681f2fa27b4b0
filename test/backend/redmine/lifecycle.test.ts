// A request's life on Redmine (issue 19) through the real webhook: cancel with a reason, Solved and
// a rating with its comment, Still a problem (reopened with the person's words), in English and
// Russian; each act is a note (and a status change) of the bot's user, once however often it is tapped.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startHarness, type BotInstance, type Harness } from '../../support/bot-harness.js';
import { Person } from '../../support/person.js';
import { localRedmine, redmineAs, redmineEnv, submitInChat } from '../../support/redmine.js';

const redmine = await localRedmine();
let harness: Harness;
let bot: BotInstance;
let nextUser = 2_100_000_000 + (Date.now() % 40_000_000);

describe.skipIf(redmine === undefined)('Redmine backend: the lifecycle', () => {
  const agent = redmineAs(redmine as NonNullable<typeof redmine>, redmine?.agent_key ?? '');
  beforeAll(async () => {
    harness = await startHarness({ env: redmineEnv(redmine as NonNullable<typeof redmine>) });
    bot = await harness.startInstance();
  });
  afterAll(() => harness?.close());
  beforeEach(() => harness.telegram.reset());

  const person = (language = 'en') => new Person(harness, bot, ++nextUser, language);
  async function openDetails(p: Person, id: string): Promise<void> {
    await p.say('/my');
    await p.tap(`#${id}`);
  }

  test('cancel with a reason: the issue is Cancelled with the bot\'s note, the reason shows in the history', async () => {
    const p = person();
    const id = await submitInChat(p, 'The hallway light flickers all day');
    await openDetails(p, id);
    await p.tap('Cancel request');
    await p.tap('Yes, cancel it');
    expect((await agent.issue(id)).status.name).toBe('Cancelled');
    await p.say('Fixed it myself');
    await openDetails(p, id);
    expect(p.screen().text).toContain('Status: Cancelled');
    expect(p.screen().text).toContain('Fixed it myself');
    const journals = (await agent.issue(id)).journals;
    expect(journals).toHaveLength(2);
    expect(journals[0]?.notes).toContain('Cancelled by the customer in Telegram.');
    expect(journals[1]?.notes).toContain('Reason: Fixed it myself');
  });

  test('Solved closes the issue; the rating and its comment are notes; a second rating is not sent', async () => {
    const p = person();
    const id = await submitInChat(p, 'The radiator in the kitchen is cold');
    await agent.note(id, { notes: 'Bled the radiator', status: 'Resolved' });
    await openDetails(p, id);
    await p.tap('Solved');
    expect((await agent.issue(id)).status.name).toBe('Closed');
    await p.tap('4⭐');
    await p.say('Quick and polite');
    const notes = (await agent.issue(id)).journals.map((journal) => journal.notes);
    expect(notes.filter((note) => note.startsWith('Rating: 4/5'))).toHaveLength(1);
    expect(notes.filter((note) => note.startsWith('Rating comment: Quick and polite'))).toHaveLength(1);
    const again = await bot.app.services.backend.rateRequest(id, { telegram_user_id: p.userId, score: 2 }, `tg-${p.userId}-rating-other`).catch((error: unknown) => error);
    expect(again).toMatchObject({ status: 409, code: 'already_rated' });
    const details = await bot.app.services.backend.getRequest(id);
    expect(details.rating).toMatchObject({ score: 4, comment: 'Quick and polite' });
  });

  test('in Russian: Still a problem reopens the issue In Progress with the person\'s words', async () => {
    const p = person('ru');
    const id = await submitInChat(p, 'Кран в ванной снова капает');
    await agent.note(id, { notes: 'Заменили прокладку', status: 'Resolved' });
    await openDetails(p, id);
    await p.tap('Проблема осталась');
    await p.say('Снова капает ночью');
    const issue = await agent.issue(id);
    expect(issue.status.name).toBe('In Progress');
    expect(issue.journals.at(-1)?.notes).toContain('Reason: Снова капает ночью');
    await openDetails(p, id);
    expect(p.screen().text).toContain('Снова капает ночью');
  });

  test('the same act twice with one key acts once (the marker in the journals answers the second)', async () => {
    const p = person();
    const id = await submitInChat(p, 'The window does not close properly');
    const key = `tg-${p.userId}-cancel-${id}`;
    const first = await bot.app.services.backend.cancelRequest(id, { telegram_user_id: p.userId }, key);
    const second = await bot.app.services.backend.cancelRequest(id, { telegram_user_id: p.userId }, key);
    expect(first.status).toBe('cancelled');
    expect(second.status).toBe('cancelled');
    expect((await agent.issue(id)).journals).toHaveLength(1);
  });

  test('a closed request takes no more comments (409 request_closed), as the REST contract says', async () => {
    const p = person();
    const id = await submitInChat(p, 'The garage gate squeaks loudly');
    await agent.note(id, { notes: 'Done', status: 'Closed' });
    const refused = await bot.app.services.backend.addComment(id, { telegram_user_id: p.userId, text: 'Thanks!' }, `tg-${p.userId}-late`).catch((error: unknown) => error);
    expect(refused).toMatchObject({ status: 409, code: 'request_closed' });
    expect((await agent.issue(id)).journals).toHaveLength(1);
  });

  test('Still a problem twice reopens; a third time is 409 reopen_limit, and nothing is written', async () => {
    const p = person();
    const id = await submitInChat(p, 'The shower drain is blocked again');
    for (const round of [1, 2]) {
      await agent.note(id, { notes: `Cleared it, round ${round}`, status: 'Resolved' });
      const reopened = await bot.app.services.backend.reopenRequest(id, { telegram_user_id: p.userId, reason: `Still blocked ${round}` }, `tg-${p.userId}-reopen-${id}-${round}`);
      expect(reopened.status).toBe('in_progress');
    }
    await agent.note(id, { notes: 'Cleared it, round 3', status: 'Resolved' });
    const journals = (await agent.issue(id)).journals.length;
    const third = await bot.app.services.backend.reopenRequest(id, { telegram_user_id: p.userId, reason: 'Still blocked 3' }, `tg-${p.userId}-reopen-${id}-3`).catch((error: unknown) => error);
    expect(third).toMatchObject({ status: 409, code: 'reopen_limit' });
    expect((await agent.issue(id)).journals).toHaveLength(journals);
  });
});
