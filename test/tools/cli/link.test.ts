import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startFakeTelegram, type FakeTelegram } from '../../support/fake-telegram.js';
import { decodeQrPng } from '../../support/qr.js';
import { TEST_BOT, TEST_BOT_TOKEN } from '../../support/updates.js';

let telegram: FakeTelegram;
let dir: string;
beforeAll(async () => {
  telegram = await startFakeTelegram({ token: TEST_BOT_TOKEN });
  dir = await mkdtemp(join(tmpdir(), 'link-cli-'));
});
afterAll(async () => {
  await telegram.close();
  await rm(dir, { recursive: true, force: true });
});

/** `npm run link -- …` in its own process, with no backend and only the variables given. */
function run(args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['--import', 'tsx', 'tools/cli/link.ts', ...args], { env: { PATH: process.env.PATH, ...env } }, (_error, stdout, stderr) =>
      resolve({ status: child.exitCode, out: stdout + stderr }),
    );
  });
}

const LINK = 'https://t.me/service_desk_test_bot?start=n1-10-100-QnVpbGRpbmcgMywgbGlmdCBC';

describe('npm run link', () => {
  test('offline with --bot: prints the link and writes a PNG that decodes to it', async () => {
    const out = join(dir, 'poster.png');
    const result = await run(['--bot', 'service_desk_test_bot', '--type', '1', '--side', '10', '--category', '100', '--location', 'Building 3, lift B', '--out', out]);
    expect(result.status).toBe(0);
    expect(result.out).toContain(`${LINK}\nQR code written to ${out}`);
    expect(decodeQrPng(await readFile(out))).toBe(LINK);
  });

  test('--app: the QR code opens the Mini App at that service, with the same payload', async () => {
    const out = join(dir, 'app-poster.png');
    const result = await run(['--bot', 'service_desk_test_bot', '--app', 'desk', '--type', '1', '--side', '10', '--category', '100', '--location', 'Building 3, lift B', '--out', out]);
    expect(result.status).toBe(0);
    const appLink = 'https://t.me/service_desk_test_bot/desk?startapp=n1-10-100-QnVpbGRpbmcgMywgbGlmdCBC';
    expect(result.out).toContain(`${appLink}\nin the chat: ${LINK}\nQR code written to ${out}`);
    expect(decodeQrPng(await readFile(out))).toBe(appLink);
  });

  test('the username from getMe with the token; without --out the QR code is drawn in the terminal', async () => {
    const result = await run(['--type', '2', '--side', '20', '--category', '120'], { TELEGRAM_BOT_TOKEN: TEST_BOT_TOKEN, TELEGRAM_API_ROOT: telegram.apiRoot });
    expect(result.status).toBe(0);
    expect(result.out).toContain(`https://t.me/${TEST_BOT.username}?start=n2-20-120\n`);
    expect(result.out).toMatch(/[█▀▄]{5}/);
    expect(telegram.callsOf('getMe')).toHaveLength(1);
    expect(result.out).not.toContain(TEST_BOT_TOKEN);
  });

  test('bad input fails clearly: missing ids, a location that cannot travel, no username and no token', async () => {
    const missing = await run(['--bot', 'service_desk_test_bot', '--type', '1', '--side', '10']);
    expect(missing).toMatchObject({ status: 1, out: expect.stringContaining('--category is required') });
    const long = await run(['--bot', 'service_desk_test_bot', '--type', '1', '--side', '10', '--category', '100', '--location', 'x'.repeat(33)]);
    expect(long).toMatchObject({ status: 1, out: expect.stringContaining('longer than 32 characters') });
    const script = await run(['--bot', 'service_desk_test_bot', '--type', '1', '--side', '10', '--category', '100', '--location', '東京']);
    expect(script).toMatchObject({ status: 1, out: expect.stringContaining('Latin and Cyrillic letters') });
    const noToken = await run(['--type', '1', '--side', '10', '--category', '100']);
    expect(noToken).toMatchObject({ status: 1, out: expect.stringContaining('TELEGRAM_BOT_TOKEN is required') });
    expect(noToken.out).not.toContain('BACKEND_URL');
  });
});

test('the poster in docs/ was made by npm run link and decodes to its link', async () => {
  expect(decodeQrPng(await readFile('docs/qr-poster-example.png'))).toBe(LINK);
});
