import { createServer } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { EndpointDeps } from '../../lib/webhook/endpoint-deps.js';
import { createCronReportEndpoint } from '../../lib/webhook/cron-report-endpoint.js';
import { createHealthEndpoint } from '../../lib/webhook/health-endpoint.js';
import { createNotifyEndpoint } from '../../lib/webhook/notify-endpoint.js';
import { ADMIN_ID, CRON_SECRET, NOTIFY_SECRET, startHarness, type BotInstance, type Harness } from '../support/bot-harness.js';
import { closeServer, listen } from '../support/http.js';

let harness: Harness;
let bot: BotInstance;
const servers: ReturnType<typeof createServer>[] = [];

async function serve(factory: (deps: EndpointDeps) => Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(factory({ getApp: async () => bot.app, getLogger: () => harness.logger }));
  servers.push(server);
  return listen(server);
}

beforeAll(async () => {
  harness = await startHarness();
  bot = await harness.startInstance();
});
afterAll(async () => {
  await Promise.all(servers.map(closeServer));
  await harness.close();
});
beforeEach(() => harness.telegram.reset());

describe('GET /api/health', () => {
  test('reports version, store and backend, and no secrets', async () => {
    const url = await serve(createHealthEndpoint);
    const response = await fetch(url);
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(JSON.parse(text)).toMatchObject({ ok: true, redis: { kind: 'upstash', reachable: true }, backend: { reachable: true } });
    for (const secret of [harness.config.telegram.token, NOTIFY_SECRET, CRON_SECRET, harness.config.redis?.token ?? 'x']) {
      expect(text).not.toContain(secret);
    }
  });

  test('503 when the backend does not answer', async () => {
    const url = await serve(createHealthEndpoint);
    harness.backend.setFault('GET /request-types', '500', 10);
    const response = await fetch(url);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ ok: false, backend: { reachable: false } });
    harness.backend.setFault('GET /request-types', 'none');
  });
});

// POST /api/notify has its own file: notify-endpoint.test.ts.

describe('GET /api/cron/report', () => {
  test('logs the performance summary line and sends it to the admins', async () => {
    const url = await serve(createCronReportEndpoint);
    const response = await fetch(url, { headers: { authorization: `Bearer ${CRON_SECRET}` } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { sent: number; summary: { hours: number } };
    expect(body).toMatchObject({ ok: true, sent: 1, summary: { hours: 24 } });
    const [call] = harness.telegram.callsOf('sendMessage');
    expect(call?.payload.chat_id).toBe(ADMIN_ID);
    expect(call?.payload.text).toMatch(/^Bot performance metrics \(last 24 h\): updates \d+/);
    expect(harness.logs.some((line) => String(line.msg).startsWith('Bot performance metrics'))).toBe(true);
  });
});

describe('an app that cannot start', () => {
  test('every endpoint answers 503 and logs why', async () => {
    const failing: EndpointDeps = {
      getApp: () => Promise.reject(new Error('TELEGRAM_BOT_TOKEN is required')),
      getLogger: () => harness.logger,
    };
    for (const factory of [createHealthEndpoint, createNotifyEndpoint, createCronReportEndpoint]) {
      const server = createServer(factory(failing));
      servers.push(server);
      const url = await listen(server);
      const from = harness.logs.length;
      const response = await fetch(url, { method: factory === createNotifyEndpoint ? 'POST' : 'GET' });
      expect(response.status).toBe(503);
      expect(harness.logs.slice(from).map((line) => line.msg)).toContain('the bot could not start; answered 503');
    }
  });
});
