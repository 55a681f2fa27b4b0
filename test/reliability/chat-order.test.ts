// Telegram sends a chat's next update only once the webhook answered the previous one. The answer
// must therefore mean "done": what the person sees and what the session holds are finished. These
// tests replay that pacing (the next update of a chat goes out the moment the previous answer
// arrived) against a slow Upstash (30 ms a round trip) and a slow submission (1 s).
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { Redis } from '@upstash/redis';
import { startHarness, type BotInstance, type Harness } from '../support/bot-harness.js';
import { Person } from '../support/person.js';
import { redisOf, storedSession, toSummary } from '../support/reliability.js';

let harness: Harness;
let bot: BotInstance;
let redis: Redis;
let nextUser = 700_000;

beforeAll(async () => {
  harness = await startHarness();
  bot = await harness.startInstance();
  harness.bridge?.setLatency(30);
  harness.backend.setRouteLatency('POST /requests', 1000);
  redis = redisOf(harness);
});
afterAll(() => harness.close());
beforeEach(() => harness.telegram.reset());

/**
 * One person seen two ways: `setup` waits until each update is fully done (to walk to the step
 * under test), `paced` sends the next update the moment the webhook answered, as Telegram does.
 */
function person(): { readonly setup: Person; readonly paced: Person } {
  const userId = ++nextUser;
  const paced: BotInstance = { ...bot, send: (update) => bot.deliver(update) };
  return { setup: new Person(harness, bot, userId), paced: new Person(harness, paced, userId) };
}

const DESCRIPTION = 'The radiator in the hallway is cold';

describe('per-chat order: the webhook answers when the update is done', () => {
  test('Skip on the photo prompt, then a message at once: the message meets the contact step', async () => {
    const { setup, paced: p } = person();
    await setup.say('/new');
    await setup.tap('Repair');
    await setup.tap('Individual');
    await setup.tap('Plumbing');
    await setup.say(DESCRIPTION);
    await p.tap('Skip');
    await p.say('Skip ⏭');
    await bot.settled();
    expect(p.lastText()).not.toContain('Please send a photo');
    expect(p.screen().text).toContain('Please check your request');
    expect((await storedSession(redis, p.userId))?.draft).toMatchObject({ step: 'confirm', description: DESCRIPTION });
  });

  test('Confirm, then My requests at once: the list shows the new request', async () => {
    const { setup, paced: p } = person();
    await toSummary(setup, DESCRIPTION);
    await p.tap('Confirm');
    await p.say('/my');
    await bot.settled();
    const [created] = harness.backend.requests().filter((r) => r.telegram.user_id === p.userId);
    expect(created).toBeDefined();
    expect(p.screen().text).toContain('Your latest requests');
    expect(p.screen().buttons.map((b) => b.text).join('\n')).toContain(created?.number);
    const session = await storedSession(redis, p.userId);
    expect(session?.draft).toBeUndefined();
    expect(session?.submitted?.number).toBe(created?.number);
  });

  test('Confirm, then Cancel at once: the request is sent once and nobody is told "nothing was sent"', async () => {
    const { setup, paced: p } = person();
    await toSummary(setup, DESCRIPTION);
    const summary = p.screen();
    await p.tap('Confirm', summary);
    await p.tap('Cancel', summary);
    await bot.settled();
    const created = harness.backend.requests().filter((r) => r.telegram.user_id === p.userId);
    expect(created).toHaveLength(1);
    // Everything the bot ever showed in this chat, edits included: a screen later replaced still misled.
    expect(harness.telegram.sentTexts(p.userId).join('\n')).not.toContain('Nothing was sent');
    const session = await storedSession(redis, p.userId);
    expect(session?.draft).toBeUndefined();
    expect(session?.submitted?.number).toBe(created[0]?.number);
  });
});
