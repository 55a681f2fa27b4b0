import { execFile } from 'node:child_process';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startFakeTelegram, type FakeTelegram } from '../../support/fake-telegram.js';
import { TEST_BOT_TOKEN } from '../../support/updates.js';

let telegram: FakeTelegram;
beforeAll(async () => {
  telegram = await startFakeTelegram({ token: TEST_BOT_TOKEN });
});
afterAll(() => telegram.close());
beforeEach(() => telegram.reset());

/** Runs the script in its own process; async, because the fake Bot API answers from this one. */
function run(args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; out: string }> {
  const childEnv = {
    PATH: process.env.PATH,
    TELEGRAM_BOT_TOKEN: TEST_BOT_TOKEN,
    TELEGRAM_API_ROOT: telegram.apiRoot,
    TELEGRAM_WEBHOOK_SECRET: 'cli-secret_1',
    BACKEND_URL: 'https://backend.example.com',
    ...env,
  };
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['--import', 'tsx', 'tools/cli/webhook.ts', ...args], { env: childEnv }, (_error, stdout, stderr) =>
      resolve({ status: child.exitCode, out: stdout + stderr }),
    );
  });
}

describe('npm run webhook:*', () => {
  test('set registers the URL, the secret, the update kinds and the commands', async () => {
    const { status, out } = await run(['set', 'https://bot.example.vercel.app/']);
    expect(status).toBe(0);
    expect(out).toContain('webhook set to https://bot.example.vercel.app/api/telegram');
    const [setWebhook] = telegram.callsOf('setWebhook');
    expect(setWebhook?.payload).toMatchObject({
      url: 'https://bot.example.vercel.app/api/telegram',
      secret_token: 'cli-secret_1',
      allowed_updates: ['message', 'edited_message', 'callback_query'],
    });
    expect(telegram.callsOf('setMyCommands')).toHaveLength(1);
    expect(telegram.callsOf('setChatMenuButton').map((call) => call.payload)).toEqual([
      { menu_button: { type: 'web_app', text: 'Requests', web_app: { url: 'https://bot.example.vercel.app/app' } } },
    ]);
    expect(out).toContain('menu button opens the Mini App at https://bot.example.vercel.app/app');
    expect(out).not.toContain('cli-secret_1');
  });

  test('set points the menu button at MINI_APP_URL when it is set', async () => {
    const { status } = await run(['set', 'https://bot.example.vercel.app'], { MINI_APP_URL: 'https://desk.example.com/app' });
    expect(status).toBe(0);
    expect(telegram.callsOf('setChatMenuButton')[0]?.payload).toMatchObject({ menu_button: { web_app: { url: 'https://desk.example.com/app' } } });
  });

  test('set without an https URL fails clearly and calls nothing', async () => {
    const { status, out } = await run(['set', 'http://insecure.example']);
    expect(status).toBe(1);
    expect(out).toContain('needs the public https URL');
    expect(telegram.calls).toHaveLength(0);
  });

  test('info and delete', async () => {
    expect((await run(['info'])).out).toContain('"url"');
    expect((await run(['delete'])).status).toBe(0);
    expect(telegram.callsOf('deleteWebhook')).toHaveLength(1);
  });

  test('a bad configuration names the variable', async () => {
    const { status, out } = await run(['info'], { TELEGRAM_BOT_TOKEN: 'nonsense' });
    expect(status).toBe(1);
    expect(out).toContain('TELEGRAM_BOT_TOKEN');
    expect(telegram.calls).toHaveLength(0);
  });

  test('a Telegram error fails with its description', async () => {
    telegram.failNext('setWebhook', { status: 400, description: 'Bad Request: bad webhook: HTTPS url must be provided for webhook' });
    const { status, out } = await run(['set', 'https://bot.example.vercel.app']);
    expect(status).toBe(1);
    expect(out).toContain('bad webhook');
  });
});
