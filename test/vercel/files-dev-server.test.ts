// api/files/[id].ts under the real Vercel Node runtime, offline: @vercel/node's startDevServer
// compiles the dynamic-segment file as a deployment would and serves it with Vercel's helpers, and
// the answer streams: the first bytes reach the caller while Telegram holds back the rest. (The dev
// server streams every function with a default export; a deployment streams this one because of its
// `supportsResponseStreaming` config, which `vercel build` writes into the function's .vc-config.json
// and .ci/run checks. Buffered, Vercel would refuse any answer over 4.5 MB.)
import { createServer, type ServerResponse } from 'node:http';
import * as vercelNode from '@vercel/node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { closeServer, listen } from '../support/http.js';
import { TEST_BOT_TOKEN } from '../support/updates.js';

const SECRET = 'dev-server-files-secret_0123456789';
const FILE_BYTES = 6 * 1024 * 1024;
const FIRST_CHUNK = 64 * 1024;

type StartDevServer = (options: Record<string, unknown>) => Promise<{ port: number; shutdown?: () => Promise<void> } | null>;
const startDevServer = (vercelNode as unknown as { startDevServer: StartDevServer }).startDevServer;

// A Bot API whose file server sends the first 64 KB of a 6 MB file, then waits for `release()`.
let telegram: ReturnType<typeof createServer>;
let held: ServerResponse[] = [];
const getFileCalls: unknown[] = [];
function release(): void {
  for (const res of held) res.end(Buffer.alloc(FILE_BYTES - FIRST_CHUNK, 0x62));
  held = [];
}

let base: string;
let shutdown: (() => Promise<void>) | undefined;

beforeAll(async () => {
  telegram = createServer((req, res) => {
    if (req.url === `/bot${TEST_BOT_TOKEN}/getFile`) {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        const { file_id } = JSON.parse(body) as { file_id: string };
        getFileCalls.push(file_id);
        res.setHeader('content-type', 'application/json');
        if (file_id !== 'BQACAgIAAxkBAAIBfile') {
          res.statusCode = 400;
          res.end(JSON.stringify({ ok: false, error_code: 400, description: 'Bad Request: invalid file_id' }));
          return;
        }
        res.end(JSON.stringify({ ok: true, result: { file_id, file_unique_id: 'u1', file_size: FILE_BYTES, file_path: 'documents/file_7.pdf' } }));
      });
      return;
    }
    if (req.url === `/file/bot${TEST_BOT_TOKEN}/documents/file_7.pdf`) {
      res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': FILE_BYTES });
      res.write(Buffer.alloc(FIRST_CHUNK, 0x61));
      held.push(res);
      return;
    }
    res.statusCode = 404;
    res.end();
  });
  const apiRoot = await listen(telegram);
  const server = await startDevServer({
    entrypoint: 'api/files/[id].ts',
    workPath: process.cwd(),
    config: {},
    meta: {
      isDev: true,
      env: { TELEGRAM_BOT_TOKEN: TEST_BOT_TOKEN, TELEGRAM_API_ROOT: apiRoot, BACKEND_URL: 'http://127.0.0.1:9', FILES_SECRET: SECRET, LOG_LEVEL: 'silent' },
    },
    files: {},
    repoRootPath: process.cwd(),
  });
  if (!server) throw new Error('startDevServer returned nothing');
  base = `http://127.0.0.1:${server.port}`;
  shutdown = server.shutdown;
}, 60_000);

afterAll(async () => {
  release();
  await shutdown?.();
  await closeServer(telegram);
});

const auth = { authorization: `Bearer ${SECRET}` };

describe('api/files/[id].ts under the Vercel Node runtime', () => {
  test('streams: the first bytes arrive while Telegram still holds the rest, then all 6 MB with the headers', async () => {
    // The path Vercel's router hands a dynamic segment to: the original path plus ?id=.
    const response = await fetch(`${base}/api/files/BQACAgIAAxkBAAIBfile?id=BQACAgIAAxkBAAIBfile`, { headers: auth });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-length')).toBe(String(FILE_BYTES));
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="file_7.pdf"');
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let received = 0;
    while (received < FIRST_CHUNK) {
      const { value, done } = await reader.read();
      if (done) throw new Error('ended early');
      received += value.length;
    }
    expect(held).toHaveLength(1); // Telegram has sent 64 KB and no more, yet the caller has them
    release();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      received += value.length;
    }
    expect(received).toBe(FILE_BYTES);
  });

  test('401 without the secret, 400 for a bad id, 404 for an unknown one, 405 for POST', async () => {
    const calls = getFileCalls.length;
    expect((await fetch(`${base}/api/files/BQACAgIAAxkBAAIBfile`)).status).toBe(401);
    expect((await fetch(`${base}/api/files/not.an.id`, { headers: auth })).status).toBe(400);
    expect((await fetch(`${base}/api/files/BQACAgIAAxkBAAIBfile`, { method: 'POST', headers: auth })).status).toBe(405);
    expect(getFileCalls.length).toBe(calls);
    expect((await fetch(`${base}/api/files/BQACunknown`, { headers: auth })).status).toBe(404);
    expect(getFileCalls.slice(calls)).toEqual(['BQACunknown']);
  });
});
