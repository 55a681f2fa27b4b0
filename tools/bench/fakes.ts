// The network edge of the benchmark, in the parent process: the demo backend, the Upstash bridge
// over a real Redis, and the sandbox's Bot API server, each adding latency and counting what
// reaches it.
import { randomBytes } from 'node:crypto';
import { startDemoBackend, type DemoBackend } from '../demo-backend/server.js';
import { startBotApiServer, type BotApiServer } from '../sandbox/bot-api-server.js';
import { SANDBOX_BOT_TOKEN } from '../sandbox/updates.js';
import { ensureRedis } from '../sandbox/redis-server.js';
import { startUpstashBridge, type UpstashBridge } from '../sandbox/upstash-bridge.js';

export interface Latencies {
  /** Added by the demo backend to every request (network round trip). */
  readonly backendMs: number;
  /** Added by the demo backend to the first request of each new connection (TCP + TLS handshake). */
  readonly backendConnectMs: number;
  /** Added by the Upstash bridge to every REST request. */
  readonly redisMs: number;
  /** Added by the fake Bot API to every call. */
  readonly telegramMs: number;
}

export const DEFAULT_LATENCIES: Latencies = { backendMs: 40, backendConnectMs: 60, redisMs: 5, telegramMs: 20 };

/** What reached the fakes between two `take()` calls. */
export interface EdgeCounts {
  backendRequests: number;
  backendConnections: number;
  redisRoundTrips: number;
  redisCommands: number;
  /** Bot API calls made over HTTP (real round trips). */
  telegramCalls: number;
  /** Bot API calls that rode in a webhook answer (no round trip of their own). */
  telegramWebhookReplies: number;
}

export function zeroCounts(): EdgeCounts {
  return { backendRequests: 0, backendConnections: 0, redisRoundTrips: 0, redisCommands: 0, telegramCalls: 0, telegramWebhookReplies: 0 };
}

export function addCounts(into: EdgeCounts, from: EdgeCounts): void {
  for (const key of Object.keys(into) as (keyof EdgeCounts)[]) into[key] += from[key];
}

export const WEBHOOK_SECRET = 'bench-webhook-secret_0123456789';
export const BOT_TOKEN = SANDBOX_BOT_TOKEN;

export interface Fakes {
  readonly latencies: Latencies;
  readonly backend: DemoBackend;
  readonly bridge: UpstashBridge;
  readonly telegram: BotApiServer;
  /** A second demo backend without latency, for the cold-start runs that exclude injected latency. */
  readonly zeroBackend: DemoBackend;
  /** The product's environment pointing at these fakes. */
  env(options?: { readonly zeroLatency?: boolean }): Record<string, string>;
  /** Turns the bridge's and Bot API's latency off (true) or back to the configured values. */
  setZeroLatency(zero: boolean): void;
  /** Counts since the previous call (or start), then starts counting afresh. Call only when idle. */
  take(): EdgeCounts;
  close(): Promise<void>;
}

export async function startFakes(latencies: Latencies): Promise<Fakes> {
  const redis = await ensureRedis();
  const [backend, zeroBackend, telegram, bridge] = await Promise.all([
    startDemoBackend({ latencyMs: latencies.backendMs, connectionLatencyMs: latencies.backendConnectMs }),
    startDemoBackend({}),
    startBotApiServer({ token: BOT_TOKEN, latencyMs: latencies.telegramMs }),
    startUpstashBridge({ redisUrl: redis.url, prefix: `bench:${randomBytes(6).toString('hex')}:`, latencyMs: latencies.redisMs }),
  ]);
  let zero = false;

  return {
    latencies,
    backend,
    bridge,
    telegram,
    zeroBackend,
    env(options = {}) {
      return {
        TELEGRAM_BOT_TOKEN: BOT_TOKEN,
        TELEGRAM_API_ROOT: telegram.apiRoot,
        TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
        BACKEND_URL: options.zeroLatency ? zeroBackend.url : backend.url,
        UPSTASH_REDIS_REST_URL: bridge.url,
        UPSTASH_REDIS_REST_TOKEN: bridge.token,
        // The product logs one JSON line per update at info: that cost is part of what we measure.
        LOG_LEVEL: 'info',
      };
    },
    setZeroLatency(on) {
      zero = on;
      bridge.setLatency(zero ? 0 : latencies.redisMs);
      telegram.setLatency(zero ? 0 : latencies.telegramMs);
    },
    take() {
      let http = 0;
      let viaWebhook = 0;
      for (const call of telegram.calls) {
        if (call.viaWebhook) viaWebhook += 1;
        else http += 1;
      }
      const counts: EdgeCounts = {
        backendRequests: backend.stats.requests + zeroBackend.stats.requests,
        backendConnections: backend.stats.connections + zeroBackend.stats.connections,
        redisRoundTrips: bridge.stats.requests,
        redisCommands: bridge.stats.commands,
        telegramCalls: http,
        telegramWebhookReplies: viaWebhook,
      };
      backend.resetStats();
      zeroBackend.resetStats();
      bridge.resetStats();
      // The call log would otherwise grow for the whole run (10k+ updates with payloads).
      telegram.calls.length = 0;
      return counts;
    },
    async close() {
      await Promise.allSettled([backend.close(), zeroBackend.close(), telegram.close(), bridge.close()]);
    },
  };
}
