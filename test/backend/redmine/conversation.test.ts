// Redmine as the backend (issue 19), through the real webhook against a real Redmine
// (tools/redmine/setup.sh): a request made in the chat is an issue in the side's project, with the
// person's photo uploaded to Redmine; My requests and the details read it back, with the thread
// from the journals (agents' public notes and files, never private notes); another person's issue
// is as unknown as a missing one. In English and Russian.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startHarness, type BotInstance, type Harness } from '../../support/bot-harness.js';
import { Person } from '../../support/person.js';
import { localRedmine, redmineAs, redmineEnv, submitInChat } from '../../support/redmine.js';

const redmine = await localRedmine();
let harness: Harness;
let bot: BotInstance;
// Telegram ids unique per run: the Redmine keeps every earlier run's issues.
let nextUser = 2_000_000_000 + (Date.now() % 100_000_000);

describe.skipIf(redmine === undefined)('Redmine backend: the conversation', () => {
  const agent = redmineAs(redmine as NonNullable<typeof redmine>, redmine?.agent_key ?? '');
  beforeAll(async () => {
    harness = await startHarness({ env: redmineEnv(redmine as NonNullable<typeof redmine>) });
    bot = await harness.startInstance();
  });
  afterAll(() => harness?.close());
  beforeEach(() => harness.telegram.reset());

  const person = (language = 'en') => new Person(harness, bot, ++nextUser, language);

  test('a new request becomes an issue in the side project, with its photo, phone and the Telegram id; My requests and the details read it back', async () => {
    const p = person();
    await p.say('/start');
    await p.tap('New request');
    expect(p.labels()).toEqual(expect.arrayContaining(['Bug', 'Feature', 'Support']));
    await p.tap('Support');
    expect(p.labels()).toEqual(expect.arrayContaining(['North building', 'South building']));
    await p.tap('Back');
    const id = await submitInChat(p, 'The kitchen tap drips all night long', { photo: true });

    const issue = await agent.issue(id);
    expect(issue.subject).toBe('The kitchen tap drips all night long');
    expect(issue.description).toContain('The kitchen tap drips all night long');
    expect(issue.description).toContain('Phone: +15555550123');
    expect(issue.attachments).toEqual([expect.objectContaining({ description: 'tg:photo:photo-file-id-1' })]);
    expect((await agent.issuesOf(p.userId)).map((found) => found.id)).toEqual([Number(id)]);

    await p.say('/my');
    expect(p.labels().join(' ')).toContain(`#${id}`);
    await p.tap(`#${id}`);
    expect(p.screen().text).toContain(`#${id}`);
    expect(p.screen().text).toContain('Status: New');
  });

  test('an agent\'s public note and file reach the thread with the agent\'s name; a private note never does; the person\'s comment is a note', async () => {
    const p = person();
    const id = await submitInChat(p, 'The heating is cold in room 12', { labels: ['Support', 'North building', 'Heating'] });
    await agent.note(id, { notes: 'We will come on Tuesday', file: { name: 'plan.pdf', type: 'application/pdf', bytes: new TextEncoder().encode('%PDF-1.4 plan') } });
    await agent.note(id, { notes: 'Internal: the boiler is old', private: true });

    await p.say('/my');
    await p.tap(`#${id}`);
    const details = p.screen().text;
    expect(details).toContain('We will come on Tuesday');
    expect(details).toContain('Anna Agent');
    expect(details).not.toContain('boiler');
    await p.tap('plan.pdf');
    expect(harness.telegram.sentFiles.at(-1)).toMatchObject({ kind: 'document', fileName: 'plan.pdf', via: 'upload' });

    await p.say('/my');
    await p.tap(`#${id}`);
    await p.tap('Add comment');
    await p.say('Tuesday is fine, thank you');
    await p.tap('Add comment');
    await p.sendDocument({ fileName: 'photo-of-meter.pdf', mimeType: 'application/pdf', size: 2048 });
    const after = await agent.issue(id);
    const notes = after.journals.map((journal) => journal.notes);
    expect(notes.filter((note) => note.startsWith('Tuesday is fine, thank you'))).toHaveLength(1);
    expect(after.attachments.map((attachment) => attachment.filename)).toEqual(expect.arrayContaining(['plan.pdf', 'photo-of-meter.pdf']));
  });

  test('another person\'s issue is as unknown as a missing one', async () => {
    const owner = person();
    const id = await submitInChat(owner, 'The lift stops between floors', { labels: ['Support', 'South building', 'Lifts'] });
    const stranger = person();
    await stranger.say('/my');
    expect(stranger.texts().join('\n')).not.toContain(`#${id}`);
    const answer = await bot.app.services.backend.addComment(id, { telegram_user_id: stranger.userId, text: 'not mine' }, `tg-${stranger.userId}-x`).catch((error: unknown) => error);
    expect(answer).toMatchObject({ name: 'BackendError', status: 404 });
    expect((await agent.issue(id)).journals).toHaveLength(0);
  });

  test('in Russian: the same request, the steps and the details in Russian', async () => {
    const p = person('ru');
    const id = await submitInChat(p, 'В ванной течёт кран уже неделю');
    const issue = await agent.issue(id);
    expect(issue.subject).toBe('В ванной течёт кран уже неделю');
    await p.say('/my');
    await p.tap(`#${id}`);
    expect(p.screen().text).toContain('Статус: Новая');
  });

  test('My requests pages 10 at a time from Redmine (offset cursor); Open leaves out Closed, Rejected and Cancelled', async () => {
    const p = person();
    const local = redmine as NonNullable<typeof redmine>;
    const ids: number[] = [];
    for (let i = 1; i <= 12; i++) {
      const answer = (await agent.call('POST', 'issues.json', {
        issue: { project_id: 'north-building', tracker_id: 3, subject: `Made by phone, number ${i}`, custom_fields: [{ id: local.telegram_field_id, value: String(p.userId) }] },
      })) as { issue: { id: number } };
      ids.push(answer.issue.id);
    }
    await agent.note(ids[11] as number, { status: 'Closed' });
    await agent.note(ids[10] as number, { status: 'Rejected' });
    await agent.note(ids[9] as number, { status: 'Cancelled' });
    await p.say('/my');
    const first = p.labels().filter((label) => label.includes('#'));
    expect(first).toHaveLength(10);
    expect(first[0]).toContain(`#${ids[11]}`);
    await p.tap('Older ▶');
    expect(p.labels().filter((label) => label.includes('#'))).toEqual([expect.stringContaining(`#${ids[1]}`), expect.stringContaining(`#${ids[0]}`)]);
    await p.tap('Newest');
    await p.tap('Open');
    const open = p.labels().filter((label) => label.includes('#'));
    expect(open).toHaveLength(9);
    expect(open.join(' ')).not.toContain(`#${ids[11]} `);
    expect(open[0]).toContain(`#${ids[8]}`);
  });

  test('the person edits a comment in Telegram: the note changes in place in Redmine (PUT /journals), once however often it is delivered', async () => {
    const p = person();
    const id = await submitInChat(p, 'The hallway light is out on floor 2');
    await p.say('/my');
    await p.tap(`#${id}`);
    await p.tap('Add comment');
    const { messageId } = await p.sayAs('The door code is 4711');
    const journalId = (await agent.issue(id)).journals.at(-1)?.id;
    const { update } = await p.edit(messageId, 'The door code is 4712');
    await bot.send(update);
    const journals = (await agent.issue(id)).journals;
    expect(journals).toHaveLength(1);
    expect(journals[0]).toMatchObject({ id: journalId, notes: expect.stringMatching(/^The door code is 4712\n\n---\n/) });
    const details = await bot.app.services.backend.getRequest(id);
    expect(details.comments).toMatchObject([{ id: String(journalId), text: 'The door code is 4712', edited_at: expect.any(String) }]);
  });
});
