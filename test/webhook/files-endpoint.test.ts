// GET /api/files/{telegram_file_id} over plain HTTP, against the local Bot API (getFile and its
// file downloads). The logger here scrubs nothing, so a token that reached a line would show.
import { createHash } from 'node:crypto';
import { createServer, request, type Server } from 'node:http';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { loadConfig, type Config, type Env } from '../../lib/config.js';
import { createFilesEndpoint } from '../../lib/webhook/files-endpoint.js';
import { startFakeTelegram, type FakeTelegram } from '../support/fake-telegram.js';
import { closeServer, listen } from '../support/http.js';
import { capturingLogger, type CapturedLogs } from '../support/logs.js';
import { documentUpdate, photoUpdate, TEST_BOT_TOKEN } from '../support/updates.js';

const FILES_SECRET = 'files-secret_0123456789abcdefghijkl';
const NOTIFY_SECRET = 'notify-secret_0123456789abcdefghijk';
const TIMEOUT_MS = 300;

let telegram: FakeTelegram;
let logs: CapturedLogs;
const servers: Server[] = [];
let url: string;

function configFor(env: Env = {}): Config {
  return loadConfig({
    TELEGRAM_BOT_TOKEN: TEST_BOT_TOKEN,
    TELEGRAM_API_ROOT: telegram.apiRoot,
    BACKEND_URL: 'http://127.0.0.1:9',
    FILES_SECRET,
    NOTIFY_SECRET,
    ...env,
  });
}

async function serve(config: () => Config): Promise<string> {
  const server = createServer(createFilesEndpoint({ getConfig: config, getLogger: () => logs.logger, timeoutMs: TIMEOUT_MS }));
  servers.push(server);
  return `${await listen(server)}/api/files`;
}

const auth = (secret = FILES_SECRET) => ({ authorization: `Bearer ${secret}` });
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

beforeAll(async () => {
  telegram = await startFakeTelegram({ token: TEST_BOT_TOKEN });
  logs = capturingLogger();
  const config = configFor();
  url = await serve(() => config);
});

afterAll(async () => {
  await Promise.all(servers.map(closeServer));
  await telegram.close();
});

beforeEach(() => {
  telegram.reset();
  telegram.setLatency(0);
});

afterEach(() => {
  // Whatever happened in the test, the token reached no log line (nothing scrubs it here).
  expect(logs.raw.join('\n')).not.toContain(TEST_BOT_TOKEN.split(':')[1]);
});

describe('who may download', () => {
  test('401 without a bearer secret or with a wrong one, and Telegram is not asked', async () => {
    const file = telegram.registerFile({ bytes: 'x' });
    for (const headers of [{}, auth('wrong'), auth(NOTIFY_SECRET), { authorization: FILES_SECRET }, auth(`${FILES_SECRET}x`)]) {
      const response = await fetch(`${url}/${file.file_id}`, { headers });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: 'unauthorized' });
    }
    expect(telegram.calls).toHaveLength(0);
  });

  test('NOTIFY_SECRET opens it while FILES_SECRET is unset', async () => {
    const config = configFor({ FILES_SECRET: '' });
    const sharedUrl = await serve(() => config);
    const file = telegram.registerFile({ bytes: 'shared' });
    expect(await (await fetch(`${sharedUrl}/${file.file_id}`, { headers: auth(NOTIFY_SECRET) })).text()).toBe('shared');
    expect((await fetch(`${sharedUrl}/${file.file_id}`, { headers: auth(FILES_SECRET) })).status).toBe(401);
  });

  test('503 and a log line naming the variables while neither secret is set', async () => {
    const config = configFor({ FILES_SECRET: '', NOTIFY_SECRET: '' });
    const closedUrl = await serve(() => config);
    const from = logs.lines.length;
    const response = await fetch(`${closedUrl}/AgACAgIAAx`, { headers: auth() });
    expect(response.status).toBe(503);
    expect(logs.lines.slice(from)).toEqual([expect.objectContaining({ level: 'error', msg: expect.stringContaining('FILES_SECRET (or NOTIFY_SECRET) is not set') })]);
    expect(telegram.calls).toHaveLength(0);
  });

  test('503 when the configuration is invalid', async () => {
    const brokenUrl = await serve(() => loadConfig({}));
    const from = logs.lines.length;
    expect((await fetch(`${brokenUrl}/AgACAgIAAx`, { headers: auth() })).status).toBe(503);
    expect(logs.lines.slice(from).map((line) => line.msg)).toEqual(['the files endpoint could not start; answered 503']);
  });
});

describe('requests it refuses', () => {
  test('405 for anything but GET and HEAD', async () => {
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const response = await fetch(`${url}/AgACAgIAAx`, { method, headers: auth() });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('GET, HEAD');
    }
    expect(telegram.calls).toHaveLength(0);
  });

  test('400 for what cannot be a file_id, before asking Telegram', async () => {
    for (const id of ['bad.id', 'has%20space', 'x'.repeat(256), '', '..%2F..%2Fetc', '%E0%A4%A']) {
      const response = await fetch(`${url}/${id}`, { headers: auth() });
      expect(response.status, id).toBe(400);
    }
    expect(telegram.calls).toHaveLength(0);
  });

  test('404 for an id Telegram does not know', async () => {
    const response = await fetch(`${url}/AgACAgIAAxkBAAIBunknown`, { headers: auth() });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: 'no such file for this bot' });
    expect(telegram.callsOf('getFile').map((call) => [call.payload.file_id, call.description])).toEqual([['AgACAgIAAxkBAAIBunknown', 'Bad Request: invalid file_id']]);
  });

  test('413 with a clear message for a file over the 20 MB bots may download', async () => {
    const big = documentUpdate({ userId: 5, fileName: 'scan.pdf', size: 25 * 1024 * 1024 });
    const response = await fetch(`${url}/${big.message.document.file_id}`, { headers: auth() });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: string }).error).toMatch(/larger than the 20 MB Telegram lets bots download/);
    expect(telegram.downloads).toHaveLength(0);
  });

  test('Telegram failing: 502, 503 with Retry-After when rate limited, 504 when slow', async () => {
    const file = telegram.registerFile({ bytes: 'x' });
    const get = () => fetch(`${url}/${file.file_id}`, { headers: auth() });
    telegram.failNext('getFile', { status: 500, description: 'Internal Server Error' });
    expect((await get()).status).toBe(502);
    telegram.failNext('getFile', { status: 429, description: 'Too Many Requests: retry after 7', retry_after: 7 });
    const limited = await get();
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([503, '7']);
    telegram.failNext('download', { status: 502, description: 'Bad Gateway' });
    expect((await get()).status).toBe(502);
    telegram.setLatency(TIMEOUT_MS * 3);
    expect((await get()).status).toBe(504);
    telegram.setLatency(0);
    expect(await (await get()).text()).toBe('x');
  });

  test('502 and an error line when Telegram refuses the token', async () => {
    const config = configFor({ TELEGRAM_BOT_TOKEN: '7000000001:AAwrong-token-for-the-fake_0123456789' });
    const wrongUrl = await serve(() => config);
    const from = logs.lines.length;
    expect((await fetch(`${wrongUrl}/AgACAgIAAx`, { headers: auth() })).status).toBe(502);
    expect(logs.lines.slice(from)).toEqual([expect.objectContaining({ level: 'error', status: 401, msg: expect.stringContaining('refused the bot token') })]);
    expect(logs.raw.join('\n')).not.toContain('AAwrong-token');
  });

  test('502 when the Bot API cannot be reached at all', async () => {
    const gone = createServer();
    const goneRoot = await listen(gone);
    await closeServer(gone);
    const config = configFor({ TELEGRAM_API_ROOT: goneRoot });
    const unreachableUrl = await serve(() => config);
    const response = await fetch(`${unreachableUrl}/AgACAgIAAx`, { headers: auth() });
    expect(response.status).toBe(502);
    expect(await response.text()).not.toContain(TEST_BOT_TOKEN);
  });
});

describe('the download', () => {
  test('streams the exact bytes with type, length, disposition and caching headers', async () => {
    const bytes = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(200_000, 0x41)]);
    const file = telegram.registerFile({ bytes, fileName: 'invoice.pdf' });
    const response = await fetch(`${url}/${file.file_id}`, { headers: auth() });
    expect(response.status).toBe(200);
    expect(Object.fromEntries(['content-type', 'content-length', 'content-disposition', 'cache-control', 'x-content-type-options'].map((h) => [h, response.headers.get(h)]))).toEqual({
      'content-type': 'application/pdf',
      'content-length': String(bytes.length),
      'content-disposition': `attachment; filename="${file.file_path.split('/').pop()}"`,
      'cache-control': 'private, max-age=86400, immutable',
      'x-content-type-options': 'nosniff',
    });
    expect(sha256(Buffer.from(await response.arrayBuffer()))).toBe(sha256(bytes));
    expect(telegram.callsOf('getFile')).toHaveLength(1);
    expect(telegram.downloads).toEqual([expect.objectContaining({ file_id: file.file_id, completed: true })]);
    expect(logs.lines.at(-1)).toMatchObject({ level: 'info', msg: 'file streamed', bytes: bytes.length });
  });

  test("a person's photo from an update, with Telegram's content type", async () => {
    const update = photoUpdate({ userId: 77 });
    const largest = update.message.photo.at(-1)!;
    const response = await fetch(`${url}/${largest.file_id}`, { headers: auth() });
    const body = Buffer.from(await response.arrayBuffer());
    expect([response.status, response.headers.get('content-type'), body.length]).toEqual([200, 'image/jpeg', largest.file_size]);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="file_\d+\.jpg"$/);
  });

  test('the type falls back to the extension, then to octet-stream; the length to getFile\'s file_size', async () => {
    const cases = [
      { options: { bytes: 'a', fileName: 'plan.xlsx', downloadContentType: null }, type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
      { options: { bytes: 'b', fileName: 'scan.pdf', downloadContentType: 'application/octet-stream' }, type: 'application/pdf' },
      { options: { bytes: 'c', fileName: 'notes.weird', downloadContentType: null }, type: 'application/octet-stream' },
      { options: { bytes: 'd', fileName: 'v.mp4', downloadContentType: 'video/mp4; codecs="avc1"' }, type: 'video/mp4' },
    ];
    for (const { options, type } of cases) {
      const file = telegram.registerFile(options);
      const response = await fetch(`${url}/${file.file_id}`, { headers: auth() });
      expect(response.headers.get('content-type'), options.fileName).toBe(type);
      await response.arrayBuffer();
    }
    const chunked = telegram.registerFile({ size: 100_000, chunked: true });
    const response = await fetch(`${url}/${chunked.file_id}`, { headers: auth() });
    expect(response.headers.get('content-length')).toBe('100000');
    expect(sha256(Buffer.from(await response.arrayBuffer()))).toBe(chunked.sha256);
  });

  test('HEAD answers the headers from getFile alone', async () => {
    const file = telegram.registerFile({ size: 5000, fileName: 'photo.png', kind: 'photo' });
    const response = await fetch(`${url}/${file.file_id}`, { method: 'HEAD', headers: auth() });
    expect([response.status, response.headers.get('content-type'), response.headers.get('content-length')]).toEqual([200, 'image/png', '5000']);
    expect(await response.text()).toBe('');
    expect([telegram.callsOf('getFile').length, telegram.downloads.length]).toEqual([1, 0]);
  });

  test('takes the id from ?id= too, as Vercel passes a dynamic segment', async () => {
    const file = telegram.registerFile({ bytes: 'via query' });
    const base = url.replace(/\/api\/files$/, '');
    expect(await (await fetch(`${base}/api/files/[id]?id=${file.file_id}`, { headers: auth() })).text()).toBe('via query');
    expect(await (await fetch(`${base}/api/files?id=${file.file_id}`, { headers: auth() })).text()).toBe('via query');
    expect(await (await fetch(`${base}/api/files/${file.file_id}?id=${file.file_id}`, { headers: auth() })).text()).toBe('via query');
  });

  test('a caller that goes away stops the download from Telegram', async () => {
    const file = telegram.registerFile({ size: 15 * 1024 * 1024 });
    const from = logs.lines.length;
    await new Promise<void>((resolve, reject) => {
      const req = request(`${url}/${file.file_id}`, { headers: auth() }, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
      req.end();
    });
    const until = Date.now() + 5000;
    while (!telegram.downloads[0]?.aborted && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(telegram.downloads).toEqual([expect.objectContaining({ completed: false, aborted: true })]);
    expect(telegram.downloads[0]!.bytesSent).toBeLessThan(file.file_size);
    await expect.poll(() => logs.lines.slice(from).map((line) => line.msg)).toContain('file download stopped: the caller went away');
  });

  test('a download that stalls is cut after the timeout, and the caller sees it short', async () => {
    // A Bot API whose file server sends the headers and a first chunk, then nothing.
    const stalling = createServer((req, res) => {
      if (req.url?.includes('/getFile')) {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ ok: true, result: { file_id: 'AgACstall', file_unique_id: 'u', file_size: 1000, file_path: 'documents/file_1.pdf' } }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': '1000' });
      res.write(Buffer.alloc(100));
    });
    const stallingRoot = await listen(stalling);
    servers.push(stalling);
    const config = configFor({ TELEGRAM_API_ROOT: stallingRoot });
    const stallingUrl = await serve(() => config);
    const from = logs.lines.length;
    const response = await fetch(`${stallingUrl}/AgACstall`, { headers: auth() });
    expect(response.status).toBe(200);
    await expect(response.arrayBuffer()).rejects.toThrow();
    // The connection may be cut (by the pipeline) a moment before the endpoint writes its line.
    await expect
      .poll(() => logs.lines.slice(from))
      .toContainEqual(expect.objectContaining({ level: 'warn', msg: 'file download from Telegram broke off', problem: 'timeout', bytes: 100 }));
  });
});
