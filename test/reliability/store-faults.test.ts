// Issue 6.4: Upstash unreachable, slow, or refusing the token. The bot keeps answering: the
// catalogue from L1, a draft on the same instance from its in-memory session copy; an error line
// says how to fix it; a submission stays idempotent through the backend's Idempotency-Key.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { messages } from '../../lib/i18n/index.js';
import { createUpstashKvStore } from '../../lib/store/upstash-kv-store.js';
import { startHarness, type BotInstance, type Harness } from '../support/bot-harness.js';
import { Person } from '../support/person.js';
import { ensureRedis } from '../support/redis-server.js';
import { createTally, redisOf, storedSession, toDescription, upstashFault, watchUnhandledRejections } from '../support/reliability.js';
import { startUpstashBridge, type UpstashBridge } from '../support/upstash-bridge.js';

let harness: Harness;
let bridge: UpstashBridge;
let nextUser = 640_000;
const tally = createTally('store-faults');
const rejections = watchUnhandledRejections();
const en = messages('en');
const DESCRIPTION = 'The fridge hums loudly and leaks water';
const FIX_HINT = 'UPSTASH_REDIS_REST_URL';

beforeAll(async () => {
  harness = await startHarness();
  if (!harness.bridge) throw new Error('these tests need the Redis bridge');
  bridge = harness.bridge;
});
afterAll(async () => {
  rejections.stop();
  tally.report([harness]);
  await harness.close();
});
beforeEach(() => {
  harness.telegram.reset();
  bridge.setFault('none');
  bridge.setLatency(0);
});

/**
 * An instance whose Upstash store gives up after 200 ms and fails fast for 1 s after a failure
 * (the product's defaults are 1 s and 5 s), so a slow or dead Redis costs the test little time.
 */
async function fastFailingInstance(target: { url: string; token: string } = bridge, now?: () => number): Promise<BotInstance> {
  return harness.startInstance({ store: createUpstashKvStore({ url: target.url, token: target.token, timeoutMs: 200, breakerMs: 1000, ...(now && { now }) }) });
}

function press(p: Person, data: string) {
  return p.press(data, { messageId: 100_000, text: '', buttons: [] });
}

function requestsOf(p: Person) {
  return harness.backend.requests().filter((request) => request.telegram.user_id === p.userId);
}

/** Error lines since `from` that name the variable to check. */
function fixHints(from: number) {
  return harness.logs.slice(from).filter((line) => line.level === 'error' && String(line.msg).includes(FIX_HINT));
}

/**
 * With the store failing: another person navigates the catalogue from L1, the person with a
 * draft finishes it (photo, phone) and double-taps Confirm; one request with everything arrives.
 */
async function carryOnWithoutRedis(instance: BotInstance, p: Person): Promise<void> {
  const other = new Person(harness, instance, ++nextUser);
  const answers = [await other.say('/start'), await press(other, 't:en'), await press(other, 's:en:1'), await press(other, 'c:en:1:10:0')];
  expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
  const shown = harness.telegram.callsOf('editMessageText').filter((call) => call.payload.chat_id === other.userId);
  expect(shown.map((call) => call.payload.text)).toEqual([en.chooseRequestType, en.chooseSide('Repair'), `${en.chooseCategory('Repair', 'Individual', 1, 2)}\n${en.searchHint}`]);

  expect((await p.sendPhoto()).status).toBe(200);
  expect(p.texts()).toContain(en.photoAdded);
  expect((await p.shareContact()).status).toBe(200);
  const summary = p.screen();
  expect(summary.text).toContain(DESCRIPTION);
  await Promise.all([p.tap('Confirm', summary), p.tap('Confirm', summary)]);
  await p.tap('Confirm', summary);
  expect(requestsOf(p)).toHaveLength(1);
  expect(requestsOf(p)[0]).toMatchObject({
    description: DESCRIPTION,
    contact_phone: '+15555550123',
    attachments: [{ telegram_file_id: 'photo-file-id-1', kind: 'photo' }],
  });
  expect(p.texts().join('\n')).toContain(requestsOf(p)[0]?.number);
  tally.expectRequests(1);
}

/** A person whose draft is at the photo step, with the catalogue warm in L1. */
async function personAtPhotoStep(instance: BotInstance): Promise<Person> {
  const p = new Person(harness, instance, ++nextUser);
  await toDescription(p);
  await p.say(DESCRIPTION);
  await press(new Person(harness, instance, ++nextUser), 'c:en:1:10:0'); // page 1 of the categories, too
  return p;
}

describe.each([
  ['503 (unreachable)', 'unavailable'],
  ['401 (wrong token)', 'unauthorized'],
  ['no answer', 'hang'],
] as const)('Upstash %s', (_name, fault) => {
  test('the bot carries on', async () => {
    const instance = await fastFailingInstance();
    const p = await personAtPhotoStep(instance);
    const from = harness.logs.length;
    const injected = upstashFault(bridge, fault);
    await carryOnWithoutRedis(instance, p);
    tally.fault(injected.stop());
    expect(fixHints(from).length).toBeGreaterThan(0);
    expect(fixHints(from)[0]).toMatchObject({ update_id: expect.any(Number), err: { type: 'StoreError' } });
  });
});

describe('Upstash slow', () => {
  test('above the timeout: the bot carries on', async () => {
    const instance = await fastFailingInstance();
    const p = await personAtPhotoStep(instance);
    const from = harness.logs.length;
    const before = bridge.stats.requests;
    bridge.setLatency(400);
    await carryOnWithoutRedis(instance, p);
    bridge.setLatency(0);
    tally.fault(bridge.stats.requests - before);
    expect(fixHints(from).length).toBeGreaterThan(0);
  });
});

describe('Upstash gone', () => {
  test('bridge closed: the bot carries on', async () => {
    const own = await startUpstashBridge({ redisUrl: (await ensureRedis()).url, prefix: `test:${randomBytes(6).toString('hex')}:` });
    const instance = await fastFailingInstance(own);
    const p = await personAtPhotoStep(instance);
    const from = harness.logs.length;
    await own.close(); // connection refused from here on
    await carryOnWithoutRedis(instance, p);
    const refused = harness.logs
      .slice(from)
      .filter((line) => String(line.msg).startsWith('[store]') && !/circuit open/.test(String((line.err as { message?: string } | undefined)?.message)));
    expect(refused.length).toBeGreaterThan(0);
    tally.fault(refused.length);
    expect(fixHints(from).length).toBeGreaterThan(0);
    expect(harness.rawLogs.some((line) => line.includes(own.token))).toBe(false);
  });

  test('default store: the submission limit fails open', async () => {
    // The store and the limiter built from config (1 s timeout, 5 s breaker), as in production.
    const instance = await harness.startInstance();
    const p = await personAtPhotoStep(instance);
    await p.tap('Skip');
    await p.say('skip');
    const from = harness.logs.length;
    const injected = upstashFault(bridge, 'unavailable');
    await p.tap('Confirm');
    tally.fault(injected.stop());
    expect(requestsOf(p)).toHaveLength(1);
    tally.expectRequests(1);
    expect(harness.logs.slice(from).some((line) => line.level === 'warn' && String(line.msg).startsWith('[ratelimit] Upstash unreachable'))).toBe(true);
    expect(fixHints(from).length).toBeGreaterThan(0);
  });
});

describe('Upstash back', () => {
  test('progress made meanwhile is kept', async () => {
    let clock = Date.now();
    const instance = await fastFailingInstance(bridge, () => clock);
    const p = await personAtPhotoStep(instance);
    const injected = upstashFault(bridge, 'unavailable');
    await p.tap('Skip'); // photo skipped while Redis is down: the draft moves on in memory only
    expect(p.lastText()).toBe(en.askContact);
    tally.fault(injected.stop());
    clock += 2000; // past the store's breaker

    await p.say('skip');
    expect(p.screen().text).toContain(DESCRIPTION);
    expect(p.labels()).toContain(en.buttonConfirm);
    const session = await storedSession(redisOf(harness), p.userId);
    expect(session?.draft).toMatchObject({ step: 'confirm', description: DESCRIPTION });
  });

  test('no unhandled rejection', () => {
    expect(rejections.seen).toEqual([]);
  });
});
