// Issue 4's budgets, counted at the fakes (no timings): backend requests and connections at the
// demo backend, Redis round trips and commands at the Upstash bridge, Bot API calls at the fake.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createTwoTierCache } from '../../lib/cache/two-tier-cache.js';
import { ADMIN_ID, startHarness, updateLines, type BotInstance, type Harness } from '../support/bot-harness.js';
import { Person } from '../support/person.js';
import { callbackUpdate, textUpdate } from '../support/updates.js';

let harness: Harness;
let nextUser = 400_000;

beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());
beforeEach(() => {
  harness.telegram.reset();
  harness.backend.resetStats();
  harness.bridge?.resetStats();
});

/** These tests have one person tap 100 times in a row; the flood limit (30 a minute) is tested elsewhere. */
const ONE_PERSON_MANY_TAPS = { limit: 1000 };

const route = (name: string) => harness.backend.stats.byRoute[name] ?? 0;
const bridge = () => {
  if (!harness.bridge) throw new Error('these tests need the Redis bridge');
  return harness.bridge.stats;
};

/** 100 navigation taps over 3 types × 2 sides × up to 2 pages, with Back to types and sides. */
function navigationPlan(): string[] {
  const screens: string[] = [];
  for (let i = 0; screens.length < 100; i++) {
    const type = (i % 3) + 1;
    const side = (i % 2 + 1) * 10; // the demo catalogue's sides are 10 and 20
    screens.push('t:en', `s:en:${type}`, `c:en:${type}:${side}:0`, `c:en:${type}:${side}:1`);
  }
  return screens.slice(0, 100);
}

describe('catalogue on a warm instance', () => {
  test('100 sequential navigations: one backend GET per distinct key, one TCP connection', async () => {
    const instance = await harness.startInstance({ floodLimit: ONE_PERSON_MANY_TAPS });
    const p = new Person(harness, instance, ++nextUser);
    for (const data of navigationPlan()) await p.press(data, { messageId: 1, text: '', buttons: [] });

    const plan = navigationPlan();
    const types = new Set(plan.filter((d) => d.startsWith('s:')).map((d) => d.split(':')[2]));
    const combos = new Set(plan.filter((d) => d.startsWith('c:')).map((d) => d.split(':').slice(2, 4).join(':')));
    expect(route('GET /request-types')).toBe(1);
    expect(route('GET /request-types/:id/sides')).toBe(types.size);
    expect(route('GET /service-categories')).toBe(combos.size);
    expect(harness.backend.stats.connections).toBe(1);
    // The Bot API calls (edits) reuse one keep-alive connection too.
    expect(harness.telegram.callsOf('editMessageText')).toHaveLength(100);
    expect(harness.telegram.connections).toBe(1);
    await instance.close();
  });

  test('20 concurrent misses of one key make one backend call', async () => {
    const instance = await harness.startInstance({
      cache: createTwoTierCache({ store: (await harness.startInstance()).app.deps.store, logger: harness.logger, maxEntries: 100, defaultTtlSeconds: 300, keyPrefix: `cold-${Date.now()}:` }),
    });
    await Promise.all(
      Array.from({ length: 20 }, () => instance.send(callbackUpdate({ userId: ++nextUser, data: 't:en', messageId: 1 }))),
    );
    expect(route('GET /request-types')).toBe(1);
    expect(harness.telegram.callsOf('editMessageText')).toHaveLength(20);
  });

  test('a cold start on the same Redis makes no backend call for cached keys; a clear reaches both', async () => {
    const first = await harness.startInstance();
    const person = new Person(harness, first, ++nextUser);
    for (const data of ['t:en', 's:en:1', 'c:en:1:10:0']) await person.press(data, { messageId: 1, text: '', buttons: [] });
    harness.backend.resetStats();

    const store = first.app.deps.store;
    const second = await harness.startInstance({
      cache: createTwoTierCache({ store, logger: harness.logger, maxEntries: 100, defaultTtlSeconds: 300, versionCheckIntervalMs: 0 }),
    });
    person.instance = second;
    for (const data of ['t:en', 's:en:1', 'c:en:1:10:0']) await person.press(data, { messageId: 1, text: '', buttons: [] });
    expect(harness.backend.stats.requests).toBe(0);

    // The admin clears on the first instance; the second sees the new version on its next read.
    const admin = new Person(harness, first, ADMIN_ID);
    await admin.say('/cache_clear');
    await admin.tap('Clear cache');
    expect(admin.screen().text).toContain('Cache cleared on every instance');
    await person.press('t:en', { messageId: 1, text: '', buttons: [] });
    expect(route('GET /request-types')).toBe(1);
    person.instance = first;
    await person.press('s:en:1', { messageId: 1, text: '', buttons: [] });
    expect(route('GET /request-types/:id/sides')).toBe(1);
  });

  test('the backend failing after a value was cached still serves it, stale', async () => {
    let clock = Date.now();
    const base = await harness.startInstance();
    const instance = await harness.startInstance({
      cache: createTwoTierCache({
        store: base.app.deps.store,
        logger: harness.logger,
        maxEntries: 100,
        defaultTtlSeconds: 300,
        keyPrefix: `stale-${clock}:`,
        now: () => clock,
      }),
    });
    const p = new Person(harness, instance, ++nextUser);
    await p.press('t:en', { messageId: 1, text: '', buttons: [] });
    clock += 3_600_000;
    harness.backend.setFault('*', '500', 10);
    harness.telegram.reset();
    await p.press('t:en', { messageId: 1, text: '', buttons: [] });
    expect(p.screen().text).toContain('Step 1 of 4');
    expect(harness.logs.some((line) => line.msg === 'serving stale cache entry')).toBe(true);
    harness.backend.setFault('*', 'none');
  });
});

describe('Redis round trips per update', () => {
  let instance: BotInstance;
  beforeAll(async () => {
    instance = await harness.startInstance({ floodLimit: ONE_PERSON_MANY_TAPS });
  });

  test('warm navigation costs no Redis round trip; 100 updates stay under 3 commands each', async () => {
    const p = new Person(harness, instance, ++nextUser);
    for (const data of navigationPlan()) await p.press(data, { messageId: 1, text: '', buttons: [] }); // warm the cache
    harness.bridge?.resetStats();
    const before = updateLines(harness).length;
    for (const data of navigationPlan()) await p.press(data, { messageId: 1, text: '', buttons: [] });
    const lines = updateLines(harness).slice(before);
    expect(lines).toHaveLength(100);
    expect(lines.every((line) => line.handler === 'new-request')).toBe(true);
    expect(Math.max(...lines.map((line) => Number(line.redis_round_trips)))).toBeLessThanOrEqual(2);
    expect(lines.every((line) => line.backend_calls === 0)).toBe(true);
    expect(bridge().commands / 100).toBeLessThanOrEqual(3);
  });

  test('a draft step costs one pipelined read and one pipelined write', async () => {
    const p = new Person(harness, instance, ++nextUser);
    await p.press('p:1:10:100', { messageId: 1, text: '', buttons: [] });
    harness.bridge?.resetStats();
    await p.say('The kitchen tap drips all night long');
    expect(bridge().requests).toBe(2);
    // Lease + session read + the "screen moved" mark (read and cleared); session + "done" marker.
    expect(bridge().commandNames).toEqual(['SET', 'GET', 'GETDEL', 'SET', 'SET']);
    expect(harness.telegram.callsOf('sendMessage')).toHaveLength(1);
  });

  test('a button tap answers its callback inside the webhook reply', async () => {
    const answer = await instance.send(callbackUpdate({ userId: ++nextUser, data: 't:en', messageId: 1 }));
    expect(JSON.parse(answer.body)).toMatchObject({ method: 'answerCallbackQuery' });
    const [line] = updateLines(harness).slice(-1);
    expect(line?.telegram_calls).toBe(1);
  });

  test('the same update delivered 5 times, in sequence and at once, is handled once', async () => {
    const userId = ++nextUser;
    const sequential = textUpdate({ userId, text: '/start' });
    for (let i = 0; i < 5; i++) expect((await instance.send(sequential)).status).toBe(200);
    const concurrent = textUpdate({ userId, text: '/help' });
    const answers = await Promise.all(Array.from({ length: 5 }, () => instance.send(concurrent)));
    // The first takes it; a copy arriving while it runs is asked to come back later (503), one
    // arriving after it finished is dropped (200). Resent, every one is dropped.
    expect(answers.every((a) => a.status === 200 || a.status === 503)).toBe(true);
    expect(answers.some((a) => a.status === 200)).toBe(true);
    for (let i = 0; i < 4; i++) expect((await instance.send(concurrent)).status).toBe(200);
    // Another instance receiving a redelivery drops it too (the marker is in Redis).
    const other = await harness.startInstance();
    expect((await other.send(sequential)).status).toBe(200);
    expect(harness.telegram.callsOf('sendMessage').filter((call) => call.payload.chat_id === userId)).toHaveLength(2);
  });
});

describe('admin commands', () => {
  test('are refused to everyone else, who gets the normal bot', async () => {
    const instance = await harness.startInstance();
    const p = new Person(harness, instance, ++nextUser);
    for (const command of ['/stats', '/cache_stats', '/cache_clear']) await p.say(command);
    const texts = p.texts();
    expect(texts).toHaveLength(3);
    expect(texts.every((text) => text.includes('I did not understand'))).toBe(true);
    await p.press('cc');
    expect(p.lastText()).toContain('This menu has expired');
  });

  test('/stats shows what was done', async () => {
    const own = await startHarness();
    try {
      const instance = await own.startInstance();
      const p = new Person(own, instance, 555);
      for (const data of ['t:en', 's:en:1', 'c:en:1:10:0', 't:en', 's:en:1']) await p.press(data, { messageId: 1, text: '', buttons: [] });
      const admin = new Person(own, instance, ADMIN_ID);
      await admin.say('/stats');
      const stats = admin.lastText();
      // What /stats says must match what the per-update log lines recorded.
      const lines = updateLines(own).filter((line) => line.handler !== 'stats');
      const sum = (field: string) => lines.reduce((total, line) => total + Number(line[field]), 0);
      const hits = sum('cache_l1_hits') + sum('cache_l2_hits');
      const percent = Math.round((hits / (hits + sum('cache_misses'))) * 100);
      expect(lines).toHaveLength(5);
      expect(sum('backend_calls')).toBe(3);
      expect(stats).toContain('Last hour');
      expect(stats).toContain('updates: 5 ');
      expect(stats).toContain('backend calls: 3 ');
      expect(stats).toContain(`cache hits: ${percent}%`);
      expect(stats).toContain('cold starts: 1, errors: 0');
      expect(stats).toMatch(/backend connections: 1 open, 0 active of 50/);
      await admin.say('/cache_stats');
      expect(admin.lastText()).toContain(`L1 hits: ${sum('cache_l1_hits')}, L2 hits: ${sum('cache_l2_hits')}, misses: ${sum('cache_misses')}`);
    } finally {
      await own.close();
    }
  });
});
