// An instance can die in the middle of an update (killed at maxDuration, out of memory): no answer
// goes back and Telegram delivers the update again. The de-dup marker is a lease while the update
// runs, so the resend is processed once the lease is over, and "done" once the work is done, so a
// finished update delivered again is dropped.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startHarness, WEBHOOK_SECRET, type BotInstance, type Harness } from '../support/bot-harness.js';
import { startFunctionChild } from '../support/function-child.js';
import { Person } from '../support/person.js';
import { toSummary } from '../support/reliability.js';
import { callbackUpdate, TEST_BOT_TOKEN } from '../support/updates.js';

const LEASE_S = 2;
let harness: Harness;
let bot: BotInstance;

beforeAll(async () => {
  harness = await startHarness({ env: { UPDATE_LEASE_S: String(LEASE_S) } });
  bot = await harness.startInstance();
});
afterAll(() => harness.close());

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}

describe('an instance killed in the middle of an update', () => {
  test('the resend waits for the lease, is then processed exactly once, and a finished update is dropped', async () => {
    const p = new Person(harness, bot, 810_001);
    await toSummary(p, 'The lift on floor 3 stops between floors');
    const summary = p.screen();
    const confirmData = summary.buttons.find((b) => b.text.includes('Confirm'))?.callback_data ?? '';
    const confirm = callbackUpdate({ userId: p.userId, data: confirmData, messageId: summary.messageId, messageText: summary.text });
    const requestsOf = () => harness.backend.requests().filter((r) => r.telegram.user_id === p.userId);

    // The function takes the update and is killed while the backend holds the submission.
    const redis = harness.bridge;
    if (!redis) throw new Error('this test needs the Redis bridge');
    const child = await startFunctionChild({
      TELEGRAM_BOT_TOKEN: TEST_BOT_TOKEN,
      TELEGRAM_API_ROOT: harness.telegram.apiRoot,
      TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
      BACKEND_URL: harness.backend.url,
      UPSTASH_REDIS_REST_URL: redis.url,
      UPSTASH_REDIS_REST_TOKEN: redis.token,
      UPDATE_LEASE_S: String(LEASE_S),
      LOG_LEVEL: 'silent',
    });
    harness.backend.setRouteLatency('POST /requests', 30_000);
    const submissionsBefore = harness.backend.stats.byRoute['POST /requests'] ?? 0;
    const killed = fetch(child.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET },
      body: JSON.stringify(confirm),
    }).then(
      (response) => response.status,
      () => 'no answer' as const,
    );
    await until(() => (harness.backend.stats.byRoute['POST /requests'] ?? 0) > submissionsBefore);
    await child.kill();
    expect(await killed).toBe('no answer');
    harness.backend.setRouteLatency('POST /requests', 0);

    // Telegram resends at once: the lease is still held, so nothing runs and the answer asks for later.
    const early = await bot.send(confirm);
    expect(early.status).toBe(503);
    expect(requestsOf()).toHaveLength(0);

    // After the lease, the resend is processed: one request, and the person is told.
    await sleep(LEASE_S * 1000 + 200);
    const late = await bot.send(confirm);
    expect(late.status).toBe(200);
    expect(requestsOf()).toHaveLength(1);
    expect(p.screen().text).toContain(`Your request ${requestsOf()[0]?.number} has been created`);

    // The finished update delivered again is dropped: no second request, nothing new in the chat.
    const sentBefore = harness.telegram.calls.length;
    const again = await bot.send(confirm);
    expect(again.status).toBe(200);
    expect(requestsOf()).toHaveLength(1);
    expect(harness.telegram.calls.length).toBe(sentBefore);
  });
});
