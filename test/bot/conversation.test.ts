import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { NOTIFY_SECRET, startHarness, type BotInstance, type Harness } from '../support/bot-harness.js';
import { Person } from '../support/person.js';

let harness: Harness;
let bot: BotInstance;
let nextUser = 200_000;

beforeAll(async () => {
  harness = await startHarness();
  bot = await harness.startInstance();
});
afterAll(() => harness.close());
beforeEach(() => harness.telegram.reset());

function person(languageCode = 'en'): Person {
  return new Person(harness, bot, ++nextUser, languageCode);
}

/** From /start to the description step of Repair · Individual · Plumbing. */
async function toDescription(p: Person): Promise<void> {
  await p.say('/start');
  await p.tap('New request');
  await p.tap('Repair');
  await p.tap('Individual');
  await p.tap('Plumbing');
}

async function toSummary(p: Person): Promise<void> {
  await toDescription(p);
  await p.say('The kitchen tap drips all night long');
  await p.tap('Skip');
  await p.say('Skip ⏭');
}

describe('new request', () => {
  test('every step, from /start to a request number', async () => {
    const p = person();
    await p.say('/start');
    expect(p.lastText()).toContain('Hello, Ada');
    await p.tap('New request');
    expect(p.screen().text).toContain('Step 1 of 4');
    expect(p.labels()).toEqual(expect.arrayContaining(['Repair', 'Installation', 'Consultation']));
    await p.tap('Repair');
    expect(p.screen().text).toContain('Step 2 of 4');
    await p.tap('Individual');
    expect(p.screen().text).toContain('Step 3 of 4');
    await p.tap('Plumbing');
    expect(p.screen().text).toContain('describe the problem');

    await p.say('The kitchen tap drips all night long');
    expect(p.screen().text).toContain('add a photo');
    await p.sendPhoto();
    expect(p.texts()).toContain('📎 Photo added.');
    expect(p.lastText()).toContain('share your phone number');
    await p.shareContact();
    const summary = p.screen();
    expect(summary.text).toContain('Please check your request');
    expect(summary.text).toContain('Plumbing');
    expect(summary.text).toContain('The kitchen tap drips all night long');
    expect(summary.text).toContain('Files: 1');
    expect(summary.text).toContain('Phone: shared');

    await p.tap('Confirm');
    const [stored] = harness.backend.requests().filter((r) => r.telegram.user_id === p.userId);
    expect(stored).toBeDefined();
    expect(p.screen().text).toContain(`Your request ${stored?.number} has been created`);
    expect(stored).toMatchObject({
      description: 'The kitchen tap drips all night long',
      contact_phone: '+15555550123',
      attachments: [{ telegram_file_id: 'photo-file-id-1', kind: 'photo' }],
      telegram: { user_id: p.userId, chat_id: p.userId },
    });
  });

  test('Back returns step by step; Cancel leaves nothing behind', async () => {
    const p = person();
    await toDescription(p);
    await p.tap('Back');
    expect(p.screen().text).toContain('Step 3 of 4');
    await p.tap('Back');
    expect(p.screen().text).toContain('Step 2 of 4');
    await p.tap('Back');
    expect(p.screen().text).toContain('Step 1 of 4');
    await p.tap('Cancel');
    expect(p.screen().text).toContain('Cancelled');
    await p.say('Some text that is long enough to be a description');
    expect(p.lastText()).toContain('I did not understand');
    expect(harness.backend.requests().some((r) => r.telegram.user_id === p.userId)).toBe(false);
  });

  test('Back on the photo prompt returns to the description; a second Skip tap says it is out of date and shows the phone step', async () => {
    const p = person();
    await toDescription(p);
    await p.say('The kitchen tap drips all night long');
    const photoPrompt = p.screen();
    expect(photoPrompt.text).toContain('add a photo');
    await p.tap('Back');
    expect(p.screen().text).toContain('describe the problem');
    await p.say('The bathroom tap drips all night long');
    const again = p.screen();
    await p.tap('Skip', again);
    expect(p.lastText()).toContain('share your phone number');
    const sentBefore = p.texts().length;
    await p.tap('Skip', again);
    expect(harness.telegram.callsOf('answerCallbackQuery').at(-1)?.payload.text).toBe('This button is out of date. Here is where you are.');
    expect(p.texts().slice(sentBefore)).toEqual([expect.stringContaining('share your phone number')]);
    await p.say('Skip ⏭');
    expect(p.screen().text).toContain('The bathroom tap drips all night long');
  });

  test("yesterday's Skip button on the photo prompt (sp:<draft>) still skips", async () => {
    const p = person();
    await toDescription(p);
    await p.say('The kitchen tap drips all night long');
    const prompt = p.screen();
    const draftId = prompt.buttons.find((b) => b.text.includes('Skip'))?.callback_data.split(':')[1];
    expect(draftId).toMatch(/^[A-Za-z0-9_-]{12}$/);
    await p.press(`sp:${draftId}`, prompt);
    expect(p.lastText()).toContain('share your phone number');
  });

  test('categories are paginated by 8 with Next and Previous', async () => {
    const p = person();
    await p.say('/new');
    await p.tap('Repair');
    await p.tap('Individual');
    const first = p.screen();
    expect(first.text).toContain('page 1 of 2');
    expect(first.buttons.filter((b) => b.callback_data.startsWith('p:'))).toHaveLength(8);
    await p.tap('▶️');
    const second = p.screen();
    expect(second.text).toContain('page 2 of 2');
    expect(second.buttons.filter((b) => b.callback_data.startsWith('p:'))).toHaveLength(3);
    await p.tap('◀️');
    expect(p.screen().text).toContain('page 1 of 2');
  });

  test('a description too short, too long or not text is corrected, and the step stays', async () => {
    const p = person();
    await toDescription(p);
    await p.say('leak');
    expect(p.lastText()).toContain('at least 10 characters');
    await p.say('x'.repeat(2001));
    expect(p.lastText()).toContain('too long (2001 characters)');
    await p.sendPhoto();
    expect(p.lastText()).toContain('as a text message');
    await p.say('Water is leaking under the sink');
    expect(p.screen().text).toContain('add a photo');
  });

  test('a sticker instead of a photo and someone else’s contact are corrected', async () => {
    const p = person();
    await toDescription(p);
    await p.say('Water is leaking under the sink');
    await p.say('here is my photo');
    expect(p.lastText()).toContain('Please send a photo');
    await p.tap('Skip');
    await p.shareContact({ ownNumber: false });
    expect(p.lastText()).toContain('your own phone number');
    await p.say('skip');
    expect(p.screen().text).toContain('Phone: not shared');
  });

  test('Edit changes the description and returns to the summary with the rest kept', async () => {
    const p = person();
    await toDescription(p);
    await p.say('The kitchen tap drips all night long');
    await p.sendPhoto();
    await p.shareContact();
    await p.tap('Edit');
    expect(p.screen().text).toContain('Plumbing');
    expect(p.screen().text).toContain('describe the problem');
    await p.say('Actually the bathroom tap drips');
    const summary = p.screen().text;
    expect(summary).toContain('Please check your request');
    expect(summary).toContain('Actually the bathroom tap drips');
    expect(summary).toContain('Files: 1');
    expect(summary).toContain('Phone: shared');
  });

  test('a double-tapped Confirm creates exactly one request', async () => {
    const p = person();
    await toSummary(p);
    const summary = p.screen();
    await Promise.all([p.tap('Confirm', summary), p.tap('Confirm', summary)]);
    await p.tap('Confirm', summary);
    const mine = harness.backend.requests().filter((r) => r.telegram.user_id === p.userId);
    expect(mine).toHaveLength(1);
    expect(p.texts().join('\n')).toContain(mine[0]?.number);
  });

  test('a button from an old message gets "expired" and a fresh menu', async () => {
    const p = person();
    await toSummary(p);
    const oldSummary = p.screen();
    await p.tap('Cancel');
    await p.tap('Confirm', oldSummary);
    expect(p.lastText()).toContain('This menu has expired');
    expect(p.labels()).toContain('📝 New request');
    await p.press('ok:forged-draft-id-123');
    await p.press('totally:unknown:data');
    expect(p.lastText()).toContain('This menu has expired');
    expect(harness.backend.requests().some((r) => r.telegram.user_id === p.userId)).toBe(false);
  });
});

describe('sessions', () => {
  test('a draft survives a cold start on the same Redis', async () => {
    const p = person();
    await toDescription(p);
    p.instance = await harness.startInstance();
    await p.say('Water is leaking under the sink');
    expect(p.screen().text).toContain('add a photo');
    p.instance = bot;
  });
});

describe('languages', () => {
  test('Russian from language_code', async () => {
    const p = person('ru');
    await p.say('/start');
    expect(p.lastText()).toContain('Здравствуйте');
    await p.tap('Новая заявка');
    expect(p.screen().text).toContain('Шаг 1 из 4');
  });

  test('/language switches and is remembered', async () => {
    const p = person('en');
    await p.say('/language');
    await p.tap('Русский');
    expect(p.screen().text).toContain('Язык переключён');
    await p.say('/help');
    expect(p.lastText()).toContain('Как это работает');
  });
});

describe('my requests', () => {
  test('lists the newest with status and shows details with history', async () => {
    const p = person();
    await toSummary(p);
    await p.tap('Confirm');
    const [stored] = harness.backend.requests().filter((r) => r.telegram.user_id === p.userId);
    await p.say('/my');
    expect(p.screen().text).toContain('Your latest requests');
    await p.tap(stored?.number ?? 'missing');
    expect(p.screen().text).toContain(`Request ${stored?.number}`);
    expect(p.screen().text).toContain('Status: New');
    await p.tap('Refresh');
    expect(p.screen().text).toContain('History');
  });

  test('a forged button cannot show another person’s request', async () => {
    const owner = person();
    await toSummary(owner);
    await owner.tap('Confirm');
    const [stored] = harness.backend.requests().filter((r) => r.telegram.user_id === owner.userId);
    const intruder = person();
    await intruder.say('/start');
    await intruder.press(`d:en:${stored?.id}`);
    expect(intruder.screen().text).toContain('This request was not found');
    expect(intruder.texts().join('\n')).not.toContain(stored?.number);
  });
});

describe('status notifications', () => {
  test('the backend’s push reaches the person in their language', async () => {
    const p = person();
    await toSummary(p);
    await p.tap('Confirm');
    await p.say('/language');
    await p.tap('Русский');
    const [stored] = harness.backend.requests().filter((r) => r.telegram.user_id === p.userId);
    const delivered = await bot.app.notify({
      kind: 'status',
      request_id: stored?.id ?? '',
      number: stored?.number ?? '',
      status: 'in_progress',
      telegram_user_id: p.userId,
      comment: 'A plumber comes tomorrow at 10:00',
    });
    expect(delivered.delivered).toBe(true);
    expect(p.lastText()).toContain(`Статус заявки ${stored?.number}: В работе`);
    expect(p.lastText()).toContain('A plumber comes tomorrow at 10:00');
    expect(NOTIFY_SECRET).toBeTruthy();
  });
});
