// An outage is resolved and the backend pushes a burst of status changes at once. Telegram takes a
// limited number of messages a second per bot and answers 429 with retry_after past that. The
// backend's worker pool (50 at a time) POSTs every event to the bot's warm instances through a
// network that loses some answers after the bot did the work; it retries on 429/503 no sooner than
// Retry-After, and on a lost answer. Every person must be told exactly once: none lost, none twice,
// with one instance and with two sharing one pace. The clock is scaled to keep the test short:
// Telegram takes 60 a second here and the bot paces itself at 50 (its defaults are 30 and 25); a
// few 429s are injected so the refusal path is always taken. The figures with Telegram's real
// pace, for 1, 2 and 3 instances, come from `npm run bench -- --workloads notify-burst`
// (docs/reliability.md).
import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createNotifyEndpoint } from '../../lib/webhook/notify-endpoint.js';
import { describeBurst, runNotifyBurst, type NotifyBurstFigures } from '../../tools/bench/notify-burst.js';
import { NOTIFY_SECRET, startHarness, type Harness } from '../support/bot-harness.js';
import { closeServer, listen } from '../support/http.js';
import { createTally, watchUnhandledRejections } from '../support/reliability.js';

const EVENTS = 200;
const TELEGRAM_MESSAGES_PER_SECOND = 60;
const BOT_MESSAGES_PER_SECOND = 50;
const BACKEND_WORKERS = 50;
/** Every 25th event loses the answer of its delivery: the backend sends those again. */
const LOSE_EVERY = 25;
const INJECTED_429S = 3;

let harness: Harness;
const servers: ReturnType<typeof createServer>[] = [];
const tally = createTally('notification-burst');
const rejections = watchUnhandledRejections();

beforeAll(async () => {
  harness = await startHarness();
  harness.telegram.setMessagesPerSecond(TELEGRAM_MESSAGES_PER_SECOND);
});
afterAll(async () => {
  rejections.stop();
  tally.report([harness]);
  await Promise.all(servers.map(closeServer));
  await harness.close();
});

/** `count` warm instances on the same Redis and Bot API, each with its notify endpoint over HTTP. */
async function instances(count: number): Promise<string[]> {
  const urls: string[] = [];
  for (let i = 0; i < count; i++) {
    const instance = await harness.startInstance({
      // The lease held by a claim whose round trip timed out (a busy machine) locks its event for
      // that long: the shortest that still outlasts a paced, slow send (2 s + 10 s).
      notify: { messagesPerSecond: BOT_MESSAGES_PER_SECOND, sharedMessagesPerSecond: BOT_MESSAGES_PER_SECOND, leaseSeconds: 13 },
    });
    const server = createServer(createNotifyEndpoint({ getApp: async () => instance.app, getLogger: () => harness.logger }));
    servers.push(server);
    urls.push(await listen(server));
  }
  return urls;
}

function expectEveryoneToldOnce(figures: NotifyBurstFigures): void {
  // The backend heard "delivered" for every event, after however many tries.
  expect(figures.unacknowledged).toBe(0);
  // Telegram: exactly one message per person, each about that person's request.
  expect({ never: figures.never, twice: figures.twice, misaddressed: figures.misaddressed }).toEqual({ never: [], twice: [], misaddressed: [] });
  expect(figures.told).toBe(EVENTS);
  // The answers that were lost came back as duplicates on the retry, not as second messages.
  expect(figures.lostAnswers).toBe(EVENTS / LOSE_EVERY);
  expect(figures.lostAnsweredAsDuplicate).toBe(figures.lostAnswers);
  expect(figures.retries.network).toBeGreaterThanOrEqual(figures.lostAnswers);
  // Telegram's refusals were passed on as 429 and retried.
  expect(figures.telegramRefused).toBeGreaterThanOrEqual(INJECTED_429S);
  expect(figures.retries.rateLimited).toBeGreaterThanOrEqual(INJECTED_429S);
}

describe(`${EVENTS} notifications to ${EVENTS} people, answers lost on the way back, Telegram refusing some`, () => {
  test.each([
    [1, 730_001],
    [2, 740_001],
  ])('%i instance(s) sharing one pace: each person told exactly once', { timeout: 120_000 }, async (count, firstUser) => {
    const targets = await instances(count);
    harness.telegram.failNext('sendMessage', { status: 429, description: 'Too Many Requests: retry after 1', retry_after: 1 }, INJECTED_429S);
    const figures = await runNotifyBurst({
      targets,
      telegram: harness.telegram,
      bridge: harness.bridge,
      secret: NOTIFY_SECRET,
      events: EVENTS,
      workers: BACKEND_WORKERS,
      firstUser,
      loseEvery: LOSE_EVERY,
      runId: `burst${count}-${process.pid}`,
      // A backend that keeps trying for a minute or so: on a busy machine a Redis round trip that
      // times out after taking the lease holds its event for the lease, answered 503 meanwhile.
      maxAttempts: 60,
    });
    // Printed whatever the assertions say.
    console.log(describeBurst(figures, `Telegram at ${TELEGRAM_MESSAGES_PER_SECOND}/s, the bot at ${BOT_MESSAGES_PER_SECOND}/s`));
    tally.notifications({ sent: figures.told, expected: EVENTS, duplicates: figures.twice.length });
    tally.fault(figures.telegramRefused + figures.lostAnswers);
    expectEveryoneToldOnce(figures);
  });
});

test('no unhandled rejection', () => {
  expect(rejections.seen).toEqual([]);
});
