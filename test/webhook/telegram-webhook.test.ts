import { createServer } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { loadConfig, type Config } from '../../lib/config.js';
import { createTelegramWebhook } from '../../lib/webhook/telegram-webhook.js';
import { trackedWaitUntil } from '../../tools/sandbox/wait-until.js';
import { startHarness, type BotInstance, type Harness } from '../support/bot-harness.js';
import { closeServer, listen } from '../support/http.js';
import { Person } from '../support/person.js';
import { callbackUpdate, textUpdate } from '../support/updates.js';

let harness: Harness;
let bot: BotInstance;

beforeAll(async () => {
  harness = await startHarness();
  bot = await harness.startInstance();
});
afterAll(() => harness.close());
beforeEach(() => harness.telegram.reset());

describe('webhook', () => {
  test('GET answers 405 with Allow: POST', async () => {
    const response = await fetch(bot.url);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });

  test('missing secret answers 401 and nothing is processed', async () => {
    const answer = await bot.send(textUpdate({ userId: 101, text: '/start' }), { secret: null });
    expect(answer.status).toBe(401);
    expect(harness.telegram.calls).toHaveLength(0);
  });

  test('wrong secret answers 401 and nothing is processed', async () => {
    const answer = await bot.send(textUpdate({ userId: 101, text: '/start' }), { secret: 'wrong-secret' });
    expect(answer.status).toBe(401);
    expect(harness.telegram.calls).toHaveLength(0);
  });

  test.each([
    ['invalid JSON', '{"update_id": 1,'],
    ['an array', '[1, 2]'],
    ['no update_id', '{"message": {}}'],
    ['a fractional update_id', '{"update_id": 1.5}'],
    ['a string update_id', '{"update_id": "1"}'],
    ['an empty body', ''],
  ])('%s answers 400', async (_name, rawBody) => {
    const answer = await bot.send(undefined, { rawBody });
    expect(answer.status).toBe(400);
    expect(harness.telegram.calls).toHaveLength(0);
  });

  test('a body over 1 MB answers 413', async () => {
    const rawBody = JSON.stringify({ update_id: 1, padding: 'x'.repeat(1024 * 1024) });
    const answer = await bot.send(undefined, { rawBody });
    expect(answer.status).toBe(413);
    expect(harness.telegram.calls).toHaveLength(0);
  });

  test('/start answers 200 and sends the welcome with the main menu', async () => {
    const answer = await bot.send(textUpdate({ userId: 102, text: '/start', firstName: 'Ada' }));
    expect(answer.status).toBe(200);
    const [welcome] = harness.telegram.callsOf('sendMessage');
    expect(welcome?.payload.chat_id).toBe(102);
    expect(welcome?.payload.text).toContain('Hello, Ada');
    expect(JSON.stringify(welcome?.payload.reply_markup)).toContain('New request');
  });

  test('an update the handler fails on still answers 200 and the person is told', async () => {
    harness.telegram.failNext('sendMessage', { status: 500, description: 'Internal Server Error' });
    const answer = await bot.send(textUpdate({ userId: 103, text: '/start' }));
    expect(answer.status).toBe(200);
    expect(harness.telegram.sentTexts(103).at(-1)).toContain('Something went wrong');
    expect(harness.logs.some((line) => line.msg === 'handler failed' && typeof line.update_id === 'number')).toBe(true);
  });
});

describe('without TELEGRAM_WEBHOOK_SECRET the webhook fails closed', () => {
  const servers: ReturnType<typeof createServer>[] = [];
  afterAll(() => Promise.all(servers.map(closeServer)));

  /** The real webhook over the harness's app, with the configuration a deployment would load from `env`. */
  async function webhookWith(env: Record<string, string | undefined>): Promise<string> {
    const base: Record<string, string | undefined> = {
      TELEGRAM_BOT_TOKEN: harness.config.telegram.token,
      TELEGRAM_API_ROOT: harness.config.telegram.apiRoot,
      BACKEND_URL: harness.config.backend.url,
      ...env,
    };
    const config: Config = loadConfig(base);
    const handler = createTelegramWebhook({ getConfig: () => config, getApp: async () => bot.app, getLogger: () => harness.logger, waitUntil: trackedWaitUntil().waitUntil });
    const server = createServer((req, res) => void handler(req, res));
    servers.push(server);
    return listen(server);
  }

  const post = (url: string, update: unknown) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(update) });

  test('503 for every update, nothing processed, and one error line per instance naming the variable', async () => {
    const url = await webhookWith({});
    const before = harness.logs.length;
    for (let i = 0; i < 3; i++) expect((await post(url, textUpdate({ userId: 104, text: '/start' }))).status).toBe(503);
    expect(harness.telegram.calls).toHaveLength(0);
    const errors = harness.logs.slice(before).filter((line) => line.level === 'error');
    expect(errors).toHaveLength(1);
    expect(String(errors[0]?.msg)).toContain('TELEGRAM_WEBHOOK_SECRET');
  });

  test('a local run may opt out with TELEGRAM_WEBHOOK_INSECURE_NO_SECRET=1, and is warned', async () => {
    const url = await webhookWith({ TELEGRAM_WEBHOOK_INSECURE_NO_SECRET: '1' });
    const before = harness.logs.length;
    expect((await post(url, textUpdate({ userId: 105, text: '/start' }))).status).toBe(200);
    expect((await post(url, textUpdate({ userId: 105, text: '/help' }))).status).toBe(200);
    expect(harness.telegram.sentTexts(105)[0]).toContain('Hello');
    const warnings = harness.logs.slice(before).filter((line) => line.level === 'warn' && String(line.msg).includes('TELEGRAM_WEBHOOK_INSECURE_NO_SECRET'));
    expect(warnings).toHaveLength(1);
  });
});

describe('a private chat is the sender’s own', () => {
  test('an update whose chat is not its sender is refused: no handler, 200, nothing sent or read, no names in the log', async () => {
    const victim = new Person(harness, bot, 106);
    await victim.say('/start');
    harness.telegram.reset();
    harness.backend.resetStats();
    harness.bridge?.resetStats();
    const before = harness.logs.length;
    const attacker = 107;
    const forged = [
      textUpdate({ userId: victim.userId, chatId: attacker, text: '/my', firstName: 'Victoria' }),
      callbackUpdate({ userId: victim.userId, chatId: attacker, data: 'r:en', messageId: 9, firstName: 'Victoria' }),
    ];
    for (const update of forged) expect((await bot.send(update)).status).toBe(200);
    expect(harness.telegram.calls.filter((call) => call.method !== 'answerCallbackQuery')).toEqual([]);
    expect(harness.backend.stats.requests).toBe(0);
    expect(harness.bridge?.stats.requests ?? 0).toBe(0);
    const lines = harness.logs.slice(before);
    expect(lines.filter((line) => line.msg === 'update').map((line) => line.handler)).toEqual(['refused', 'refused']);
    expect(JSON.stringify(lines)).not.toContain('Victoria');
  });
});
