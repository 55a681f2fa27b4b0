import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { createBackendClient, routeTemplate, type BackendClient } from '../../lib/backend/backend-client.js';
import { BackendError } from '../../lib/backend/backend-error.js';
import type { NewRequest } from '../../lib/backend/schemas.js';
import { createTimed } from '../../lib/metrics/timed.js';
import { createLogger } from '../../lib/logger.js';
import { emptyCounters, withUpdateCounters } from '../../lib/metrics/update-scope.js';
import { startDemoBackend, type DemoBackend, type DemoBackendOptions } from '../../tools/demo-backend/server.js';
import { capturingLogger } from '../support/logs.js';

const API_KEY = 'demo-api-key-7f3a9c21e5';
const USER_ID = 424242;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});


async function demo(options: DemoBackendOptions = {}): Promise<DemoBackend> {
  const backend = await startDemoBackend(options);
  cleanups.push(() => backend.close());
  return backend;
}

function client(
  baseUrl: string,
  overrides: Partial<Parameters<typeof createBackendClient>[0]> = {},
): BackendClient {
  const backend = createBackendClient({
    baseUrl,
    timeoutMs: 2_000,
    maxConnections: 10,
    slowCallMs: 1_000,
    logger: createLogger({ level: 'silent' }),
    ...overrides,
  });
  cleanups.push(() => backend.close());
  return backend;
}

/** A raw loopback server for answers the demo backend will not give. */
async function rawServer(
  handler: (req: IncomingMessage, res: ServerResponse, index: number) => void,
): Promise<{ url: string; requests: IncomingMessage[] }> {
  const requests: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    requests.push(req);
    handler(req, res, requests.length - 1);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

function newRequest(overrides: Partial<NewRequest> = {}): NewRequest {
  return {
    request_type_id: 1,
    side_id: 10,
    category_id: 100,
    description: 'The kitchen tap drips all night.',
    contact_phone: '+15550100',
    attachments: [{ telegram_file_id: 'AgACAgIAAxkBAAIB', kind: 'photo' }],
    telegram: { user_id: USER_ID, chat_id: USER_ID, username: 'alice', language_code: 'en' },
    ...overrides,
  };
}

async function failure(promise: Promise<unknown>): Promise<BackendError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(BackendError);
  return error as BackendError;
}

describe('contract calls', () => {
  test('every call parses', async () => {
    const backend = await demo();
    const api = client(backend.url);

    const types = await api.listRequestTypes();
    expect(types.map((type) => type.name)).toEqual(['Repair', 'Installation', 'Consultation']);
    const sides = await api.listSides(1);
    expect(sides).toEqual([
      { id: 10, name: 'Individual' },
      { id: 20, name: 'Business' },
    ]);
    const categories = await api.listServiceCategories(1, 10);
    expect(categories).toHaveLength(11);
    expect(categories[0]).toMatchObject({ id: 100, name: 'Plumbing', description: expect.any(String) });

    const { request, created } = await api.createRequest(newRequest(), 'key-every-call');
    expect(created).toBe(true);
    expect(request).toMatchObject({ number: 'SR-1001', status: 'new' });

    const mine = await api.listRequests(USER_ID);
    expect(mine).toEqual([
      {
        id: request.id,
        number: 'SR-1001',
        status: 'new',
        category_name: 'Plumbing',
        created_at: request.created_at,
        updated_at: request.created_at,
      },
    ]);
    const details = await api.getRequest(request.id);
    expect(details).toMatchObject({ id: request.id, description: 'The kitchen tap drips all night.', side_name: 'Individual' });
    expect(details.status_history).toEqual([{ status: 'new', at: request.created_at, comment: undefined }]);
  });

  test('limit and newest first', async () => {
    const backend = await demo();
    const api = client(backend.url);
    for (const key of ['a', 'b', 'c']) await api.createRequest(newRequest({ description: `request ${key}` }), key);
    const two = await api.listRequests(USER_ID, 2);
    expect(two.map((request) => request.number)).toEqual(['SR-1003', 'SR-1002']);
  });

  test('base URL with a path', async () => {
    const server = await rawServer((_req, res) => json(res, 200, [{ id: 1, name: 'Repair' }]));
    const api = client(`${server.url}/v1/`);
    await api.listRequestTypes();
    expect(server.requests[0]?.url).toBe('/v1/request-types');
  });

  test('unknown fields are dropped', async () => {
    const server = await rawServer((_req, res) =>
      json(res, 200, [{ id: 1, name: 'Repair', icon: 'wrench', sort_order: 3 }]),
    );
    expect(await client(server.url).listRequestTypes()).toEqual([{ id: 1, name: 'Repair' }]);
  });
});

describe('languages', () => {
  test('Accept-Language names the language asked for on reads; without one, the client adds none', async () => {
    const server = await rawServer((req, res) => json(res, 200, /\/requests\b/.test(req.url ?? '') ? { items: [], next_cursor: null } : []));
    const api = client(server.url);
    await api.listRequestTypes({ language: 'ru' });
    await api.listSides(1, { language: 'ru' });
    await api.listServiceCategories(1, 10, { language: 'en' });
    await api.listRequestPage(USER_ID, { limit: 10 }, { language: 'ru' });
    await api.listRequests(USER_ID, 10, { language: 'ru' });
    await api.listRequestTypes();
    // Without a language the client adds nothing: fetch's own default (`*`, any language) goes out.
    expect(server.requests.map((req) => req.headers['accept-language'])).toEqual(['ru', 'ru', 'en', 'ru', 'ru', '*']);
  });

  test('a request read in Russian from the demo backend', async () => {
    const backend = await demo();
    const api = client(backend.url);
    const { request } = await api.createRequest(newRequest(), 'lang');
    expect((await api.getRequest(request.id, { language: 'ru' })).category_name).toBe('Сантехника');
    expect((await api.getRequest(request.id)).category_name).toBe('Plumbing');
  });
});

describe('connections', () => {
  test('100 sequential GETs use one connection', async () => {
    const backend = await demo();
    const api = client(backend.url);
    for (let i = 0; i < 100; i += 1) await api.listRequestTypes();
    expect(backend.stats.requests).toBe(100);
    expect(backend.stats.connections).toBe(1);
    expect(api.poolStats()).toMatchObject({ connected: 1, running: 0, maxConnections: 10 });
  });

  test('pool stats before the first call', () => {
    expect(client('http://127.0.0.1:9').poolStats()).toEqual({
      connected: 0,
      free: 0,
      pending: 0,
      running: 0,
      size: 0,
      maxConnections: 10,
    });
  });

  test('concurrent GETs stay within maxConnections', async () => {
    const backend = await demo({ latencyMs: 30 });
    const api = client(backend.url, { maxConnections: 4 });
    await Promise.all(Array.from({ length: 20 }, () => api.listRequestTypes()));
    expect(backend.stats.connections).toBe(4);
    await Promise.all(Array.from({ length: 20 }, () => api.listRequestTypes()));
    expect(backend.stats.connections).toBe(4);
  });

  test('after close calls fail with kind network', async () => {
    const backend = await demo();
    const api = client(backend.url, { retry: { limit: 0 } });
    await api.listRequestTypes();
    await api.close();
    const error = await failure(api.listRequestTypes());
    expect(error.kind).toBe('network');
  });
});

describe('retries', () => {
  test('status code 503 then success', async () => {
    const server = await rawServer((_req, res, index) =>
      index === 0
        ? json(res, 503, { error: { code: 'unavailable', message: 'Try again' } })
        : json(res, 200, [{ id: 1, name: 'Repair' }]),
    );
    const counters = emptyCounters();
    const types = await withUpdateCounters(counters, () => client(server.url).listRequestTypes());
    expect(types).toEqual([{ id: 1, name: 'Repair' }]);
    expect(server.requests).toHaveLength(2);
    expect(counters.backendCalls).toBe(2);
  });

  test('a timed wrapper sees one call however many attempts it took', async () => {
    const server = await rawServer((_req, res, index) =>
      index === 0 ? json(res, 503, { error: { code: 'unavailable', message: 'Try again' } }) : json(res, 200, []),
    );
    const timings: { name: string; ms: number; error: boolean }[] = [];
    const timed = createTimed({ recorder: { recordTiming: (name, ms, error) => void timings.push({ name, ms, error }) } });
    await client(server.url, { timed }).listRequestTypes();
    await failure(client(server.url, { timed, retry: { limit: 0 } }).getRequest('missing'));
    expect(timings.map(({ name, error }) => [name, error])).toEqual([
      ['backend.listRequestTypes', false],
      ['backend.getRequest', true],
    ]);
  });

  test('Retry-After is respected', async () => {
    const server = await rawServer((_req, res, index) =>
      index === 0
        ? json(res, 429, { error: { code: 'rate_limited', message: 'Slow down' } }, { 'retry-after': '1' })
        : json(res, 200, []),
    );
    const started = performance.now();
    await client(server.url).listRequestTypes();
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
  });

  test('a long Retry-After is not waited for', async () => {
    const server = await rawServer((_req, res) =>
      json(res, 503, { error: { code: 'maintenance', message: 'Back soon' } }, { 'retry-after': '120' }),
    );
    const started = performance.now();
    const error = await failure(client(server.url).listRequestTypes());
    expect(error).toMatchObject({ kind: 'http', status: 503, code: 'maintenance' });
    expect(server.requests).toHaveLength(1);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  test('status code 500', async () => {
    const backend = await demo();
    backend.setFault('GET /request-types', '500');
    const error = await failure(client(backend.url).listRequestTypes());
    expect(error).toMatchObject({ kind: 'http', status: 500, code: 'internal', method: 'GET', path: '/request-types' });
    expect(error.message).toBe('Backend GET /request-types failed: 500 Internal Server Error (internal)');
    expect(backend.stats.requests).toBe(3);
  });

  test('status code 404 is not retried', async () => {
    const backend = await demo();
    const error = await failure(client(backend.url).getRequest('no-such-request'));
    expect(error).toMatchObject({ kind: 'http', status: 404, code: 'not_found', path: '/requests/:id' });
    expect(backend.stats.requests).toBe(1);
  });

  test('retry limit 0', async () => {
    const backend = await demo();
    backend.setFault('*', '500');
    await failure(client(backend.url, { retry: { limit: 0 } }).listRequestTypes());
    expect(backend.stats.requests).toBe(1);
  });
});

describe('idempotent POST', () => {
  test('same key twice', async () => {
    const backend = await demo();
    const api = client(backend.url);
    const first = await api.createRequest(newRequest(), 'key-twice');
    const second = await api.createRequest(newRequest(), 'key-twice');
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.request).toEqual(first.request);
    expect(backend.requests()).toHaveLength(1);
  });

  test('Idempotency-Key header is sent', async () => {
    const server = await rawServer((_req, res) =>
      json(res, 201, { id: 'r1', number: 'SR-1', status: 'new', created_at: '2025-01-01T00:00:00.000Z' }),
    );
    await client(server.url).createRequest(newRequest(), 'key-header');
    expect(server.requests[0]?.headers['idempotency-key']).toBe('key-header');
    expect(server.requests[0]?.headers['content-type']).toBe('application/json');
  });

  test('POST retried on a 500 creates one request', async () => {
    const backend = await demo();
    backend.setFault('POST /requests', '500', 1);
    const { created, request } = await client(backend.url).createRequest(newRequest(), 'key-retry');
    expect(created).toBe(true);
    expect(backend.stats.byRoute['POST /requests']).toBe(2);
    expect(backend.requests().map((stored) => stored.number)).toEqual([request.number]);
  });

  test('POST retried after a lost answer creates one request', async () => {
    const backend = await demo();
    backend.setFault('POST /requests', 'fail-after-create', 1);
    const { created, request } = await client(backend.url).createRequest(newRequest(), 'key-lost');
    // The first attempt created it; the retry got it back as a replay.
    expect(created).toBe(false);
    expect(backend.stats.byRoute['POST /requests']).toBe(2);
    expect(backend.requests().map((stored) => stored.id)).toEqual([request.id]);
  });

  test('status code 400 keeps the error code', async () => {
    const backend = await demo();
    const error = await failure(
      client(backend.url).createRequest(newRequest({ description: '   ' }), 'key-invalid'),
    );
    expect(error).toMatchObject({ kind: 'http', status: 400, code: 'invalid_request', method: 'POST', path: '/requests' });
    expect(error.message).not.toContain('kitchen');
    expect(backend.stats.requests).toBe(1);
  });
});

describe('lifecycle calls (cancel, confirm, reopen, rating) and paging', () => {
  const me = { telegram_user_id: USER_ID };

  test('each call answers the request after it, validated', async () => {
    const backend = await demo({ maxReopens: 1 });
    const api = client(backend.url);
    const { request: a } = await api.createRequest(newRequest({ location: 'Building 3, lift B' }), 'a');
    const cancelled = await api.cancelRequest(a.id, { ...me, reason: 'Not needed' }, 'k-cancel');
    expect(cancelled).toMatchObject({ id: a.id, status: 'cancelled', location: 'Building 3, lift B', rating: undefined });

    const { request: b } = await api.createRequest(newRequest(), 'b');
    await backend.resolveNewest(USER_ID);
    const reopened = await api.reopenRequest(b.id, { ...me, reason: 'Still dripping' }, 'k-reopen-1');
    expect(reopened.status).toBe('in_progress');
    await backend.resolveNewest(USER_ID);
    const limit = await failure(api.reopenRequest(b.id, { ...me, reason: 'Again' }, 'k-reopen-2'));
    expect(limit).toMatchObject({ kind: 'http', status: 409, code: 'reopen_limit', path: '/requests/:id/reopen' });
    expect((await api.confirmResolution(b.id, me, 'k-confirm')).status).toBe('closed');
    const rated = await api.rateRequest(b.id, { ...me, score: 5, comment: 'Thanks' }, 'k-rate');
    expect(rated.rating).toEqual({ score: 5, comment: 'Thanks', at: expect.any(String) });
    const twice = await failure(api.rateRequest(b.id, { ...me, score: 1 }, 'k-rate-2'));
    expect(twice).toMatchObject({ status: 409, code: 'already_rated' });
    expect(twice.message).not.toContain('Thanks');
  });

  test('retried on a 500 and after a lost answer with the same key: one cancel', async () => {
    const backend = await demo();
    const api = client(backend.url);
    const { request } = await api.createRequest(newRequest(), 'c');
    backend.setFault('POST /requests/:id/cancel', 'fail-after-create', 1);
    const details = await api.cancelRequest(request.id, me, 'k-lost');
    expect(details.status).toBe('cancelled');
    expect(backend.stats.byRoute['POST /requests/:id/cancel']).toBe(2);
    expect(backend.lifecycleLog().map((entry) => [entry.key, entry.outcome])).toEqual([
      ['k-lost', 'applied'],
      ['k-lost', 'replayed'],
    ]);
    const server = await rawServer((req, res, index) =>
      index === 0 ? json(res, 502, 'Bad Gateway') : json(res, 200, { wrong: true }),
    );
    const invalid = await failure(client(server.url).confirmResolution('r-1', me, 'k-invalid'));
    expect(invalid).toMatchObject({ kind: 'invalid-response', path: '/requests/:id/confirm' });
    expect(server.requests.map((req) => req.headers['idempotency-key'])).toEqual(['k-invalid', 'k-invalid']);
  });

  test('follow-ups: a reason on a cancelled request, a comment on a rating (PATCH, retried with the same key)', async () => {
    const backend = await demo();
    const api = client(backend.url);
    const { request } = await api.createRequest(newRequest(), 'f');
    await api.cancelRequest(request.id, me, 'k-cancel');
    backend.setFault('*', 'fail-after-create', 1);
    const withReason = await api.attachCancelReason(request.id, { ...me, reason: 'Not needed' }, 'k-reason');
    expect(withReason.status_history.at(-1)).toMatchObject({ status: 'cancelled', comment: 'Not needed' });
    expect(backend.lifecycleLog().filter((entry) => entry.action === 'cancel-reason').map((entry) => [entry.key, entry.outcome])).toEqual([
      ['k-reason', 'applied'],
      ['k-reason', 'replayed'],
    ]);
    const { request: rated } = await api.createRequest(newRequest(), 'g');
    await backend.resolveNewest(USER_ID);
    await api.rateRequest(rated.id, { ...me, score: 4 }, 'k-rate');
    expect((await api.attachRatingComment(rated.id, { ...me, comment: 'Quick' }, 'k-comment')).rating).toEqual({ score: 4, comment: 'Quick', at: expect.any(String) });
    const old = client((await demo({ followUps: false })).url);
    const unknown = await failure(old.attachRatingComment(rated.id, { ...me, comment: 'Quick' }, 'k-old'));
    expect(unknown).toMatchObject({ kind: 'http', status: 405, method: 'PATCH', path: '/requests/:id/rating' });
  });

  test('a page with a cursor, and the plain array of a backend without paging', async () => {
    const paged = await demo();
    const api = client(paged.url);
    for (const key of ['a', 'b', 'c']) await api.createRequest(newRequest(), key);
    const first = await api.listRequestPage(USER_ID, { limit: 2 });
    expect(first.items.map((item) => item.number)).toEqual(['SR-1003', 'SR-1002']);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await api.listRequestPage(USER_ID, { limit: 2, cursor: first.nextCursor });
    expect(second).toEqual({ items: [expect.objectContaining({ number: 'SR-1001' })], nextCursor: undefined });
    expect(await api.listRequests(USER_ID, 2)).toEqual(first.items);

    const plain = await demo({ listAnswer: 'array' });
    const old = client(plain.url);
    for (const key of ['a', 'b', 'c']) await old.createRequest(newRequest(), key);
    const only = await old.listRequestPage(USER_ID, { limit: 10, openOnly: true });
    expect(only.items.map((item) => item.number)).toEqual(['SR-1003', 'SR-1002', 'SR-1001']);
    expect(only.nextCursor).toBeUndefined();

    const server = await rawServer((req, res) => json(res, 200, { items: 'nope', next_cursor: 5 }));
    const bad = await failure(client(server.url).listRequestPage(USER_ID, { limit: 10, cursor: 'c1', openOnly: true }));
    expect(bad.kind).toBe('invalid-response');
    expect(server.requests[0]?.url).toBe(`/requests?telegram_user_id=${USER_ID}&limit=10&cursor=c1&status=open`);
    expect(bad.message).not.toContain(String(USER_ID));
  });
});

describe('invalid responses', () => {
  test('malformed JSON', async () => {
    const backend = await demo();
    backend.setFault('GET /request-types', 'malformed-json');
    const error = await failure(client(backend.url).listRequestTypes());
    expect(error).toMatchObject({ kind: 'invalid-response', status: 200 });
    expect(error.message).toBe('Backend GET /request-types failed: invalid response to 200 OK (body is not JSON)');
  });

  test('wrong shape', async () => {
    const backend = await demo();
    backend.setFault('GET /requests/:id', 'wrong-shape');
    const error = await failure(client(backend.url).getRequest('any'));
    expect(error.kind).toBe('invalid-response');
    expect(error.message).toContain('id: missing');
  });

  test('wrong item type', async () => {
    const server = await rawServer((_req, res) => json(res, 200, [{ id: '1', name: 'Repair' }]));
    const error = await failure(client(server.url).listRequestTypes());
    expect(error.message).toContain('0.id: expected number');
    expect(error.message).not.toContain('Repair');
  });

  test('unknown status', async () => {
    const server = await rawServer((_req, res) =>
      json(res, 200, [
        { id: 'r', number: 'SR-1', status: 'on_hold', category_name: 'x', created_at: 'x', updated_at: 'x' },
      ]),
    );
    const error = await failure(client(server.url).listRequests(USER_ID));
    expect(error.kind).toBe('invalid-response');
  });

  test('HTML error page', async () => {
    const server = await rawServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><body>Gateway</body></html>');
    });
    expect((await failure(client(server.url).listRequestTypes())).kind).toBe('invalid-response');
  });

  test('status code 502 without an error body', async () => {
    const server = await rawServer((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html>Bad gateway</html>');
    });
    const error = await failure(client(server.url, { retry: { limit: 0 } }).listRequestTypes());
    expect(error).toMatchObject({ kind: 'http', status: 502, code: undefined });
    expect(error.message).toBe('Backend GET /request-types failed: 502 Bad Gateway');
  });
});

describe('network trouble', () => {
  test('timeout', async () => {
    const backend = await demo();
    backend.setFault('GET /request-types', 'timeout');
    const started = performance.now();
    const error = await failure(client(backend.url, { timeoutMs: 300 }).listRequestTypes());
    expect(error.kind).toBe('timeout');
    expect(error.message).toBe('Backend GET /request-types failed: timed out (after 300 ms)');
    // Timeouts are not retried: one attempt.
    expect(backend.stats.requests).toBe(1);
    expect(performance.now() - started).toBeLessThan(1_500);
  });

  test('stalled body', async () => {
    const server = await rawServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('[{"id": 1,');
    });
    const error = await failure(client(server.url, { timeoutMs: 300 }).listRequestTypes());
    expect(error.kind).toBe('timeout');
  });

  test('connection refused', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const error = await failure(client(`http://127.0.0.1:${port}`, { retry: { limit: 1 } }).listRequestTypes());
    expect(error.kind).toBe('network');
    expect(error.message).toBe('Backend GET /request-types failed: network error (ECONNREFUSED)');
  });

  test('connection dropped is retried', async () => {
    const backend = await demo();
    backend.setFault('GET /request-types', 'refuse', 1);
    expect(await client(backend.url).listRequestTypes()).toHaveLength(3);
    expect(backend.stats.requests).toBe(2);
  });
});

describe('auth and logs', () => {
  test('Authorization header', async () => {
    const server = await rawServer((_req, res) => json(res, 200, []));
    await client(server.url, { apiKey: API_KEY }).listRequestTypes();
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${API_KEY}`);

    const backend = await demo({ apiKey: API_KEY });
    expect(await client(backend.url, { apiKey: API_KEY }).listRequestTypes()).toHaveLength(3);
    const error = await failure(client(backend.url).listRequestTypes());
    expect(error).toMatchObject({ kind: 'http', status: 401, code: 'unauthorized' });
  });

  test('no Authorization header without a key', async () => {
    const server = await rawServer((_req, res) => json(res, 200, []));
    await client(server.url).listRequestTypes();
    expect(server.requests[0]?.headers.authorization).toBeUndefined();
  });

  test('slow call logs a warning', async () => {
    const backend = await demo({ apiKey: API_KEY, latencyMs: 60 });
    const logs = capturingLogger();
    const api = client(backend.url, { apiKey: API_KEY, slowCallMs: 30, logger: logs.logger });
    await api.listRequests(USER_ID);

    const warnings = logs.lines.filter((line) => line.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({
      msg: 'slow backend call',
      method: 'GET',
      path: '/requests?telegram_user_id=:id&limit=:n',
      status: 200,
      slowCallMs: 30,
    });
    expect(warnings[0]?.ms).toBeGreaterThanOrEqual(30);
    const all = logs.raw.join('');
    expect(all).not.toContain(API_KEY);
    expect(all).not.toContain(String(USER_ID));
  });

  test('a fast call logs no warning', async () => {
    const backend = await demo();
    const logs = capturingLogger();
    await client(backend.url, { slowCallMs: 5_000, logger: logs.logger }).listRequestTypes();
    expect(logs.lines.filter((line) => line.level === 'warn')).toEqual([]);
    expect(logs.lines).toContainEqual(expect.objectContaining({ msg: 'backend call', path: '/request-types', status: 200 }));
  });

  test('errors hold no user id, key or body', async () => {
    const backend = await demo({ apiKey: API_KEY });
    backend.setFault('*', '500');
    const logs = capturingLogger();
    const api = client(backend.url, { apiKey: API_KEY, logger: logs.logger, retry: { limit: 1 } });
    const listing = await failure(api.listRequests(USER_ID));
    const creating = await failure(api.createRequest(newRequest(), 'key-private'));
    for (const err of [listing, creating]) logs.logger.error({ err }, 'backend failed');

    expect(listing.message).toBe(
      'Backend GET /requests?telegram_user_id=:id&limit=:n failed: 500 Internal Server Error (internal)',
    );
    const all = logs.raw.join('');
    expect(all).toContain('backend failed');
    for (const secret of [API_KEY, String(USER_ID), 'kitchen tap', '+15550100']) expect(all).not.toContain(secret);
  });

  test('counters count every attempt', async () => {
    const backend = await demo({ latencyMs: 20 });
    backend.setFault('GET /request-types/:id/sides', '500', 1);
    const api = client(backend.url);
    const counters = emptyCounters();
    await withUpdateCounters(counters, async () => {
      await api.listRequestTypes();
      await api.listSides(1);
    });
    expect(counters.backendCalls).toBe(3);
    expect(counters.backendMs).toBeGreaterThanOrEqual(60);
  });
});

test('route templates', () => {
  expect(routeTemplate('GET', '/request-types/5/sides')).toBe('/request-types/:id/sides');
  expect(routeTemplate('GET', '/requests')).toBe('/requests?telegram_user_id=:id&limit=:n');
  expect(routeTemplate('POST', '/requests')).toBe('/requests');
  expect(routeTemplate('get', '/requests/abc')).toBe('/requests/:id');
  expect(routeTemplate('POST', '/requests/abc/cancel')).toBe('/requests/:id/cancel');
  expect(routeTemplate('POST', '/requests/abc/rating')).toBe('/requests/:id/rating');
  expect(routeTemplate('PATCH', '/requests/abc/rating')).toBe('/requests/:id/rating');
  expect(routeTemplate('PATCH', '/requests/abc/cancel')).toBe('/requests/:id/cancel');
  expect(routeTemplate('GET', '/elsewhere')).toBe('/elsewhere');
});
