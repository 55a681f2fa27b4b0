// Where an agent's file may come from, attacked as someone on the internet would: through the real
// /api/notify and the thread's file button, against loopback servers that stand for an internal
// service, a CDN the organisation allows (FILE_ORIGINS), a server it does not, and the backend.
// Only allowed origins are fetched, on every redirect hop; any other host must be public when the
// bot connects; the API key goes only where the first URL was the backend; a download and its
// upload end at the event's deadline and at a minimum throughput.
import type { LookupAddress } from 'node:dns';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { App } from '../../lib/app.js';
import { messages } from '../../lib/i18n/index.js';
import { keyNamespace } from '../../lib/store/key-namespace.js';
import { createNotifyEndpoint } from '../../lib/webhook/notify-endpoint.js';
import { NOTIFY_SECRET, startHarness, type BotInstance, type Harness } from '../support/bot-harness.js';
import { closeServer, listen } from '../support/http.js';
import { Person } from '../support/person.js';
import { redisOf } from '../support/reliability.js';
import { TEST_BOT_TOKEN } from '../support/updates.js';

const API_KEY = 'backend-api-key_0123456789abcdef';
const SECRET_CONFIG = 'db_password=hunter2';
const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(10_000, 0x41)]);
const en = messages('en');

interface Seen {
  readonly path: string;
  readonly authorization: string | undefined;
}

/** A loopback server that records every connection and request, answering by path. */
interface Recorder {
  readonly url: string;
  readonly port: number;
  readonly seen: Seen[];
  connections: number;
  close(): Promise<void>;
}

type Route = (req: IncomingMessage, res: ServerResponse) => void;

async function startRecorder(routes: Record<string, Route>): Promise<Recorder> {
  const seen: Seen[] = [];
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x.invalid').pathname;
    seen.push({ path, authorization: req.headers.authorization });
    const route = routes[path];
    if (route) return route(req, res);
    res.writeHead(404).end('not found');
  });
  const recorder = { url: '', port: 0, seen, connections: 0, close: () => closeServer(server) };
  server.on('connection', () => (recorder.connections += 1));
  recorder.url = await listen(server);
  recorder.port = Number(new URL(recorder.url).port);
  return recorder;
}

const redirect = (to: () => string): Route => (_req, res) => res.writeHead(302, { location: to() }).end();

/** What a slow file server does: declares a length, then sends one byte every `everyMs`. */
interface Drip {
  bytesSent: number;
  cut: boolean;
}
const drips: Drip[] = [];
function drip(length: number, everyMs: number): Route {
  return (_req, res) => {
    const state: Drip = { bytesSent: 0, cut: false };
    drips.push(state);
    res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': String(length) });
    const timer = setInterval(() => {
      if (res.destroyed) return;
      res.write(Buffer.from([0x41]));
      state.bytesSent += 1;
      if (state.bytesSent >= length) {
        clearInterval(timer);
        res.end();
      }
    }, everyMs);
    res.on('close', () => {
      clearInterval(timer);
      state.cut = state.bytesSent < length;
    });
  };
}

let harness: Harness;
let bot: BotInstance;
let internal: Recorder;
let cdn: Recorder;
let outside: Recorder;
let notifyUrl: string;
const servers: Server[] = [];
const backendAnswers: { method: string; route: string; status: number }[] = [];
let nextUser = 910_000;
let nextEvent = 0;
const victim = 910_999;

beforeAll(async () => {
  internal = await startRecorder({
    '/admin/config': (_req, res) => res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(SECRET_CONFIG.length) }).end(SECRET_CONFIG),
  });
  cdn = await startRecorder({
    '/files/plan.pdf': (_req, res) => res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': String(PDF.length) }).end(PDF),
    '/to-internal': redirect(() => `${internal.url}/admin/config`),
    '/to-metadata': redirect(() => 'http://169.254.169.254/latest/meta-data/iam/security-credentials/'),
    '/to-backend': redirect(() => `${harness.backend.url}/requests?telegram_user_id=${victim}&limit=10`),
    '/drip.pdf': drip(200, 50),
  });
  outside = await startRecorder({
    '/files/plan.pdf': (_req, res) => res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': String(PDF.length) }).end(PDF),
  });
  harness = await startHarness({
    backend: { apiKey: API_KEY, onRequest: (info) => backendAnswers.push(info) },
    env: { BACKEND_API_KEY: API_KEY, FILE_ORIGINS: cdn.url },
  });
  bot = await harness.startInstance();
  notifyUrl = await serveNotify(bot.app);
});

afterAll(async () => {
  await Promise.all(servers.map(closeServer));
  await harness.close();
  await Promise.all([internal.close(), cdn.close(), outside.close()]);
});

beforeEach(() => {
  harness.telegram.reset();
  for (const recorder of [internal, cdn, outside]) {
    recorder.seen.length = 0;
    recorder.connections = 0;
  }
  backendAnswers.length = 0;
});

async function serveNotify(app: App): Promise<string> {
  const server = createServer(createNotifyEndpoint({ getApp: async () => app, getLogger: () => harness.logger }));
  servers.push(server);
  return listen(server);
}

interface AgentFile {
  readonly url: string;
  readonly file_name: string;
  readonly mime_type: string;
}

/** The backend tells the bot that an agent commented with these files. */
async function agentSends(userId: number, files: readonly AgentFile[], options: { readonly to?: string; readonly eventId?: string } = {}) {
  const response = await fetch(options.to ?? notifyUrl, {
    method: 'POST',
    headers: { authorization: `Bearer ${NOTIFY_SECRET}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      event_id: options.eventId ?? `files-${process.pid}-${++nextEvent}`,
      kind: 'comment',
      request_id: 'req-1',
      number: 'SR-1',
      telegram_user_id: userId,
      comment: { author_name: 'Anna', text: 'Here you are', attachments: files },
    }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const pdf = (url: string, file_name = 'plan.pdf'): AgentFile => ({ url, file_name, mime_type: 'application/pdf' });
const refusedLines = () => harness.logs.filter((line) => line.msg === 'attachment not delivered' && line.reason === 'forbidden');

describe('only the allowed origins are fetched', () => {
  test('an internal address and a server the organisation does not allow are not asked at all', async () => {
    const userId = ++nextUser;
    const before = refusedLines().length;
    const answer = await agentSends(userId, [
      { url: `${internal.url}/admin/config`, file_name: 'config.txt', mime_type: 'text/plain' },
      pdf(`${outside.url}/files/plan.pdf`),
    ]);
    expect(answer).toMatchObject({ status: 200, body: { delivered: true } });
    expect(internal.connections + outside.connections).toBe(0);
    expect(harness.telegram.sentFiles).toEqual([]);
    const told = harness.telegram.sentTexts(userId).join('\n');
    expect(told).toContain(en.fileNotDelivered('config.txt'));
    expect(told).toContain(en.fileNotDelivered('plan.pdf'));
    expect(told).not.toContain(SECRET_CONFIG);
    expect(refusedLines().length - before).toBe(2);
  });

  test('an allowed origin is fetched without the API key', async () => {
    const answer = await agentSends(++nextUser, [pdf(`${cdn.url}/files/plan.pdf`)]);
    expect(answer.status).toBe(200);
    expect(cdn.seen).toEqual([{ path: '/files/plan.pdf', authorization: undefined }]);
    expect(harness.telegram.sentFiles).toEqual([expect.objectContaining({ method: 'sendDocument', via: 'upload', size: PDF.length })]);
  });

  test('a redirect from an allowed origin to loopback or a cloud metadata address is refused at that hop', async () => {
    const before = refusedLines().length;
    await agentSends(++nextUser, [pdf(`${cdn.url}/to-internal`, 'a.pdf'), pdf(`${cdn.url}/to-metadata`, 'b.pdf')]);
    expect(cdn.seen.map((s) => s.path)).toEqual(['/to-internal', '/to-metadata']);
    expect(internal.connections).toBe(0);
    expect(harness.telegram.sentFiles).toEqual([]);
    expect(refusedLines().length - before).toBe(2);
  });

  test("the thread's file button is held to the same rules", async () => {
    const p = new Person(harness, bot, ++nextUser);
    await p.say('/new');
    await p.tap('Repair');
    await p.tap('Individual');
    await p.tap('Plumbing');
    await p.say('The heating in room 12 does not work');
    await p.tap(en.buttonSkip);
    await p.say(en.buttonSkip);
    await p.tap(en.buttonConfirm);
    const request = harness.backend.requests().find((r) => r.telegram.user_id === p.userId);
    if (!request) throw new Error('no request was created');
    harness.backend.addAgentComment(request.id, { text: 'see attached', attachments: [{ url: `${internal.url}/admin/config`, file_name: 'config.txt', mime_type: 'text/plain' }] });
    await p.say('/my');
    await p.tap(request.number);
    await p.tap('config.txt');
    expect(internal.connections).toBe(0);
    expect(harness.telegram.sentFiles).toEqual([]);
    expect(p.lastText()).toContain('config.txt could not be delivered');
  });
});

describe('the API key', () => {
  test('goes with a file on the backend origin', async () => {
    await agentSends(++nextUser, [pdf(harness.backend.fileUrl('sample.pdf'), 'sample.pdf')]);
    expect(backendAnswers.filter((a) => a.route === 'GET /files/:name').map((a) => a.status)).toEqual([200]);
    expect(harness.telegram.sentFiles).toHaveLength(1);
  });

  test('never follows a redirect onto the backend from elsewhere: someone else’s requests stay closed', async () => {
    const userId = ++nextUser;
    await agentSends(userId, [pdf(`${cdn.url}/to-backend`, 'requests.json')]);
    expect(backendAnswers.filter((a) => a.route === 'GET /requests').map((a) => a.status)).toEqual([401]);
    expect(harness.telegram.sentFiles).toEqual([]);
    expect(harness.telegram.sentTexts(userId).join('\n')).toContain(en.fileNotDelivered('requests.json'));
  });
});

describe('any public origin (FILE_ORIGINS=*)', () => {
  let open: Harness;
  let openUrl: string;
  /** The DNS at the network edge: names the test makes up, the rest as the system resolves them. */
  const names: Record<string, string> = { 'files.rebind.test': '127.0.0.1', 'cdn.public.test': '93.184.215.14' };

  beforeAll(async () => {
    open = await startHarness({ memoryStore: true, env: { FILE_ORIGINS: '*' } });
    const instance = await open.startInstance({
      attachments: {
        lookup: (hostname: string, _options: unknown, callback: (error: Error | null, addresses: LookupAddress[]) => void) => {
          const address = names[hostname] ?? (hostname === 'localhost' ? '127.0.0.1' : undefined);
          if (address === undefined) callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []);
          else callback(null, [{ address, family: 4 }]);
        },
      },
    });
    const server = createServer(createNotifyEndpoint({ getApp: async () => instance.app, getLogger: () => open.logger }));
    servers.push(server);
    openUrl = await listen(server);
  });
  afterAll(() => open.close());

  test('a name that resolves to a private address is refused when connecting, a literal IP before', async () => {
    const port = internal.port;
    const answer = await agentSends(++nextUser, [
      pdf(`https://localhost:${port}/admin/config`, 'a.pdf'),
      pdf(`https://files.rebind.test:${port}/admin/config`, 'b.pdf'),
      pdf(`https://127.0.0.1:${port}/admin/config`, 'c.pdf'),
      pdf(`https://[::ffff:127.0.0.1]:${port}/admin/config`, 'd.pdf'),
      pdf(`https://2130706433:${port}/admin/config`, 'e.pdf'),
      pdf(`http://localhost:${port}/admin/config`, 'f.pdf'),
    ], { to: openUrl });
    expect(answer.status).toBe(200);
    expect(internal.connections).toBe(0);
    expect(open.telegram.sentFiles).toEqual([]);
    const reasons = open.logs.filter((line) => line.msg === 'attachment not delivered').map((line) => line.reason);
    expect(reasons).toEqual(['forbidden', 'forbidden', 'forbidden', 'forbidden', 'forbidden', 'forbidden']);
  });
});

describe('one deadline for a download and its upload', () => {
  test('a server that drips is cut at the event’s deadline: the event is recorded within its lease, and a retry is a duplicate', async () => {
    const leased = await harness.startInstance({ notify: { leaseSeconds: 3, sendTimeoutMs: 500 } });
    const url = await serveNotify(leased.app);
    const userId = ++nextUser;
    const eventId = `drip-${process.pid}-${++nextEvent}`;
    const dripsBefore = drips.length;
    const first = agentSends(userId, [pdf(`${cdn.url}/drip.pdf`, 'slow.pdf')], { to: url, eventId });
    // The event is leased and its file is dripping; the backend retries once the first answer is
    // late past the lease (the marker is gone), or as soon as it has its answer.
    await expect.poll(() => drips.length, { timeout: 5_000 }).toBe(dripsBefore + 1);
    const redis = redisOf(harness);
    const key = `${keyNamespace({ token: TEST_BOT_TOKEN })}:notify:${eventId}`;
    let answered = false;
    void first.then(() => (answered = true));
    await expect.poll(async () => answered || (await redis.get(key)) === null, { timeout: 15_000, interval: 100 }).toBe(true);
    const copy = await agentSends(userId, [pdf(`${cdn.url}/drip.pdf`, 'slow.pdf')], { to: url, eventId });
    expect((await first).body).toMatchObject({ delivered: true });
    expect(copy.body).toMatchObject({ delivered: true, duplicate: true });
    const texts = harness.telegram.sentTexts(userId);
    expect(texts.filter((text) => text.includes('Here you are'))).toHaveLength(1);
    expect(texts.join('\n')).toContain(en.fileNotDelivered('slow.pdf'));
    expect(drips.at(-1)?.cut).toBe(true);
  });

  test('a file whose server drips is cut at the minimum throughput, long before any deadline', async () => {
    const slowOk = await harness.startInstance({ attachments: { minBytesPerSecond: 1024, throughputWindowMs: 400 } });
    const userId = ++nextUser;
    const answer = await agentSends(userId, [pdf(`${cdn.url}/drip.pdf`, 'slow.pdf')], { to: await serveNotify(slowOk.app) });
    expect(answer.body).toMatchObject({ delivered: true });
    expect(harness.telegram.sentFiles).toEqual([]);
    expect(harness.telegram.sentTexts(userId).join('\n')).toContain(en.fileNotDelivered('slow.pdf'));
    expect(drips.at(-1)?.cut).toBe(true);
  });
});
