// Issue 12.5: an outage is resolved and the backend pushes 1,000 status changes at once. Telegram
// takes about 30 messages a second and answers 429 with retry_after past that. The backend's
// worker pool (50 at a time) POSTs every event to a warm instance's /api/notify through a network
// that loses some answers after the bot did the work; it retries on 429/503 no sooner than
// Retry-After, and on a lost answer. Every person must be told exactly once: none lost, none
// twice. It takes 1000 / 25 s by design (the instance paces itself under Telegram's 30 a second);
// the figures are printed.
import { createServer } from 'node:http';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createNotifyEndpoint } from '../../lib/webhook/notify-endpoint.js';
import { createNotifySender, type NotifySendResult } from '../../tools/demo-backend/notify-sender.js';
import { NOTIFY_SECRET, startHarness, type BotInstance, type Harness } from '../support/bot-harness.js';
import { closeServer, listen } from '../support/http.js';
import { startLossyBalancer, type LossyBalancer } from '../support/lossy-balancer.js';
import { createTally, watchUnhandledRejections } from '../support/reliability.js';

const PEOPLE = 1000;
const TELEGRAM_MESSAGES_PER_SECOND = 30;
const BACKEND_WORKERS = 50;
const INSTANCES = 1;
/** Every 25th event loses the answer of its delivery: 40 delivered events the backend sends again. */
const LOSE_EVERY = 25;
const FIRST_USER = 720_001;

let harness: Harness;
let balancer: LossyBalancer;
const servers: ReturnType<typeof createServer>[] = [];
const tally = createTally('notification-burst');
const rejections = watchUnhandledRejections();
const answersLost = new Set<string>();

beforeAll(async () => {
  harness = await startHarness();
  const instances: BotInstance[] = [];
  for (let i = 0; i < INSTANCES; i++) instances.push(await harness.startInstance());
  const urls = await Promise.all(
    instances.map((instance) => {
      const server = createServer(createNotifyEndpoint({ getApp: async () => instance.app, getLogger: () => harness.logger }));
      servers.push(server);
      return listen(server);
    }),
  );
  balancer = await startLossyBalancer({
    targets: urls,
    loseAnswer({ body, status, answer }) {
      const event = JSON.parse(body.toString('utf8')) as { event_id: string };
      const index = Number(event.event_id.split('-').at(-1));
      const firstDelivery = status === 200 && !answer.includes('"duplicate"') && !answersLost.has(event.event_id);
      if (index % LOSE_EVERY !== 0 || !firstDelivery) return false;
      answersLost.add(event.event_id);
      return true;
    },
  });
  harness.telegram.reset();
  harness.telegram.setMessagesPerSecond(TELEGRAM_MESSAGES_PER_SECOND);
});
afterAll(async () => {
  rejections.stop();
  tally.report([harness]);
  await balancer.close();
  await Promise.all(servers.map(closeServer));
  await harness.close();
});

/** Runs `work` over `items`, at most `limit` at a time, like a backend's worker pool. */
async function pool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results;
}

test('1,000 notifications to 1,000 people at 30 messages a second: each told exactly once', { timeout: 120_000 }, async () => {
  const people = Array.from({ length: PEOPLE }, (_, i) => FIRST_USER + i);
  const events = people.map((userId, i) => ({
    event_id: `burst-${i}`,
    kind: 'status',
    request_id: `req-burst-${i}`,
    number: `SR-${50_000 + i}`,
    status: 'resolved',
    telegram_user_id: userId,
  }));
  const backend = createNotifySender({ url: balancer.url, secret: NOTIFY_SECRET, maxAttempts: 30, networkRetryMs: 200 });

  const started = performance.now();
  const results: NotifySendResult[] = await pool(events, BACKEND_WORKERS, (event) => backend.send(event));
  const seconds = (performance.now() - started) / 1000;

  // Counted at the fakes first, so the figures are printed whatever the assertions say.
  const sends = harness.telegram.callsOf('sendMessage');
  const accepted = sends.filter((call) => call.status === 200);
  const perPerson = new Map<number, number>();
  for (const call of accepted) perPerson.set(Number(call.payload.chat_id), (perPerson.get(Number(call.payload.chat_id)) ?? 0) + 1);
  const twice = people.filter((userId) => (perPerson.get(userId) ?? 0) > 1);
  const never = people.filter((userId) => !perPerson.has(userId));
  const refusedByTelegram = sends.filter((call) => call.status === 429).length;
  const unacknowledged = results.filter((result) => !result.ok || (result.body as { delivered?: unknown }).delivered !== true);
  const duplicatesAnswered = results.filter((result) => (result.body as { duplicate?: unknown }).duplicate === true);
  const retries = results.reduce(
    (sum, result) => ({
      rateLimited: sum.rateLimited + result.retries.rateLimited,
      unavailable: sum.unavailable + result.retries.unavailable,
      network: sum.network + result.retries.network,
    }),
    { rateLimited: 0, unavailable: 0, network: 0 },
  );
  // Redis round trips that failed (timeouts on a busy machine): each is a 503 or a retried record.
  const storeFailures = harness.logs.filter((line) => String(line.msg).startsWith('[store]')).length;
  tally.notifications({ sent: perPerson.size, expected: PEOPLE, duplicates: twice.length });
  tally.fault(refusedByTelegram + balancer.lost);
  console.log(
    `[reliability] notification-burst: ${PEOPLE} events, ${INSTANCES} instances, ${BACKEND_WORKERS} backend workers, ` +
      `Telegram at ${TELEGRAM_MESSAGES_PER_SECOND} msg/s: took ${seconds.toFixed(1)} s; people told ${perPerson.size}, ` +
      `twice ${twice.length}, never ${never.length}, unacknowledged ${unacknowledged.length}; ` +
      `POSTs ${results.reduce((sum, result) => sum + result.attempts, 0)}, backend retries: 429 ${retries.rateLimited}, ` +
      `503 ${retries.unavailable}, lost answers ${retries.network} (answered as duplicates ${duplicatesAnswered.length}); ` +
      `Telegram refused ${refusedByTelegram} sends (429); store failures logged ${storeFailures}; ` +
      `most attempts for one event ${Math.max(...results.map((result) => result.attempts))}`,
  );

  // The backend heard "delivered" for every event, after however many tries.
  expect(unacknowledged).toEqual([]);
  // Telegram: exactly one message per person, each about that person's request.
  expect({ never, twice }).toEqual({ never: [], twice: [] });
  expect(accepted).toHaveLength(PEOPLE);
  for (const [i, userId] of people.entries()) expect(harness.telegram.sentTexts(userId)).toEqual([expect.stringContaining(`SR-${50_000 + i}`)]);
  // The answers that were lost came back as duplicates on the retry, not as second messages.
  expect(balancer.lost).toBe(PEOPLE / LOSE_EVERY);
  expect(answersLost.size).toBe(balancer.lost);
  expect(retries.network).toBeGreaterThanOrEqual(balancer.lost);
  for (const [i, event] of events.entries()) {
    if (answersLost.has(event.event_id)) expect(results[i]?.body).toMatchObject({ delivered: true, duplicate: true });
  }
});

test('no unhandled rejection', () => {
  expect(rejections.seen).toEqual([]);
});
