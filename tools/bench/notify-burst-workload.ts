// `npm run bench -- --workloads notify-burst`: a burst of notification events through 1, 2 and 3
// warm instances, each count with the instances pacing themselves alone (the bot before the
// shared pace) and sharing one pace through Upstash, side by side in one run. The instances run in
// this process on the real App and notify endpoint, against the sandbox's Bot API (taking
// Telegram's 30 messages a second per bot, 429 past that) and the Upstash bridge over real Redis,
// both with the bench's injected latency.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { createApp, type App } from '../../lib/app.js';
import { loadConfig } from '../../lib/config.js';
import { createLogger } from '../../lib/logger.js';
import { createNotifyEndpoint } from '../../lib/webhook/notify-endpoint.js';
import { startBotApiServer } from '../sandbox/bot-api-server.js';
import { closeServer, listen } from '../sandbox/http.js';
import { ensureRedis } from '../sandbox/redis-server.js';
import { SANDBOX_BOT_TOKEN } from '../sandbox/updates.js';
import { startUpstashBridge } from '../sandbox/upstash-bridge.js';
import type { Latencies } from './fakes.js';
import { describeBurst, runNotifyBurst, type NotifyBurstFigures } from './notify-burst.js';
import { markdownTable } from './report.js';

/** What Telegram takes from one bot, as the Bot API fake enforces it. */
export const TELEGRAM_MESSAGES_PER_SECOND = 30;
const BACKEND_WORKERS = 50;
const LOSE_EVERY = 25;
const NOTIFY_SECRET = 'bench-notify-secret-0123456789abcdef';

export type PaceMode = 'per-instance' | 'shared';

export interface NotifyBurstRow {
  readonly instances: number;
  readonly pace: PaceMode;
  readonly figures: NotifyBurstFigures;
}

export interface NotifyBurstWorkloadOptions {
  readonly events: number;
  readonly instanceCounts: readonly number[];
  readonly latencies: Latencies;
  readonly progress: (line: string) => void;
}

export async function runNotifyBurstWorkload(options: NotifyBurstWorkloadOptions): Promise<NotifyBurstRow[]> {
  const redis = await ensureRedis();
  const [telegram, bridge] = await Promise.all([
    startBotApiServer({ token: SANDBOX_BOT_TOKEN, latencyMs: options.latencies.telegramMs, messagesPerSecond: TELEGRAM_MESSAGES_PER_SECOND }),
    startUpstashBridge({ redisUrl: redis.url, prefix: `bench-notify:${randomBytes(6).toString('hex')}:`, latencyMs: options.latencies.redisMs }),
  ]);
  const rows: NotifyBurstRow[] = [];
  let run = 0;
  try {
    for (const count of options.instanceCounts) {
      for (const pace of ['per-instance', 'shared'] as const) {
        run++;
        // A namespace per run: every run starts with a full bucket and no event it has seen.
        const config = loadConfig({
          TELEGRAM_BOT_TOKEN: SANDBOX_BOT_TOKEN,
          TELEGRAM_API_ROOT: telegram.apiRoot,
          BACKEND_URL: 'http://127.0.0.1:9',
          NOTIFY_SECRET,
          UPSTASH_REDIS_REST_URL: bridge.url,
          UPSTASH_REDIS_REST_TOKEN: bridge.token,
          REDIS_KEY_PREFIX: `burst${run}`,
          LOG_LEVEL: 'silent',
        });
        const logger = createLogger({ level: config.logLevel });
        const apps: App[] = [];
        const servers: Server[] = [];
        const targets: string[] = [];
        try {
          for (let i = 0; i < count; i++) {
            const app = await createApp({ config, logger, notify: pace === 'shared' ? {} : { sharedMessagesPerSecond: 0 } });
            await app.identityResolved();
            apps.push(app);
            const server = createServer(createNotifyEndpoint({ getApp: async () => app, getLogger: () => logger }));
            servers.push(server);
            targets.push(await listen(server));
          }
          telegram.reset();
          options.progress(`notify-burst: ${options.events} events through ${count} instance(s), ${pace} pace…`);
          const figures = await runNotifyBurst({
            targets,
            telegram,
            bridge,
            secret: NOTIFY_SECRET,
            events: options.events,
            workers: BACKEND_WORKERS,
            firstUser: 760_000_000 + run * 100_000,
            loseEvery: LOSE_EVERY,
            runId: `b${run}`,
          });
          options.progress(describeBurst(figures, `${pace} pace`));
          rows.push({ instances: count, pace, figures });
        } finally {
          await Promise.all(servers.map(closeServer));
          await Promise.all(apps.map((app) => app.close()));
        }
      }
    }
  } finally {
    await Promise.allSettled([telegram.close(), bridge.close()]);
  }
  return rows;
}

/** The Markdown section of the report: one row per instance count and pace. */
export function notifyBurstMarkdown(rows: readonly NotifyBurstRow[], options: Pick<NotifyBurstWorkloadOptions, 'events' | 'latencies'>): string {
  const per = (total: number, figures: NotifyBurstFigures) => (total / figures.events).toFixed(2);
  const table = markdownTable(
    ['instances', 'pace', 'took', 'Telegram 429s', 'backend retries on 429 / 503', 'POSTs', 'told exactly once', 'Upstash round trips / commands per event', 'token calls per event'],
    rows.map(({ instances, pace, figures }) => [
      String(instances),
      pace === 'shared' ? 'shared (25/s for the bot) + 25/s each' : '25/s each',
      `${figures.seconds.toFixed(1)} s`,
      String(figures.telegramRefused),
      `${figures.retries.rateLimited} / ${figures.retries.unavailable}`,
      String(figures.posts),
      figures.twice.length === 0 && figures.never.length === 0 && figures.unacknowledged === 0 ? `${figures.told} ✓` : `${figures.told} (twice ${figures.twice.length}, never ${figures.never.length}, unacknowledged ${figures.unacknowledged})`,
      `${per(figures.redisRoundTrips, figures)} / ${per(figures.redisCommands, figures)}`,
      per(figures.paceCalls, figures),
    ]),
  );
  return [
    `### Notification burst: ${options.events} events, ${BACKEND_WORKERS} backend workers, Telegram at ${TELEGRAM_MESSAGES_PER_SECOND} msg/s`,
    '',
    `Every ${LOSE_EVERY}th answer lost on the way back (the backend retries it); Bot API ${options.latencies.telegramMs} ms and Upstash bridge ${options.latencies.redisMs} ms per call. ` +
      'The instances run in the bench process on the real App and notify endpoint; "per-instance" is each instance pacing itself alone (the bot before the shared pace), ' +
      '"shared" adds the token bucket all instances share through Upstash (the default with Upstash). Round trips and commands per event count every POST\'s, retries included.',
    '',
    table,
  ].join('\n');
}
