// Issue 13's budget for a cold instance, counted at the fakes (no timings): the app built as
// getApp() builds it (default options, Upstash through the bridge), the real webhook handler, and
// one `/start` from a person the bot has not met, with everything it leaves running after the answer.
import { createServer } from 'node:http';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createApp } from '../lib/app.js';
import { createTelegramWebhook } from '../lib/webhook/telegram-webhook.js';
import { trackedWaitUntil } from '../tools/sandbox/wait-until.js';
import { startHarness, WEBHOOK_SECRET, type Harness } from './support/bot-harness.js';
import { closeServer, listen } from './support/http.js';
import { textUpdate } from './support/updates.js';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());

test('a cold /start: at most 2 Redis round trips and 4 commands, no getMe, no backend call', async () => {
  const stats = harness.bridge?.stats;
  if (!stats) throw new Error('this test needs the Redis bridge');
  harness.bridge?.resetStats();
  harness.telegram.reset();
  harness.backend.resetStats();

  const app = createApp({ config: harness.config, logger: harness.logger });
  const { waitUntil, settled } = trackedWaitUntil();
  const handler = createTelegramWebhook({ getConfig: () => harness.config, getApp: () => app, getLogger: () => harness.logger, waitUntil });
  const server = createServer((req, res) => void handler(req, res));
  const url = await listen(server);
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET },
      body: JSON.stringify(textUpdate({ userId: 880_001, text: '/start' })),
    });
    expect(response.status).toBe(200);
    await settled();

    expect(harness.telegram.sentTexts(880_001).at(-1)).toContain('Hello');
    expect({ roundTrips: stats.requests, commands: stats.commands }).toEqual({ roundTrips: 2, commands: expect.any(Number) });
    expect(stats.commands).toBeLessThanOrEqual(4);
    expect(harness.telegram.callsOf('getMe')).toHaveLength(0);
    expect(harness.backend.stats.requests).toBe(0);
  } finally {
    await closeServer(server);
    await (await app).close();
  }
});
