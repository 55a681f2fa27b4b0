// What ships is a bundle, not the sources the other tests run: the same person's conversation,
// once against the sources (the real webhook in this process) and once against the built
// `api/telegram.func` (started as Vercel's launcher starts it, in a child process), must give the
// same Bot API calls in the same order with the same texts and buttons.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotChild, type BotChild } from '../../../tools/bench/bot-children.js';
import { WEBHOOK_SECRET as BENCH_WEBHOOK_SECRET } from '../../../tools/bench/fakes.js';
import { buildOutput, FUNCTION_ENVIRONMENT, FUNCTIONS, type BuiltFunction } from '../../../tools/build/build-output.js';
import { ADMIN_ID, CRON_SECRET, NOTIFY_SECRET, startHarness, type BotInstance, type Harness } from '../../support/bot-harness.js';
import { Person } from '../../support/person.js';
import { TEST_BOT_TOKEN } from '../../support/updates.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const USER = 7_700_001;

let outDir: string;
let built: BuiltFunction[];
let sources: Harness;
let shipped: Harness;
let child: BotChild | undefined;

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'shipped-function-'));
  built = await buildOutput({ root, outDir: join(outDir, 'output') });
  [sources, shipped] = await Promise.all([startHarness(), startHarness()]);
  const c = shipped.config;
  child = await startBotChild({
    mode: 'optimized',
    // The bench's bot process serves the function directory and reports when each update's work is over.
    script: join(root, 'tools/bench/child/bot-process.ts'),
    nodeArgs: ['--import', 'tsx'],
    funcDir: join(outDir, 'output/functions/api/telegram.func'),
    // Started as Vercel starts it: with the function's environment (NODE_OPTIONS).
    funcEnv: { ...FUNCTION_ENVIRONMENT },
    env: {
      TELEGRAM_BOT_TOKEN: TEST_BOT_TOKEN,
      TELEGRAM_API_ROOT: c.telegram.apiRoot,
      // The bench's bot process is sent updates with the bench's secret.
      TELEGRAM_WEBHOOK_SECRET: BENCH_WEBHOOK_SECRET,
      BACKEND_URL: c.backend.url,
      ADMIN_USER_IDS: String(ADMIN_ID),
      NOTIFY_SECRET,
      CRON_SECRET,
      LOG_LEVEL: 'info',
      UPSTASH_REDIS_REST_URL: c.redis?.url ?? '',
      UPSTASH_REDIS_REST_TOKEN: c.redis?.token ?? '',
    },
  });
}, 60_000);

afterAll(async () => {
  await child?.stop();
  await Promise.allSettled([sources?.close(), shipped?.close()]);
  await rm(outDir, { recursive: true, force: true });
});

/** The shipped function in the child, as a person's instance: Telegram executes what rides in the answer. */
function childInstance(harness: Harness, bot: BotChild): Pick<BotInstance, 'send'> {
  return {
    async send(update) {
      const answer = await bot.send(update);
      if (answer.status === 200 && answer.body.trim().startsWith('{')) harness.telegram.applyWebhookReply(TEST_BOT_TOKEN, JSON.parse(answer.body));
      return { status: answer.status, body: answer.body };
    },
  };
}

/** One conversation: a request from /start to its number, then the other commands and a stray message. */
async function converse(p: Person): Promise<number[]> {
  const statuses: number[] = [];
  const step = async (answer: Promise<{ status: number }>) => statuses.push((await answer).status);
  await step(p.say('/start'));
  await step(p.tap('New request'));
  await step(p.tap('Repair'));
  await step(p.tap('Individual'));
  await step(p.tap('Plumbing'));
  await step(p.say('The kitchen tap drips all night long'));
  await step(p.tap('Skip'));
  await step(p.say('Skip ⏭'));
  await step(p.tap('Confirm'));
  await step(p.say('/my'));
  await step(p.say('/help'));
  await step(p.say('/new'));
  await step(p.say('/cancel'));
  await step(p.say('/language'));
  await step(p.say('hello there'));
  return statuses;
}

/**
 * What the person sees of each call: method, text and button labels. Calls that rode in a webhook
 * answer are listed apart, in their own order: the fake executes them when the test reads the
 * answer, which may come before or after the calls the rest of the handler made.
 */
function seen(harness: Harness, inAnswer: boolean): string[] {
  return harness.telegram.calls
    .filter((call) => call.method !== 'getMe' && Boolean(call.viaWebhook) === inAnswer)
    .map((call) => {
      const payload = call.payload as { text?: string; caption?: string; reply_markup?: { inline_keyboard?: { text: string }[][]; keyboard?: { text: string }[][] } };
      const keyboard = payload.reply_markup?.inline_keyboard ?? payload.reply_markup?.keyboard ?? [];
      const labels = keyboard.flat().map((b) => b.text);
      return `${call.method}: ${payload.text ?? payload.caption ?? ''} [${labels.join(' | ')}]`;
    });
}

describe('the shipped api/telegram.func', () => {
  it('is one bundle per function, lazily loaded parts in chunks, with the .vc-config.json Vercel reads', async () => {
    expect(built.map((fn) => fn.route)).toEqual(FUNCTIONS.map((fn) => fn.route));
    for (const fn of built) {
      const config = JSON.parse(await readFile(join(fn.dir, '.vc-config.json'), 'utf8')) as Record<string, unknown>;
      expect(config).toMatchObject({ handler: 'index.mjs', launcherType: 'Nodejs', runtime: 'nodejs24.x', shouldAddHelpers: true });
      expect(config.maxDuration).toBe(FUNCTIONS.find((spec) => spec.route === fn.route)?.maxDuration);
      expect(config).not.toHaveProperty('memory');
      expect(config.environment).toEqual(FUNCTION_ENVIRONMENT);
    }
    const telegram = built.find((fn) => fn.route === 'api/telegram');
    // The backend client (ky + undici) is read on first use, not on a cold start.
    const chunks = await readdir(join(telegram?.dir ?? '', 'chunks'));
    expect(chunks.some((file) => file.startsWith('backend-client-'))).toBe(true);
    expect(telegram?.packages).toEqual(expect.arrayContaining(['telegraf', '@upstash/redis', 'pino', 'valibot', 'ky', 'undici']));
    // Replaced by what they are used for (tools/build/shims): node-fetch's URL fallback, and
    // @vercel/functions' other helpers with the WebSocket client they load.
    for (const left of ['whatwg-url', 'tr46', 'ws']) expect(telegram?.packages).not.toContain(left);
  });

  it('answers the same updates the same way as the sources', async () => {
    const fromSources = await converse(new Person(sources, await sources.startInstance(), USER));
    const fromShipped = await converse(new Person(shipped, childInstance(shipped, child as BotChild), USER));
    expect(fromShipped).toEqual(fromSources);
    expect(fromSources.every((status) => status === 200)).toBe(true);
    const expected = seen(sources, false);
    expect(expected.length).toBeGreaterThan(12);
    expect(expected.some((line) => /SR-\d+/.test(line))).toBe(true);
    expect(seen(shipped, false)).toEqual(expected);
    // Six taps; five answers ride in the webhook reply, Confirm shows its progress toast as a call of its own.
    expect(seen(sources, true)).toHaveLength(5);
    expect(seen(shipped, true)).toEqual(seen(sources, true));
    expect(child?.errorLogs().count).toBe(0);
  });
});
