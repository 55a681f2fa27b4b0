// The real Vercel Node runtime, offline: @vercel/node's startDevServer compiles api/telegram.ts
// as a deployment would and serves it with Vercel's request/response helpers.
import { randomBytes } from 'node:crypto';
import * as vercelNode from '@vercel/node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startDemoBackend, type DemoBackend } from '../../tools/demo-backend/server.js';
import { startFakeTelegram, type FakeTelegram } from '../support/fake-telegram.js';
import { ensureRedis } from '../support/redis-server.js';
import { callbackUpdate, TEST_BOT_TOKEN, textUpdate } from '../support/updates.js';
import { startUpstashBridge, type UpstashBridge } from '../support/upstash-bridge.js';

const SECRET = 'dev-server-secret_42';
let telegram: FakeTelegram;
let backend: DemoBackend;
let bridge: UpstashBridge;
let url: string;
let shutdown: (() => Promise<void>) | undefined;

// The builder entry point Vercel's CLI calls; its .d.ts declares only the request/response types.
type StartDevServer = (options: Record<string, unknown>) => Promise<{ port: number; shutdown?: () => Promise<void> } | null>;
const startDevServer = (vercelNode as unknown as { startDevServer: StartDevServer }).startDevServer;

beforeAll(async () => {
  [telegram, backend] = await Promise.all([startFakeTelegram({ token: TEST_BOT_TOKEN }), startDemoBackend()]);
  bridge = await startUpstashBridge({ redisUrl: (await ensureRedis()).url, prefix: `test:${randomBytes(6).toString('hex')}:` });
  const server = await startDevServer({
    entrypoint: 'api/telegram.ts',
    workPath: process.cwd(),
    config: {},
    meta: {
      isDev: true,
      env: {
        TELEGRAM_BOT_TOKEN: TEST_BOT_TOKEN,
        TELEGRAM_API_ROOT: telegram.apiRoot,
        TELEGRAM_WEBHOOK_SECRET: SECRET,
        BACKEND_URL: backend.url,
        UPSTASH_REDIS_REST_URL: bridge.url,
        UPSTASH_REDIS_REST_TOKEN: bridge.token,
        LOG_LEVEL: 'silent',
      },
    },
    files: {},
    repoRootPath: process.cwd(),
  });
  if (!server) throw new Error('startDevServer returned nothing');
  url = `http://127.0.0.1:${server.port}/api/telegram`;
  shutdown = server.shutdown;
}, 60_000);

afterAll(async () => {
  await shutdown?.();
  await Promise.allSettled([telegram.close(), backend.close(), bridge.close()]);
});

async function post(body: string, secret: string | null = SECRET): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(secret !== null && { 'x-telegram-bot-api-secret-token': secret }) },
    body,
  });
}

async function eventually<T>(read: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('api/telegram.ts under the Vercel Node runtime', () => {
  test('a wrong secret answers 401 and the Bot API sees nothing', async () => {
    const response = await post(JSON.stringify(textUpdate({ userId: 301, text: '/start' })), 'nope');
    expect(response.status).toBe(401);
    expect(telegram.calls).toHaveLength(0);
  });

  test('invalid JSON answers 400 and the server keeps serving', async () => {
    expect((await post('{"update_id":')).status).toBe(400);
    expect((await fetch(url)).status).toBe(405);
  });

  test('a 2 MB body answers 413', async () => {
    expect((await post(JSON.stringify({ update_id: 1, padding: 'x'.repeat(2 * 1024 * 1024) }))).status).toBe(413);
  });

  test('a button tap answers the callback inside the webhook reply, then edits the screen', async () => {
    const response = await post(JSON.stringify(callbackUpdate({ userId: 303, data: 't:en', messageId: 7 })));
    expect(response.status).toBe(200);
    expect(JSON.parse(await response.text())).toMatchObject({ method: 'answerCallbackQuery' });
    const edit = await eventually(() => telegram.callsOf('editMessageText').find((call) => call.payload.chat_id === 303));
    expect(edit.payload.text).toContain('Step 1 of 4');
    expect(telegram.callsOf('answerCallbackQuery')).toHaveLength(0);
  });

  test('/start produces the welcome message at the Bot API', async () => {
    const response = await post(JSON.stringify(textUpdate({ userId: 302, text: '/start', firstName: 'Grace' })));
    expect(response.status).toBe(200);
    const welcome = await eventually(() => telegram.callsOf('sendMessage').find((call) => call.payload.chat_id === 302));
    expect(welcome.payload.text).toContain('Hello, Grace');
  });
});
