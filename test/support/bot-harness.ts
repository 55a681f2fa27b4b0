// Everything a conversation test needs, all real except the network edge: the real webhook
// handler on a loopback HTTP server, the real App, the demo backend over HTTP, a fake Bot API,
// and Redis through the Upstash-compatible bridge.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { Writable } from 'node:stream';
import type { Update } from 'telegraf/types';
import { createApp, type App, type CreateAppOptions } from '../../lib/app.js';
import { loadConfig, secretsOf, type Config, type Env } from '../../lib/config.js';
import { startDemoBackend, type DemoBackend, type DemoBackendOptions } from '../../tools/demo-backend/server.js';
import { createLogger, type Logger } from '../../lib/logger.js';
import { trackedWaitUntil } from '../../tools/sandbox/wait-until.js';
import { createTelegramWebhook } from '../../lib/webhook/telegram-webhook.js';
import { startFakeTelegram, type FakeTelegram } from './fake-telegram.js';
import { closeServer, listen } from './http.js';
import { ensureRedis } from './redis-server.js';
import { TEST_BOT_TOKEN } from './updates.js';
import { startUpstashBridge, type UpstashBridge } from './upstash-bridge.js';

export const WEBHOOK_SECRET = 'test-webhook-secret_0123456789';
export const NOTIFY_SECRET = 'test-notify-secret_0123456789abcdef';
export const CRON_SECRET = 'test-cron-secret_0123456789';
export const ADMIN_ID = 900_001;

export interface HarnessOptions {
  readonly env?: Env;
  readonly backend?: DemoBackendOptions;
  /** Use the in-memory store instead of Redis through the bridge. */
  readonly memoryStore?: boolean;
  /** Another bot: its own token (and fake Bot API), e.g. a preview deployment's test bot. */
  readonly token?: string;
  /** Share another harness's Redis bridge (it stays open when this harness closes). */
  readonly bridge?: UpstashBridge;
}

export interface WebhookAnswer {
  readonly status: number;
  readonly body: string;
}

/** One instance of the bot (a cold start), served over HTTP by the real webhook handler. */
export interface BotInstance {
  readonly app: App;
  readonly url: string;
  /** POSTs an update and waits until the update and its after-response work are done. */
  send(update: unknown, options?: { readonly secret?: string | null; readonly rawBody?: string; readonly method?: string }): Promise<WebhookAnswer>;
  /**
   * POSTs an update and returns as soon as the webhook answers, as Telegram sees it: Telegram
   * sends the chat's next update right then, whatever the function still does afterwards.
   */
  deliver(update: unknown): Promise<WebhookAnswer>;
  /** Waits until the work handed to `waitUntil` is done. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

export interface Harness {
  readonly config: Config;
  readonly telegram: FakeTelegram;
  readonly backend: DemoBackend;
  readonly bridge: UpstashBridge | undefined;
  /** Every log line written so far, parsed. */
  readonly logs: Record<string, unknown>[];
  /** Every log line, raw, as it would reach the Vercel log viewer. */
  readonly rawLogs: string[];
  readonly logger: Logger;
  /** Starts another instance on the same Redis, backend and Bot API (a cold start). */
  startInstance(overrides?: Partial<CreateAppOptions>): Promise<BotInstance>;
  close(): Promise<void>;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const token = options.token ?? TEST_BOT_TOKEN;
  const [telegram, backend] = await Promise.all([startFakeTelegram({ token }), startDemoBackend({ ...options.backend })]);
  const ownBridge =
    options.memoryStore || options.bridge
      ? undefined
      : await startUpstashBridge({ redisUrl: (await ensureRedis()).url, prefix: `test:${randomBytes(6).toString('hex')}:` });
  const bridge = options.bridge ?? ownBridge;

  const config = loadConfig({
    TELEGRAM_BOT_TOKEN: token,
    TELEGRAM_API_ROOT: telegram.apiRoot,
    TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
    BACKEND_URL: backend.url,
    ADMIN_USER_IDS: String(ADMIN_ID),
    NOTIFY_SECRET,
    CRON_SECRET,
    LOG_LEVEL: 'debug',
    ...(bridge && { UPSTASH_REDIS_REST_URL: bridge.url, UPSTASH_REDIS_REST_TOKEN: bridge.token }),
    ...options.env,
  });
  const rawLogs: string[] = [];
  const logs: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() === '') continue;
        rawLogs.push(line);
        logs.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  const logger = createLogger({ level: config.logLevel, destination, secrets: secretsOf(config) });
  const instances: BotInstance[] = [];

  async function startInstance(overrides: Partial<CreateAppOptions> = {}): Promise<BotInstance> {
    const app = await createApp({ config, logger, metricsFlushIntervalMs: 60_000, ...overrides });
    // Tests count Bot API calls: let the identity lookup (getMe on a fresh Redis) finish first.
    await app.identityResolved();
    const { waitUntil, settled } = trackedWaitUntil();
    const handler = createTelegramWebhook({
      getConfig: () => config,
      getApp: async () => app,
      getLogger: () => logger,
      waitUntil,
    });
    const server: Server = createServer((req, res) => void handler(req, res));
    const url = await listen(server);
    const instance: BotInstance = {
      app,
      url,
      async deliver(update) {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET },
          body: JSON.stringify(update),
        });
        const body = await response.text();
        if (response.status === 200 && body.trim().startsWith('{')) telegram.applyWebhookReply(token, JSON.parse(body));
        return { status: response.status, body };
      },
      settled,
      async send(update, sendOptions = {}) {
        const secret = sendOptions.secret === undefined ? WEBHOOK_SECRET : sendOptions.secret;
        const response = await fetch(url, {
          method: sendOptions.method ?? 'POST',
          headers: { 'content-type': 'application/json', ...(secret !== null && { 'x-telegram-bot-api-secret-token': secret }) },
          ...((sendOptions.method ?? 'POST') === 'POST' && { body: sendOptions.rawBody ?? JSON.stringify(update) }),
        });
        const body = await response.text();
        // Telegram executes a method written into the webhook answer; so does the fake.
        if (response.status === 200 && body.trim().startsWith('{')) telegram.applyWebhookReply(token, JSON.parse(body));
        await settled();
        return { status: response.status, body };
      },
      async close() {
        await closeServer(server);
        await app.close();
      },
    };
    instances.push(instance);
    return instance;
  }

  return {
    config,
    telegram,
    backend,
    bridge,
    logs,
    rawLogs,
    logger,
    startInstance,
    async close() {
      await Promise.allSettled(instances.map((instance) => instance.close()));
      await Promise.allSettled([telegram.close(), backend.close(), ownBridge?.close()]);
    },
  };
}

/** The per-update log lines (`msg: 'update'`), newest last. */
export function updateLines(harness: Harness): Record<string, unknown>[] {
  return harness.logs.filter((line) => line.msg === 'update');
}

export type { Update };
