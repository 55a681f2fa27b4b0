// Issue 6.3: the backend times out, answers 5xx, refuses the connection, or answers 200 with
// malformed JSON or JSON of the wrong shape. A cached catalogue is served stale; without one the
// person reads a clear message in their language; every failure is one structured error line;
// nothing is left as an unhandled rejection.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createBackendClient } from '../../lib/backend/backend-client.js';
import type { BackendErrorKind } from '../../lib/backend/backend-error.js';
import { createTwoTierCache, type TwoTierCache } from '../../lib/cache/two-tier-cache.js';
import type { DemoFault } from '../../tools/demo-backend/server.js';
import { messages } from '../../lib/i18n/index.js';
import { startHarness, type Harness } from '../support/bot-harness.js';
import { freePort } from '../support/http.js';
import { Person } from '../support/person.js';
import { backendFault, createTally, watchUnhandledRejections } from '../support/reliability.js';

let harness: Harness;
let nextUser = 630_000;
let clock = Date.now();
const tally = createTally('backend-faults');
const rejections = watchUnhandledRejections();
const en = messages('en');
const ru = messages('ru');

const FAULTS: readonly [DemoFault, BackendErrorKind][] = [
  ['timeout', 'timeout'],
  ['500', 'http'],
  ['refuse', 'network'],
  ['malformed-json', 'invalid-response'],
  ['wrong-shape', 'invalid-response'],
];
const NAVIGATION = ['t:en', 's:en:1', 'c:en:1:10:0'];

beforeAll(async () => {
  harness = await startHarness({ env: { HTTP_TIMEOUT_MS: '300' } });
});
afterAll(async () => {
  rejections.stop();
  tally.report([harness]);
  await harness.close();
});
beforeEach(() => harness.telegram.reset());

/** A cache on the harness's Redis with its own keys and a clock the test moves. */
async function clockedCache(): Promise<TwoTierCache> {
  const store = (await harness.startInstance()).app.deps.store;
  return createTwoTierCache({
    store,
    logger: harness.logger,
    maxEntries: 100,
    defaultTtlSeconds: 300,
    keyPrefix: `faults-${++nextUser}:`,
    now: () => clock,
  });
}

/** A tap on a button under a message the fake never sent (ids the bot's own messages do not reach). */
function press(p: Person, data: string) {
  return p.press(data, { messageId: 100_000, text: '', buttons: [] });
}

/** The three catalogue screens NAVIGATION shows, as the bot sends them (HTML). */
const SCREENS = [en.chooseRequestType, en.chooseSide('Repair'), `${en.chooseCategory('Repair', 'Individual', 1, 2)}\n${en.searchHint}`];

/** Error lines logged since `from`, by message. */
function errorLines(from: number, msg: string) {
  return harness.logs.slice(from).filter((line) => line.level === 'error' && line.msg === msg);
}

describe.each(FAULTS)('%s', (fault, kind) => {
  test('stale catalogue served', async () => {
    const instance = await harness.startInstance({ cache: await clockedCache() });
    const p = new Person(harness, instance, ++nextUser);
    for (const data of NAVIGATION) await press(p, data);
    clock += 3_600_000; // an hour on: every catalogue entry is past its TTL
    harness.telegram.reset();
    const from = harness.logs.length;

    const injected = backendFault(harness.backend, '*', fault);
    const answers = await Promise.all(NAVIGATION.map((data) => press(p, data)));
    tally.fault(injected.stop());
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    const shown = harness.telegram.callsOf('editMessageText').map((call) => String(call.payload.text));
    expect(shown.sort()).toEqual([...SCREENS].sort());
    const stale = harness.logs.slice(from).filter((line) => line.msg === 'serving stale cache entry');
    expect(stale).toHaveLength(3);
    expect(stale.every((line) => line.level === 'warn' && typeof line.error === 'string' && typeof line.age_s === 'number')).toBe(true);
    expect(errorLines(from, 'handler failed')).toHaveLength(0);
  });

  test('no cache: English and Russian message', async () => {
    const instance = await harness.startInstance({ cache: await clockedCache() });
    const english = new Person(harness, instance, ++nextUser, 'en');
    const russian = new Person(harness, instance, ++nextUser, 'ru');
    const from = harness.logs.length;

    const injected = backendFault(harness.backend, '*', fault);
    const answers = await Promise.all([
      press(english, 't:en'),
      press(russian, 't:ru'),
      english.say('/my'),
      press(russian, 'd:ru:SR-unknown'),
    ]);
    tally.fault(injected.stop());
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    expect(english.texts().sort()).toEqual([en.catalogUnavailable, en.requestsUnavailable].sort());
    expect(russian.texts().sort()).toEqual([ru.catalogUnavailable, ru.requestsUnavailable].sort());

    // One structured line per failure, naming the kind of failure and the route, not a URL.
    const failed = errorLines(from, 'handler failed');
    expect(failed).toHaveLength(2);
    for (const line of failed) {
      expect(line).toMatchObject({ handler: 'new-request', update_id: expect.any(Number), err: { type: 'BackendError', kind, path: '/request-types' } });
    }
    expect(errorLines(from, 'listing requests failed')).toEqual([
      expect.objectContaining({ update_id: expect.any(Number), err: expect.objectContaining({ type: 'BackendError', kind, path: '/requests?telegram_user_id=:id&limit=:n' }) }),
    ]);
    expect(errorLines(from, 'loading a request failed')).toEqual([
      expect.objectContaining({ err: expect.objectContaining({ type: 'BackendError', kind, path: '/requests/:id' }) }),
    ]);
    expect(harness.logs.slice(from).filter((line) => line.msg === 'update').every((line) => line.error === (line.handler === 'new-request'))).toBe(true);

    // Recovered: the same person carries on.
    harness.telegram.reset();
    await press(english, 't:en');
    expect(harness.telegram.callsOf('editMessageText').map((call) => call.payload.text)).toEqual([en.chooseRequestType]);
  });
});

describe('nothing listening at BACKEND_URL', () => {
  test('stale served, else told', async () => {
    const cache = await clockedCache();
    const warm = await harness.startInstance({ cache });
    for (const data of NAVIGATION) await press(new Person(harness, warm, ++nextUser), data);
    clock += 3_600_000;

    const backend = createBackendClient({
      baseUrl: `http://127.0.0.1:${await freePort()}`,
      timeoutMs: 300,
      maxConnections: 4,
      slowCallMs: 1000,
      logger: harness.logger,
    });
    const refused = await harness.startInstance({ cache, backend });
    const p = new Person(harness, refused, ++nextUser);
    const from = harness.logs.length;
    harness.telegram.reset();
    await press(p, 't:en');
    expect(harness.telegram.callsOf('editMessageText').map((call) => call.payload.text)).toEqual([SCREENS[0]]);
    await p.say('/my');
    expect(harness.telegram.sentTexts(p.userId).at(-1)).toBe(en.requestsUnavailable);
    const [line] = errorLines(from, 'listing requests failed');
    expect(line?.err).toMatchObject({ type: 'BackendError', kind: 'network' });
    expect(String((line?.err as { message?: string }).message)).toMatch(/ECONNREFUSED/);
    // Each call (the first attempt and ky's two retries) was refused at the network edge.
    tally.fault(6);
  });

  test('no unhandled rejection', () => {
    expect(rejections.seen).toEqual([]);
  });
});
