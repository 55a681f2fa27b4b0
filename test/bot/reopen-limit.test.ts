// A reason the bot cannot use is not asked for in vain (issue 16, item 9), through the real webhook,
// in English and Russian: when a reopen hits the backend's limit (409 reopen_limit), the reason
// already typed (and a photo sent with it) becomes the new request the bot offers, with the same
// type, side and service: its summary is shown with Confirm, and Confirm sends it.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { messages } from '../../lib/i18n/index.js';
import { startHarness, type BotInstance, type Harness } from '../support/bot-harness.js';
import { demoName } from '../support/catalogue-names.js';
import { lifecycleCalls } from '../support/lifecycle.js';
import { Person } from '../support/person.js';

let harness: Harness;
let bot: BotInstance;
let nextUser = 8_800_000;

beforeAll(async () => {
  // No reopening allowed: the first Still a problem meets the limit.
  harness = await startHarness({ backend: { maxReopens: 0 } });
  bot = await harness.startInstance();
});
afterAll(async () => {
  await harness.close();
});
beforeEach(() => harness.telegram.reset());

describe.each(['en', 'ru'] as const)('in %s', (lang) => {
  const t = messages(lang);
  const label = (text: string) => text.replace(/<[^>]+>/g, '');
  const L = lang === 'en' ? { limit: 'reopened as many times as allowed' } : { limit: 'открывали повторно столько раз, сколько можно' };
  const requestsOf = (p: Person) => harness.backend.requests().filter((r) => r.telegram.user_id === p.userId);

  /** A person whose one request (Repair · Individual · Plumbing) is resolved, with Still a problem tapped. */
  async function stillAProblem(): Promise<{ p: Person; requestId: string; number: string }> {
    const p = new Person(harness, bot, ++nextUser, lang);
    await p.say('/new');
    for (const name of ['Repair', 'Individual', 'Plumbing']) await p.tap(demoName(name, lang));
    await p.say('The heating in room 12 does not work');
    await p.tap(t.buttonSkip);
    await p.say(t.buttonSkip);
    await p.tap(t.buttonConfirm);
    const request = requestsOf(p)[0];
    if (!request) throw new Error('no request was created');
    await harness.backend.setStatus(request.id, 'resolved');
    await p.say('/my');
    await p.tap(request.number);
    await p.tap(label(t.buttonStillAProblem));
    return { p, requestId: request.id, number: request.number };
  }

  test('the reason becomes the new request’s description, shown in its summary with Confirm', async () => {
    const { p, requestId, number } = await stillAProblem();
    const reason = 'The radiator is still cold after the visit';
    await p.say(reason);
    expect(lifecycleCalls(harness.backend, requestId, { action: 'reopen', outcome: 'refused' })).toHaveLength(1);
    const screen = p.screen().text;
    expect(screen).toContain(L.limit);
    expect(screen).toContain(number);
    expect(screen).toContain(reason);
    expect(screen).toContain(demoName('Plumbing', lang));
    expect(screen).toContain(demoName('Individual', lang));
    expect(p.labels()).toContain(t.buttonConfirm);
    await p.tap(t.buttonConfirm);
    const [first, second] = requestsOf(p);
    expect(requestsOf(p)).toHaveLength(2);
    expect(second).toMatchObject({ description: reason, request_type_id: first?.request_type_id, side_id: first?.side_id, category_id: first?.category_id });
  });

  test('a photo sent with the reason goes with the new request', async () => {
    const { p } = await stillAProblem();
    await p.sendPhoto({ caption: 'Still cold: see the thermometer' });
    expect(p.screen().text).toContain('Still cold: see the thermometer');
    await p.tap(t.buttonConfirm);
    const second = requestsOf(p)[1];
    expect(second?.description).toBe('Still cold: see the thermometer');
    expect(second?.attachments).toHaveLength(1);
    expect(second?.attachments[0]?.kind).toBe('photo');
  });
});
