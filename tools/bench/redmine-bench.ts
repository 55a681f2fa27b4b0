// `npm run bench -- --backend redmine`: the browse and submit journeys against the local Redmine
// (tools/redmine/setup.sh) beside the demo backend, in one run and one process: the same bot, the
// same fake Bot API (no latency), the same in-memory store (round trips counted as Upstash's would be);
// only the backend differs. Rows: answer p50, backend calls and store round trips per update; and how
// many Redmine calls warm catalogue browsing makes (none: the two-tier cache answers).
import { Writable } from 'node:stream';
import type { Update } from 'telegraf/types';
import { createApp, type App } from '../../lib/app.js';
import { loadConfig } from '../../lib/config.js';
import { createLogger } from '../../lib/logger.js';
import { createMemoryKvStore } from '../../lib/store/memory-kv-store.js';
import { startDemoBackend } from '../demo-backend/server.js';
import { localRedmine, redmineEnv, redmineStatePath } from '../redmine/local-redmine.js';
import { startBotApiServer, type BotApiServer } from '../sandbox/bot-api-server.js';
import { callbackUpdate, contactUpdate, SANDBOX_BOT_TOKEN, textUpdate } from '../sandbox/updates.js';
import { median } from './stats.js';

interface UpdateLine {
  readonly ms: number;
  readonly backend_calls: number;
  readonly redis_round_trips: number;
}

export interface RedmineBenchRow {
  readonly backend: 'demo' | 'redmine';
  readonly journey: 'browse (cold catalogue)' | 'browse (warm)' | 'submit' | 'submit: Confirm alone';
  readonly updates: number;
  readonly p50Ms: number;
  readonly backendCallsPerUpdate: number;
  readonly roundTripsPerUpdate: number;
}

const LABELS = { demo: ['Repair', 'Individual', 'Plumbing'], redmine: ['Support', 'North building', 'Plumbing'] } as const;

export async function runRedmineBench(options: { people: number; progress: (line: string) => void }): Promise<{ rows: RedmineBenchRow[]; markdown: string }> {
  const redmine = await localRedmine();
  if (redmine === undefined) throw new Error(`no local Redmine answers (state file ${redmineStatePath()}): run npm run redmine:setup first`);
  const telegram = await startBotApiServer({ token: SANDBOX_BOT_TOKEN });
  const demo = await startDemoBackend();
  const rows: RedmineBenchRow[] = [];
  // Telegram ids of this run only (the Redmine keeps earlier runs' issues; 5 submissions an hour per person).
  let nextUser = 1_700_000_000 + (Date.now() % 100_000_000);
  try {
    for (const backend of ['demo', 'redmine'] as const) {
      const lines: UpdateLine[] = [];
      const destination = new Writable({
        write(chunk: Buffer, _encoding, done) {
          for (const text of chunk.toString('utf8').split('\n')) {
            if (text.includes('"msg":"update"')) lines.push(JSON.parse(text) as UpdateLine);
          }
          done();
        },
      });
      const config = loadConfig({
        TELEGRAM_BOT_TOKEN: SANDBOX_BOT_TOKEN,
        TELEGRAM_API_ROOT: telegram.apiRoot,
        TELEGRAM_WEBHOOK_SECRET: 'bench-secret',
        BACKEND_URL: demo.url,
        LOG_LEVEL: 'info',
        ...(backend === 'redmine' && redmineEnv(redmine)),
      });
      const app = await createApp({ config, logger: createLogger({ level: 'info', destination }), store: createMemoryKvStore(), floodLimit: { limit: 100_000 } });
      await app.identityResolved();
      const row = (journey: RedmineBenchRow['journey'], taken: readonly UpdateLine[]) =>
        rows.push({
          backend,
          journey,
          updates: taken.length,
          p50Ms: median(taken.map((line) => line.ms)),
          backendCallsPerUpdate: taken.reduce((sum, line) => sum + line.backend_calls, 0) / Math.max(1, taken.length),
          roundTripsPerUpdate: taken.reduce((sum, line) => sum + line.redis_round_trips, 0) / Math.max(1, taken.length),
        });
      const measure = async (journey: RedmineBenchRow['journey'], run: () => Promise<void>) => {
        const from = lines.length;
        await run();
        row(journey, lines.slice(from));
      };
      const confirms: UpdateLine[] = [];
      const labels = LABELS[backend];
      await measure('browse (cold catalogue)', () => browse(app, telegram, ++nextUser, labels));
      await measure('browse (warm)', async () => {
        for (let i = 0; i < options.people; i++) await browse(app, telegram, ++nextUser, labels);
      });
      await measure('submit', async () => {
        for (let i = 0; i < options.people; i++) {
          await submit(app, telegram, ++nextUser, labels);
          confirms.push(lines.at(-1) as UpdateLine);
        }
      });
      row('submit: Confirm alone', confirms);
      options.progress(`${backend} done`);
      await app.close();
    }
  } finally {
    await Promise.allSettled([telegram.close(), demo.close()]);
  }
  const fixed = (n: number, digits = 1) => n.toFixed(digits);
  const markdown = [
    '| backend | journey | updates | p50 ms | backend calls / update | store round trips / update |',
    '|---|---|---:|---:|---:|---:|',
    ...rows.map((row) => `| ${row.backend} | ${row.journey} | ${row.updates} | ${fixed(row.p50Ms, 0)} | ${fixed(row.backendCallsPerUpdate, 2)} | ${fixed(row.roundTripsPerUpdate, 2)} |`),
  ].join('\n');
  return { rows, markdown };
}

/** The catalogue and back: /start, New request, a type, a side, a service's list, Back twice. */
async function browse(app: App, telegram: BotApiServer, userId: number, labels: readonly string[]): Promise<void> {
  await send(app, textUpdate({ userId, text: '/start' }));
  for (const label of ['New request', labels[0], labels[1], 'Back', 'Back']) await tap(app, telegram, userId, label as string);
}

/** A whole request: the catalogue, a description, no photo, the phone, Confirm. */
async function submit(app: App, telegram: BotApiServer, userId: number, labels: readonly string[]): Promise<void> {
  await send(app, textUpdate({ userId, text: '/new' }));
  for (const label of labels) await tap(app, telegram, userId, label);
  await send(app, textUpdate({ userId, text: 'The kitchen tap drips all night long' }));
  await tap(app, telegram, userId, 'Skip');
  await send(app, contactUpdate({ userId }));
  await tap(app, telegram, userId, 'Confirm');
  const last = telegram.messagesOf(userId).at(-1);
  if (!String(last?.text ?? '').includes('has been created')) throw new Error(`submit failed: ${String(last?.text ?? '')}`);
}

async function send(app: App, update: Update): Promise<void> {
  await app.handleUpdate(update);
  await app.afterResponse();
}

async function tap(app: App, telegram: BotApiServer, userId: number, label: string): Promise<void> {
  const messages = telegram.messagesOf(userId);
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i] as { message_id: number; text?: string; reply_markup?: { inline_keyboard?: { text: string; callback_data?: string }[][] } };
    const button = message.reply_markup?.inline_keyboard?.flat().find((b) => b.text.includes(label));
    if (message.reply_markup?.inline_keyboard === undefined) continue;
    if (button?.callback_data === undefined) throw new Error(`no button "${label}" on the screen of ${userId}`);
    await send(app, callbackUpdate({ userId, data: button.callback_data, messageId: message.message_id, messageText: message.text ?? '' }));
    return;
  }
  throw new Error(`no screen with buttons for ${userId}`);
}
