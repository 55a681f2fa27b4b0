import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startHarness, type BotInstance, type Harness } from '../support/bot-harness.js';
import { textUpdate } from '../support/updates.js';

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
