// Limits worded as they work (issue 16, item 11), through the real webhook, in English and Russian:
// a description of exactly 2000 characters is taken and one of 2001 is answered "up to 2000"; the
// reopen question names its limit; the sixth submission in an hour says when the person may send
// again and keeps the summary with Confirm.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { messages } from '../../lib/i18n/index.js';
import { MAX_REASON_LENGTH } from '../../lib/requests/limits.js';
import { SUBMISSIONS_PER_HOUR } from '../../lib/rate-limit/submission-limiter.js';
import { startHarness, type BotInstance, type Harness } from '../support/bot-harness.js';
import { demoName } from '../support/catalogue-names.js';
import { Person } from '../support/person.js';

let harness: Harness;
let bot: BotInstance;
let nextUser = 8_700_000;

beforeAll(async () => {
  harness = await startHarness();
  bot = await harness.startInstance();
});
afterAll(async () => {
  await harness.close();
});
beforeEach(() => harness.telegram.reset());

describe.each(['en', 'ru'] as const)('in %s', (lang) => {
  const t = messages(lang);
  const L =
    lang === 'en'
      ? { upTo: 'up to 2000 characters', reopenLimit: `up to ${MAX_REASON_LENGTH} characters`, when: /at \d{2}:\d{2} UTC \(in \d+ minutes?\)/ }
      : { upTo: 'до 2000 символов', reopenLimit: `до ${MAX_REASON_LENGTH} символов`, when: /в \d{2}:\d{2} UTC \(через \d+ минут[уы]?\)/ };
  const label = (text: string) => text.replace(/<[^>]+>/g, '');

  async function toDescription(p: Person): Promise<void> {
    await p.say('/new');
    for (const name of ['Repair', 'Individual', 'Plumbing']) await p.tap(demoName(name, lang));
  }

  test('2001 characters: "up to 2000"; 2000 are taken', async () => {
    const p = new Person(harness, bot, ++nextUser, lang);
    await toDescription(p);
    await p.say('x'.repeat(2001));
    expect(p.lastText()).toContain(L.upTo);
    await p.say('y'.repeat(2000));
    expect(p.lastText()).toContain(label(t.askPhoto));
  });

  test('the reopen question names its limit', async () => {
    const p = new Person(harness, bot, ++nextUser, lang);
    await toDescription(p);
    await p.say('The heating in room 12 does not work');
    await p.tap(t.buttonSkip);
    await p.say(t.buttonSkip);
    await p.tap(t.buttonConfirm);
    const request = harness.backend.requests().find((r) => r.telegram.user_id === p.userId);
    if (!request) throw new Error('no request');
    await harness.backend.setStatus(request.id, 'resolved');
    await p.say('/my');
    await p.tap(request.number);
    await p.tap(label(t.buttonStillAProblem));
    expect(p.screen().text).toContain(L.reopenLimit);
  });

  test('the sixth submission in an hour says when, and keeps the summary with Confirm', async () => {
    const p = new Person(harness, bot, ++nextUser, lang);
    // Half on each of two instances: a person's updates stay under the flood limit of one (and the limit is shared).
    const other = await harness.startInstance();
    for (let i = 1; i <= SUBMISSIONS_PER_HOUR + 1; i++) {
      p.instance = i <= 3 ? bot : other;
      await toDescription(p);
      await p.say(`Submission number ${i}: the light in the hall flickers`);
      await p.tap(t.buttonSkip);
      await p.say(t.buttonSkip);
      await p.tap(t.buttonConfirm);
    }
    expect(harness.backend.requests().filter((r) => r.telegram.user_id === p.userId)).toHaveLength(SUBMISSIONS_PER_HOUR);
    const screen = p.screen().text;
    expect(screen).toMatch(L.when);
    expect(screen).toContain(`Submission number ${SUBMISSIONS_PER_HOUR + 1}: the light in the hall flickers`);
    expect(screen).toContain(demoName('Plumbing', lang));
    expect(p.labels()).toContain(t.buttonConfirm);
    // Confirm still answers (the same words), and nothing more reaches the backend.
    await p.tap(t.buttonConfirm);
    expect(p.screen().text).toMatch(L.when);
    expect(harness.backend.requests().filter((r) => r.telegram.user_id === p.userId)).toHaveLength(SUBMISSIONS_PER_HOUR);
  });
});
