// sendAttachment against real loopback file servers (the backend's origin and another one) and the
// local Bot API, which records what was uploaded down to the sha256 of its bytes.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Telegram, TelegramError } from 'telegraf';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createAttachmentFetcher } from '../../lib/files/attachment-fetcher.js';
import { safeFileName, sendAttachment, type SendAttachmentDeps } from '../../lib/files/send-attachment.js';
import { generatedContent } from '../../tools/sandbox/bot-api-files.js';
import { startFakeTelegram, type FakeTelegram } from '../support/fake-telegram.js';
import { closeServer, listen } from '../support/http.js';
import { capturingLogger, type CapturedLogs } from '../support/logs.js';
import { TEST_BOT_TOKEN } from '../support/updates.js';

const API_KEY = 'backend-api-key_0123456789';
const MB = 1024 * 1024;
const TIMEOUT_MS = 300;
const CHAT = 4242;

interface FileRoute {
  readonly size: number;
  readonly type: string;
  /** Leave Content-Length out (chunked). */
  readonly chunked?: boolean;
  /** Declare this length but send the bytes only as the client reads them. */
  readonly declared?: number;
  /** Send this many bytes, then nothing more. */
  readonly stallAfter?: number;
}

/** What one file server saw: each request's path and Authorization header, and how each answer ended. */
interface Seen {
  path: string;
  authorization: string | undefined;
  bytesSent: number;
  completed: boolean;
}

interface FileServer {
  readonly url: string;
  readonly seen: Seen[];
  readonly held: ServerResponse[];
  close(): Promise<void>;
}

const ROUTES: Readonly<Record<string, FileRoute>> = {
  '/files/leak.jpg': { size: 300_000, type: 'image/jpeg' },
  '/files/report.pdf': { size: 2 * MB, type: 'application/pdf' },
  '/files/big-photo.jpg': { size: 12 * MB, type: 'image/jpeg' },
  '/files/big-chunked.jpg': { size: 11 * MB, type: 'image/jpeg', chunked: true },
  '/files/huge.pdf': { size: 60 * MB, type: 'application/pdf' },
  '/files/stall.pdf': { size: 1 * MB, type: 'application/pdf', stallAfter: 64 * 1024 },
};

const sha256Of = (path: string): string => {
  const route = ROUTES[path]!;
  const hash = createHash('sha256');
  for (const chunk of generatedContent(path, route.size, route.type)) hash.update(chunk);
  return hash.digest('hex');
};

async function startFileServer(redirects: Record<string, () => string> = {}): Promise<FileServer> {
  const seen: Seen[] = [];
  const held: ServerResponse[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://files.invalid').pathname;
    const record: Seen = { path, authorization: req.headers.authorization, bytesSent: 0, completed: false };
    seen.push(record);
    const redirect = redirects[path];
    if (redirect) {
      res.writeHead(302, { location: redirect() });
      res.end();
      return;
    }
    if (path === '/silent') {
      held.push(res); // never answered
      return;
    }
    const route = ROUTES[path];
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': route.type, ...(!route.chunked && { 'content-length': String(route.size) }) });
    // Stepped by hand: leaving a for-of loop to wait for 'drain' would close the generator.
    const chunks = generatedContent(path, route.size, route.type);
    const pump = () => {
      for (let next = chunks.next(); !next.done; next = chunks.next()) {
        if (res.destroyed) return;
        if (route.stallAfter !== undefined && record.bytesSent >= route.stallAfter) {
          held.push(res);
          return;
        }
        record.bytesSent += next.value.length;
        if (!res.write(next.value)) {
          res.once('drain', pump);
          return;
        }
      }
      res.end(() => (record.completed = true));
    };
    pump();
  });
  const url = await listen(server);
  return { url, seen, held, close: () => closeServer(server) };
}

let telegram: FakeTelegram;
let backend: FileServer;
let elsewhere: FileServer;
let logs: CapturedLogs;
let deps: SendAttachmentDeps;

beforeAll(async () => {
  telegram = await startFakeTelegram({ token: TEST_BOT_TOKEN });
  elsewhere = await startFileServer({ '/bounce-home': () => `${backend.url}/files/leak.jpg`, '/back-home': () => `${backend.url}/files/leak.jpg` });
  backend = await startFileServer({
    '/to-cdn': () => `${elsewhere.url}/files/report.pdf`,
    '/out-and-back': () => `${elsewhere.url}/back-home`,
    '/loop': () => '/loop',
    '/to-ftp': () => 'ftp://files.example.test/a.pdf',
  });
  logs = capturingLogger();
  deps = {
    telegram: new Telegram(TEST_BOT_TOKEN, { apiRoot: telegram.apiRoot }),
    files: createAttachmentFetcher({ backendUrl: `${backend.url}/v1`, backendApiKey: API_KEY, fileOrigins: [elsewhere.url], anyPublicOrigin: false }),
    timeoutMs: TIMEOUT_MS,
    logger: logs.logger,
  };
});

afterAll(async () => {
  await Promise.all([telegram.close(), backend.close(), elsewhere.close()]);
});

beforeEach(() => {
  telegram.reset();
  backend.seen.length = 0;
  elsewhere.seen.length = 0;
});

const sendCalls = () => telegram.calls.filter((call) => /^send(Photo|Document)$/.test(call.method));

describe('an agent file by URL', () => {
  test('a photo on the backend origin: fetched with the API key, uploaded as a photo, with caption and buttons', async () => {
    const markup = { inline_keyboard: [[{ text: 'Reply', callback_data: 'r:1' }]] };
    const result = await sendAttachment(deps, CHAT, { url: `${backend.url}/files/leak.jpg`, file_name: 'leak.jpg', mime_type: 'image/jpeg' }, { caption: 'SR-7', reply_markup: markup });
    expect(result).toEqual({ delivered: true, messageId: 1, as: 'photo' });
    expect(backend.seen).toEqual([expect.objectContaining({ path: '/files/leak.jpg', authorization: `Bearer ${API_KEY}`, completed: true })]);
    expect(telegram.sentFiles).toEqual([
      expect.objectContaining({ method: 'sendPhoto', chatId: CHAT, kind: 'photo', via: 'upload', size: 300_000, sha256: sha256Of('/files/leak.jpg'), caption: 'SR-7' }),
    ]);
    expect(telegram.callsOf('sendPhoto')[0]?.payload.reply_markup).toEqual(markup);
  });

  test('a PDF on another origin: no API key, uploaded as a document under its name', async () => {
    const result = await sendAttachment(deps, CHAT, { url: `${elsewhere.url}/files/report.pdf?sig=abc`, file_name: 'Отчёт "май".pdf', mime_type: 'application/pdf' });
    expect(result).toEqual({ delivered: true, messageId: 1, as: 'document' });
    expect(elsewhere.seen).toEqual([expect.objectContaining({ path: '/files/report.pdf', authorization: undefined })]);
    expect(telegram.sentFiles).toEqual([
      expect.objectContaining({ method: 'sendDocument', kind: 'document', via: 'upload', fileName: 'Отчёт _май_.pdf', mimeType: 'application/pdf', size: 2 * MB, sha256: sha256Of('/files/report.pdf') }),
    ]);
  });

  test('a redirect off the backend origin loses the API key on the way', async () => {
    const result = await sendAttachment(deps, CHAT, { url: `${backend.url}/to-cdn`, file_name: 'report.pdf', mime_type: 'application/pdf' });
    expect(result).toMatchObject({ delivered: true, as: 'document' });
    expect(backend.seen.map((s) => [s.path, s.authorization])).toEqual([['/to-cdn', `Bearer ${API_KEY}`]]);
    expect(elsewhere.seen.map((s) => [s.path, s.authorization])).toEqual([['/files/report.pdf', undefined]]);
    expect(telegram.sentFiles[0]?.sha256).toBe(sha256Of('/files/report.pdf'));
  });

  test('a redirect onto the backend origin from elsewhere carries no key', async () => {
    expect(await sendAttachment(deps, CHAT, { url: `${elsewhere.url}/bounce-home`, file_name: 'leak.jpg', mime_type: 'image/jpeg' })).toMatchObject({ delivered: true, as: 'photo' });
    expect(elsewhere.seen.map((s) => s.authorization)).toEqual([undefined]);
    expect(backend.seen.map((s) => s.authorization)).toEqual([undefined]);
  });

  test('a chain that leaves the backend origin and comes back carries the key only on its first hop', async () => {
    expect(await sendAttachment(deps, CHAT, { url: `${backend.url}/out-and-back`, file_name: 'leak.jpg', mime_type: 'image/jpeg' })).toMatchObject({ delivered: true, as: 'photo' });
    expect(backend.seen.map((s) => [s.path, s.authorization])).toEqual([
      ['/out-and-back', `Bearer ${API_KEY}`],
      ['/files/leak.jpg', undefined],
    ]);
    expect(elsewhere.seen.map((s) => s.authorization)).toEqual([undefined]);
  });

  test('an image over 10 MB by Content-Length goes as a document, from the same download', async () => {
    const result = await sendAttachment(deps, CHAT, { url: `${backend.url}/files/big-photo.jpg`, file_name: 'big.jpg', mime_type: 'image/jpeg' });
    expect(result).toMatchObject({ delivered: true, as: 'document' });
    expect(backend.seen).toHaveLength(1);
    expect(telegram.callsOf('sendPhoto')).toHaveLength(0);
    expect(telegram.sentFiles).toEqual([expect.objectContaining({ method: 'sendDocument', size: 12 * MB, sha256: sha256Of('/files/big-photo.jpg') })]);
  });

  test('an image found over 10 MB only while counting is sent again as a document', async () => {
    const result = await sendAttachment(deps, CHAT, { url: `${backend.url}/files/big-chunked.jpg`, file_name: 'big.jpg', mime_type: 'image/jpeg' });
    expect(result).toMatchObject({ delivered: true, as: 'document' });
    expect(backend.seen.map((s) => s.path)).toEqual(['/files/big-chunked.jpg', '/files/big-chunked.jpg']);
    // The photo upload was abandoned at the limit: Telegram never got a whole photo.
    expect(telegram.callsOf('sendPhoto').map((call) => call.status)).not.toContain(200);
    expect(telegram.sentFiles).toEqual([expect.objectContaining({ method: 'sendDocument', size: 11 * MB, sha256: sha256Of('/files/big-chunked.jpg') })]);
  });

  test('an image Telegram refuses as a photo is sent again as a document', async () => {
    telegram.failNext('sendPhoto', { status: 400, description: 'Bad Request: PHOTO_INVALID_DIMENSIONS' });
    const result = await sendAttachment(deps, CHAT, { url: `${backend.url}/files/leak.jpg`, file_name: 'panorama.jpg', mime_type: 'image/jpeg' });
    expect(result).toMatchObject({ delivered: true, as: 'document' });
    expect(telegram.sentFiles).toEqual([expect.objectContaining({ method: 'sendDocument', fileName: 'panorama.jpg', sha256: sha256Of('/files/leak.jpg') })]);
  });
});

describe('an agent file that cannot be delivered', () => {
  test('404: not delivered with the status, nothing sent, a log line without the path', async () => {
    const from = logs.lines.length;
    const result = await sendAttachment(deps, CHAT, { url: `${backend.url}/files/missing.pdf?token=s3cr3t`, file_name: 'missing.pdf', mime_type: 'application/pdf' });
    expect(result).toEqual({ delivered: false, reason: 'http_error', status: 404 });
    expect(sendCalls()).toHaveLength(0);
    expect(logs.lines.slice(from)).toEqual([expect.objectContaining({ level: 'warn', msg: 'attachment not delivered', reason: 'http_error', status: 404, origin: backend.url })]);
    expect(logs.raw.join('\n')).not.toMatch(/missing\.pdf|s3cr3t/);
  });

  test('over 50 MB by Content-Length: not delivered, and the download is dropped at once', async () => {
    const result = await sendAttachment(deps, CHAT, { url: `${backend.url}/files/huge.pdf`, file_name: 'huge.pdf', mime_type: 'application/pdf' });
    expect(result).toEqual({ delivered: false, reason: 'too_large' });
    expect(sendCalls()).toHaveLength(0);
    await expect.poll(() => backend.seen[0]?.completed).toBe(false);
    expect(backend.seen[0]!.bytesSent).toBeLessThan(60 * MB);
  });

  test('no answer in time: timeout', async () => {
    const result = await sendAttachment(deps, CHAT, { url: `${backend.url}/silent`, file_name: 'a.pdf', mime_type: 'application/pdf' });
    expect(result).toEqual({ delivered: false, reason: 'timeout' });
    expect(sendCalls()).toHaveLength(0);
  });

  test('a download that stops mid-way: timeout, and the upload already under way is abandoned', async () => {
    const result = await sendAttachment(deps, CHAT, { url: `${backend.url}/files/stall.pdf`, file_name: 'stall.pdf', mime_type: 'application/pdf' });
    expect(result).toEqual({ delivered: false, reason: 'timeout' });
    expect(telegram.sentFiles).toHaveLength(0);
  });

  test('a server that cannot be reached: network', async () => {
    const gone = createServer();
    const goneUrl = await listen(gone);
    await closeServer(gone);
    const files = createAttachmentFetcher({ backendUrl: backend.url, backendApiKey: API_KEY, fileOrigins: [goneUrl], anyPublicOrigin: false });
    expect(await sendAttachment({ ...deps, files }, CHAT, { url: `${goneUrl}/a.pdf`, file_name: 'a.pdf', mime_type: 'application/pdf' })).toEqual({ delivered: false, reason: 'network' });
    await files.close();
  });

  test('not an http(s) URL, directly or by redirect: invalid_url; a redirect loop: http_error', async () => {
    for (const url of ['ftp://files.example.test/a.pdf', 'not a url', 'file:///etc/passwd', `${backend.url}/to-ftp`]) {
      expect(await sendAttachment(deps, CHAT, { url, file_name: 'a.pdf', mime_type: 'application/pdf' }), url).toEqual({ delivered: false, reason: 'invalid_url' });
    }
    expect(await sendAttachment(deps, CHAT, { url: `${backend.url}/loop`, file_name: 'a.pdf', mime_type: 'application/pdf' })).toEqual({ delivered: false, reason: 'http_error', status: 302 });
    expect(backend.seen.filter((s) => s.path === '/loop')).toHaveLength(6);
    expect(sendCalls()).toHaveLength(0);
  });

  test('Telegram failing is thrown for the caller to retry', async () => {
    telegram.failNext('sendDocument', { status: 502, description: 'Bad Gateway' });
    const error = await sendAttachment(deps, CHAT, { url: `${backend.url}/files/report.pdf`, file_name: 'r.pdf', mime_type: 'application/pdf' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TelegramError);
    expect((error as TelegramError).code).toBe(502);
  });
});

describe("a person's file by file_id", () => {
  test('a photo and a document go by their ids, nothing is downloaded', async () => {
    const photo = await sendAttachment(deps, CHAT, { telegram_file_id: 'AgACAgIAAxkBAAIBphoto', kind: 'photo' }, { caption: 'from you' });
    const document = await sendAttachment(deps, CHAT, { telegram_file_id: 'BQACAgIAAxkBAAIBdoc', kind: 'document', file_name: 'plan.pdf', mime_type: 'application/pdf' });
    expect([photo, document]).toEqual([
      { delivered: true, messageId: 1, as: 'photo' },
      { delivered: true, messageId: 2, as: 'document' },
    ]);
    expect(telegram.sentFiles).toEqual([
      expect.objectContaining({ method: 'sendPhoto', via: 'file_id', fileId: 'AgACAgIAAxkBAAIBphoto', caption: 'from you' }),
      expect.objectContaining({ method: 'sendDocument', via: 'file_id', fileId: 'BQACAgIAAxkBAAIBdoc' }),
    ]);
    expect([...backend.seen, ...elsewhere.seen]).toEqual([]);
  });

  test('Telegram refusing the id (400) is "rejected"; a blocked bot (403) is thrown', async () => {
    telegram.failNext('sendDocument', { status: 400, description: 'Bad Request: wrong file identifier/HTTP URL specified' });
    expect(await sendAttachment(deps, CHAT, { telegram_file_id: 'BQACbad', kind: 'document' })).toEqual({ delivered: false, reason: 'rejected', status: 400 });
    telegram.failNext('sendPhoto', { status: 403, description: 'Forbidden: bot was blocked by the user' });
    await expect(sendAttachment(deps, CHAT, { telegram_file_id: 'AgACok', kind: 'photo' })).rejects.toThrow(/blocked/);
  });
});

describe('safeFileName', () => {
  test('keeps a name, cuts paths and anything that could break a multipart header', () => {
    expect(safeFileName('report.pdf', 'application/pdf')).toBe('report.pdf');
    expect(safeFileName('../../etc/passwd', undefined)).toBe('passwd');
    expect(safeFileName('C:\\Users\\agent\\scan.png', 'image/png')).toBe('scan.png');
    expect(safeFileName('a"b\r\nContent-Type: x.pdf', 'application/pdf')).toBe('a_b__Content-Type: x.pdf');
    expect(safeFileName('', 'application/pdf')).toBe('file.pdf');
    expect(safeFileName('dir/', undefined)).toBe('file');
    expect(safeFileName('x'.repeat(300), undefined)).toHaveLength(200);
  });
});
