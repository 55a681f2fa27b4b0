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
  const typeReads = () => harness.backend.stats.byRoute['GET /request-types'] ?? 0;
  const asOperator = { authorization: `Bearer ${CRON_SECRET}` };

  test('details (version, store, backend) only with Bearer CRON_SECRET, and no secrets in them', async () => {
    const url = await serve(createHealthEndpoint);
    const response = await fetch(url, { headers: asOperator });
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(JSON.parse(text)).toMatchObject({ ok: true, version: expect.any(String), redis: { kind: 'upstash', reachable: true }, backend: { reachable: true } });
    for (const secret of [harness.config.telegram.token, NOTIFY_SECRET, CRON_SECRET, harness.config.redis?.token ?? 'x']) {
      expect(text).not.toContain(secret);
    }
  });

  test('anonymous callers get {ok} alone; a wrong secret is 401', async () => {
    const url = await serve(createHealthEndpoint);
    const anonymous = await fetch(url);
    expect(anonymous.status).toBe(200);
    expect(await anonymous.json()).toEqual({ ok: true });
    for (const authorization of ['Bearer wrong', `Bearer ${NOTIFY_SECRET}`]) expect((await fetch(url, { headers: { authorization } })).status).toBe(401);
  });

  test('20 anonymous calls, 10 of them at once, cost one backend read and one store round trip', async () => {
    const url = await serve(createHealthEndpoint);
    harness.backend.resetStats();
    harness.bridge?.resetStats();
    const answers = await Promise.all(Array.from({ length: 10 }, () => fetch(url)));
    for (let i = 0; i < 10; i++) answers.push(await fetch(url));
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(200));
    expect(typeReads()).toBe(1);
    expect(harness.bridge?.stats.requests).toBe(1);
  });

  test('the probe is kept about 10 s, then made again', async () => {
    let clock = 1_000_000;
    const url = await serve((deps) => createHealthEndpoint(deps, { now: () => clock }));
    harness.backend.resetStats();
    await fetch(url);
    clock += 9_000;
    await fetch(url);
    expect(typeReads()).toBe(1);
    clock += 2_000;
    await fetch(url);
    expect(typeReads()).toBe(2);
  });

  test('503 when the backend does not answer; 20 calls make one probe (with its retries), not twenty', async () => {
    const url = await serve(createHealthEndpoint);
    harness.backend.resetStats();
    harness.backend.setFault('GET /request-types', '500', 100);
    const answers = await Promise.all(Array.from({ length: 20 }, () => fetch(url)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(503));
    expect(await answers[0]?.json()).toEqual({ ok: false });
    expect(typeReads()).toBe(3);
    const detailed = await fetch(url, { headers: asOperator });
    expect(await detailed.json()).toMatchObject({ ok: false, backend: { reachable: false } });
    expect(typeReads()).toBe(3);
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
