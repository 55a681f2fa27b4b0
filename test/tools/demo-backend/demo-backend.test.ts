import { Agent } from 'undici';
import * as v from 'valibot';
import { afterEach, describe, expect, test, vi } from 'vitest';
import {
  CreatedRequestSchema,
  ErrorBodySchema,
  RequestDetailsSchema,
  RequestPageSchema,
  RequestSummaryListSchema,
  RequestTypeListSchema,
  ServiceCategoryListSchema,
  SideListSchema,
  StatusNotificationSchema,
  type NewRequest,
  type StatusNotification,
} from '../../../lib/backend/schemas.js';
import { createDemoCatalogue } from '../../../tools/demo-backend/catalogue.js';
import { createRequestStore } from '../../../tools/demo-backend/request-store.js';
import { startDemoBackend, type DemoBackend, type DemoBackendOptions } from '../../../tools/demo-backend/server.js';
import { createStatusAdvancer } from '../../../tools/demo-backend/status-advancer.js';

const API_KEY = 'demo-key-for-tests-3b1f';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function demo(options: DemoBackendOptions = {}): Promise<DemoBackend> {
  const backend = await startDemoBackend(options);
  cleanups.push(() => backend.close());
  return backend;
}

function body(overrides: Partial<NewRequest> = {}): NewRequest {
  return {
    request_type_id: 1,
    side_id: 10,
    category_id: 100,
    description: 'No hot water since Monday.',
    telegram: { user_id: 1001, chat_id: 1001 },
    ...overrides,
  };
}

async function call(
  backend: DemoBackend,
  path: string,
  init: { method?: string; body?: unknown; key?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; json: unknown; headers: Headers }> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.key !== undefined) headers['idempotency-key'] = init.key;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${backend.url}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers,
    body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
  });
  const text = await response.text();
  return { status: response.status, json: text === '' ? undefined : JSON.parse(text), headers: response.headers };
}

/** Node's fetch takes undici 7's Agent; only the type declarations differ. */
function viaAgent(agent: Agent): RequestInit {
  return { dispatcher: agent as unknown as RequestInit['dispatcher'] };
}

/** Checks the contract's error shape and returns its code. */
function errorCode(json: unknown): string {
  return v.parse(ErrorBodySchema, json).error.code;
}

describe('catalogue', () => {
  test('sizes', async () => {
    const backend = await demo();
    const types = v.parse(RequestTypeListSchema, (await call(backend, '/request-types')).json);
    expect(types.map((type) => type.name)).toEqual(['Repair', 'Installation', 'Consultation']);
    const categoryIds = new Set<number>();
    for (const type of types) {
      const sides = v.parse(SideListSchema, (await call(backend, `/request-types/${type.id}/sides`)).json);
      expect(sides.map((side) => side.name)).toEqual(['Individual', 'Business']);
      for (const side of sides) {
        const answer = await call(backend, `/service-categories?request_type_id=${type.id}&side_id=${side.id}`);
        const categories = v.parse(ServiceCategoryListSchema, answer.json);
        expect(categories.length).toBeGreaterThanOrEqual(3);
        for (const category of categories) categoryIds.add(category.id);
      }
    }
    const repairIndividual = (await call(backend, '/service-categories?request_type_id=1&side_id=10')).json;
    expect(repairIndividual).toHaveLength(11);
    // Ids are unique across the catalogue, so a category id alone names one category.
    expect(categoryIds.size).toBe(28);
  });

  test('findCategory checks type and side', () => {
    const catalogue = createDemoCatalogue();
    expect(catalogue.findCategory(1, 10, 100)?.name).toBe('Plumbing');
    expect(catalogue.findCategory(1, 20, 100)).toBeUndefined();
    expect(catalogue.listSides(99)).toBeUndefined();
  });

  test('status code 404', async () => {
    const backend = await demo();
    for (const path of [
      '/request-types/99/sides',
      '/request-types/abc/sides',
      '/service-categories?request_type_id=1&side_id=30',
      '/requests/no-such-id',
      '/nowhere',
    ]) {
      const answer = await call(backend, path);
      expect(answer.status, path).toBe(404);
      expect(errorCode(answer.json)).toBe('not_found');
    }
  });

  test('status code 400 on a bad query', async () => {
    const backend = await demo();
    for (const path of [
      '/service-categories?request_type_id=1',
      '/service-categories?request_type_id=x&side_id=10',
      '/requests',
      '/requests?telegram_user_id=-5',
      '/requests?telegram_user_id=5&limit=0',
      '/requests?telegram_user_id=5&limit=500',
    ]) {
      const answer = await call(backend, path);
      expect(answer.status, path).toBe(400);
      expect(errorCode(answer.json)).toBe('invalid_query');
    }
  });

  test('status code 405', async () => {
    const backend = await demo();
    const answer = await call(backend, '/request-types', { method: 'DELETE' });
    expect(answer.status).toBe(405);
    expect(answer.headers.get('allow')).toBe('GET');
    expect(errorCode(answer.json)).toBe('method_not_allowed');
  });
});

describe('languages (Accept-Language)', () => {
  test('the catalogue, a request and its status comments in Russian; English otherwise', async () => {
    const backend = await demo();
    const ru = { 'accept-language': 'ru-RU,ru;q=0.9,en;q=0.5' };
    const types = v.parse(RequestTypeListSchema, (await call(backend, '/request-types', { headers: ru })).json);
    expect(types.map((type) => type.name)).toEqual(['Ремонт', 'Установка', 'Консультация']);
    expect(v.parse(SideListSchema, (await call(backend, '/request-types/1/sides', { headers: ru })).json).map((side) => side.name)).toEqual(['Частное лицо', 'Организация']);
    const categories = v.parse(ServiceCategoryListSchema, (await call(backend, '/service-categories?request_type_id=1&side_id=10', { headers: ru })).json);
    expect(categories[0]).toEqual({ id: 100, name: 'Сантехника', description: expect.stringContaining('Протечки') });
    for (const other of [{ 'accept-language': 'de-DE' }, {}, { 'accept-language': 'en;q=0.9, ru;q=0.1' }] as Record<string, string>[]) {
      expect(v.parse(RequestTypeListSchema, (await call(backend, '/request-types', { headers: other })).json)[0]?.name).toBe('Repair');
    }
    const created = v.parse(CreatedRequestSchema, (await call(backend, '/requests', { body: body({ telegram: { user_id: 1001, chat_id: 1001, language_code: 'ru' } }), key: 'k' })).json);
    const [moved] = await backend.advanceStatuses();
    expect(moved?.comment).toBe('Назначен специалист по вашей заявке.');
    const details = v.parse(RequestDetailsSchema, (await call(backend, `/requests/${created.id}`, { headers: ru })).json);
    expect(details).toMatchObject({ category_name: 'Сантехника', request_type_name: 'Ремонт', side_name: 'Частное лицо' });
    expect(details.status_history.at(-1)?.comment).toBe('Назначен специалист по вашей заявке.');
    const english = v.parse(RequestDetailsSchema, (await call(backend, `/requests/${created.id}`)).json);
    expect(english.category_name).toBe('Plumbing');
    expect(english.status_history.at(-1)?.comment).toBe('A specialist has been assigned to your request.');
    const list = v.parse(RequestPageSchema, (await call(backend, '/requests?telegram_user_id=1001', { headers: ru })).json);
    expect(list.items[0]?.category_name).toBe('Сантехника');
  });
});

describe('requests', () => {
  test('idempotency', async () => {
    const backend = await demo();
    const first = await call(backend, '/requests', { body: body(), key: 'k1' });
    const again = await call(backend, '/requests', { body: body(), key: 'k1' });
    const other = await call(backend, '/requests', { body: body(), key: 'k2' });
    expect([first.status, again.status, other.status]).toEqual([201, 200, 201]);
    const created = v.parse(CreatedRequestSchema, first.json);
    expect(created).toMatchObject({ number: 'SR-1001', status: 'new' });
    expect(again.json).toEqual(first.json);
    expect(v.parse(CreatedRequestSchema, other.json).number).toBe('SR-1002');
    expect(backend.requests()).toHaveLength(2);
  });

  test('status code 409 when a key is reused with another body', async () => {
    const backend = await demo();
    await call(backend, '/requests', { body: body(), key: 'k1' });
    const answer = await call(backend, '/requests', { body: body({ description: 'Something else' }), key: 'k1' });
    expect(answer.status).toBe(409);
    expect(errorCode(answer.json)).toBe('idempotency_conflict');
  });

  test('status code 400 on a bad body', async () => {
    const backend = await demo();
    const cases: [string, unknown, string | undefined, string][] = [
      ['invalid JSON', '{"request_type_id": ', 'k', 'invalid_json'],
      ['empty object', {}, 'k', 'invalid_request'],
      ['blank description', body({ description: '  ' }), 'k', 'invalid_request'],
      ['zero id', body({ category_id: 0 }), 'k', 'invalid_request'],
      ['no telegram', { ...body(), telegram: undefined }, 'k', 'invalid_request'],
      ['bad attachment', body({ attachments: [{ telegram_file_id: '', kind: 'photo' }] }), 'k', 'invalid_request'],
      ['no idempotency key', body(), undefined, 'missing_idempotency_key'],
    ];
    for (const [name, payload, key, code] of cases) {
      const answer = await call(backend, '/requests', { body: payload, key });
      expect(answer.status, name).toBe(400);
      expect(errorCode(answer.json), name).toBe(code);
    }
    expect(backend.requests()).toEqual([]);
  });

  test('status code 422 for a category of another side', async () => {
    const backend = await demo();
    const answer = await call(backend, '/requests', { body: body({ side_id: 20 }), key: 'k' });
    expect(answer.status).toBe(422);
    expect(errorCode(answer.json)).toBe('unknown_category');
  });

  test('status code 413', async () => {
    const backend = await demo();
    const answer = await call(backend, '/requests', { body: body({ description: 'x'.repeat(70_000) }), key: 'k' });
    expect(answer.status).toBe(413);
  });

  test('listing: newest first, limit, own requests only', async () => {
    const backend = await demo();
    for (const key of ['a', 'b', 'c']) await call(backend, '/requests', { body: body(), key });
    await call(backend, '/requests', { body: body({ telegram: { user_id: 2002, chat_id: 2002 } }), key: 'd' });

    const all = v.parse(RequestPageSchema, (await call(backend, '/requests?telegram_user_id=1001')).json);
    expect(all.items.map((request) => request.number)).toEqual(['SR-1003', 'SR-1002', 'SR-1001']);
    expect(all.items[0]?.category_name).toBe('Plumbing');
    expect(all.nextCursor).toBeUndefined();
    const two = v.parse(RequestPageSchema, (await call(backend, '/requests?telegram_user_id=1001&limit=2')).json);
    expect(two.items).toHaveLength(2);
    expect((await call(backend, '/requests?telegram_user_id=3003')).json).toEqual({ items: [], next_cursor: null });
  });

  test('listing without paging (listAnswer: array) is the plain array', async () => {
    const backend = await demo({ listAnswer: 'array' });
    for (const key of ['a', 'b', 'c']) await call(backend, '/requests', { body: body(), key });
    const all = v.parse(RequestSummaryListSchema, (await call(backend, '/requests?telegram_user_id=1001&limit=2&cursor=whatever')).json);
    expect(all.map((request) => request.number)).toEqual(['SR-1003', 'SR-1002']);
  });

  test('paging: 25 requests in pages of 10 by cursor, nothing repeated or skipped; open only', async () => {
    for (const longCursors of [false, true]) {
      const backend = await demo({ longCursors });
      for (let i = 0; i < 25; i++) await call(backend, '/requests', { body: body(), key: `k${i}` });
      const seen: string[] = [];
      const cursors: string[] = [];
      let cursor: string | undefined;
      do {
        const query = `/requests?telegram_user_id=1001&limit=10${cursor === undefined ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
        const page = v.parse(RequestPageSchema, (await call(backend, query)).json);
        seen.push(...page.items.map((request) => request.number));
        cursor = page.nextCursor;
        if (cursor !== undefined) cursors.push(cursor);
      } while (cursor !== undefined);
      expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `SR-${1025 - i}`));
      expect(cursors).toHaveLength(2);
      for (const c of cursors) expect(c.length > 64).toBe(longCursors);
      expect((await call(backend, '/requests?telegram_user_id=1001&cursor=bogus')).status).toBe(400);

      const [newest] = backend.requests().filter((request) => request.number === 'SR-1025');
      await backend.setStatus(newest?.id ?? '', 'rejected');
      const open = v.parse(RequestPageSchema, (await call(backend, '/requests?telegram_user_id=1001&limit=50&status=open')).json);
      expect(open.items.map((request) => request.number)).not.toContain('SR-1025');
      expect(open.items).toHaveLength(24);
      expect((await call(backend, '/requests?telegram_user_id=1001&status=closed')).status).toBe(400);
    }
  });

  test('details', async () => {
    const backend = await demo();
    const created = v.parse(CreatedRequestSchema, (await call(backend, '/requests', { body: body(), key: 'k' })).json);
    const answer = await call(backend, `/requests/${created.id}`);
    expect(answer.status).toBe(200);
    // History comments go out as null, the way a JSON backend sends "no comment".
    expect(answer.json).toMatchObject({ status_history: [{ status: 'new', at: created.created_at, comment: null }] });
    const details = v.parse(RequestDetailsSchema, answer.json);
    expect(details).toMatchObject({
      id: created.id,
      number: 'SR-1001',
      request_type_name: 'Repair',
      side_name: 'Individual',
      category_name: 'Plumbing',
      description: 'No hot water since Monday.',
    });
  });
});

describe('server', () => {
  test('status code 401', async () => {
    const backend = await demo({ apiKey: API_KEY });
    const missing = await call(backend, '/request-types');
    const wrong = await call(backend, '/request-types', { headers: { authorization: 'Bearer nope' } });
    const right = await call(backend, '/request-types', { headers: { authorization: `Bearer ${API_KEY}` } });
    expect([missing.status, wrong.status, right.status]).toEqual([401, 401, 200]);
    expect(errorCode(missing.json)).toBe('unauthorized');
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
  });

  test('stats and resetStats', async () => {
    const backend = await demo();
    const agent = new Agent({ connections: 1 });
    cleanups.push(() => agent.close());
    for (const path of ['/request-types', '/request-types/1/sides', '/nowhere']) {
      const response = await fetch(`${backend.url}${path}`, viaAgent(agent));
      await response.text();
    }
    expect(backend.stats).toEqual({
      requests: 3,
      connections: 1,
      byRoute: { 'GET /request-types': 1, 'GET /request-types/:id/sides': 1, unmatched: 1 },
    });
    backend.resetStats();
    expect(backend.stats).toEqual({ requests: 0, connections: 0, byRoute: {} });
  });

  test('connection latency only on a new connection', async () => {
    const backend = await demo({ connectionLatencyMs: 150 });
    const agent = new Agent({ connections: 1 });
    cleanups.push(() => agent.close());
    const timed = async () => {
      const started = performance.now();
      await (await fetch(`${backend.url}/request-types`, viaAgent(agent))).text();
      return performance.now() - started;
    };
    expect(await timed()).toBeGreaterThanOrEqual(140);
    expect(await timed()).toBeLessThan(100);
  });

  test('latency on every request', async () => {
    const backend = await demo({ latencyMs: 60 });
    for (let i = 0; i < 2; i += 1) {
      const started = performance.now();
      await call(backend, '/request-types');
      expect(performance.now() - started).toBeGreaterThanOrEqual(55);
    }
  });

  test('faults', async () => {
    const backend = await demo();
    backend.setFault('GET /request-types', '500', 1);
    expect((await call(backend, '/request-types')).status).toBe(500);
    expect((await call(backend, '/request-types')).status).toBe(200);

    backend.setFault('*', 'wrong-shape');
    expect((await call(backend, '/request-types/1/sides')).json).toEqual({ data: 'not what the contract says' });
    backend.setFault('*', 'none');

    backend.setFault('GET /request-types', 'malformed-json');
    const response = await fetch(`${backend.url}/request-types`);
    expect(response.status).toBe(200);
    await expect(response.json()).rejects.toThrow(SyntaxError);
    backend.setFault('GET /request-types', 'none');

    backend.setFault('GET /request-types', 'refuse', 1);
    await expect(fetch(`${backend.url}/request-types`)).rejects.toThrow(TypeError);

    backend.setFault('POST /requests', 'fail-after-create', 1);
    const lost = await call(backend, '/requests', { body: body(), key: 'k' });
    expect(lost.status).toBe(500);
    expect(backend.requests()).toHaveLength(1);
  });

  test('timeout fault holds the answer until close', async () => {
    const backend = await startDemoBackend();
    backend.setFault('GET /request-types', 'timeout');
    const pending = fetch(`${backend.url}/request-types`).then(
      () => 'answered',
      () => 'dropped',
    );
    const early = await Promise.race([pending, new Promise((resolve) => setTimeout(resolve, 200, 'waiting'))]);
    expect(early).toBe('waiting');
    await backend.close();
    expect(await pending).toBe('dropped');
  });
});

describe('lifecycle', () => {
  async function created(backend: DemoBackend, overrides: Partial<NewRequest> = {}) {
    return v.parse(CreatedRequestSchema, (await call(backend, '/requests', { body: body(overrides), key: `create-${Math.random()}` })).json);
  }
  const me = { telegram_user_id: 1001 };

  test('cancel: once per key, only the owner, only while open; the answer is the request after it', async () => {
    const backend = await demo();
    const request = await created(backend);
    const path = `/requests/${request.id}/cancel`;
    expect((await call(backend, path, { body: me })).status).toBe(400); // no key
    expect((await call(backend, path, { body: { telegram_user_id: 2002 }, key: 'x' })).status).toBe(404);
    const first = await call(backend, path, { body: { ...me, reason: 'Fixed it myself' }, key: 'c1' });
    expect(first.status).toBe(200);
    const details = v.parse(RequestDetailsSchema, first.json);
    expect(details.status).toBe('cancelled');
    expect(details.status_history.at(-1)).toMatchObject({ status: 'cancelled', comment: 'Fixed it myself' });
    expect((await call(backend, path, { body: { ...me, reason: 'Fixed it myself' }, key: 'c1' })).status).toBe(200);
    const conflict = await call(backend, path, { body: me, key: 'c1' });
    expect(conflict.status).toBe(409);
    expect(v.parse(ErrorBodySchema, conflict.json).error.code).toBe('idempotency_conflict');
    const again = await call(backend, path, { body: me, key: 'c2' });
    expect(v.parse(ErrorBodySchema, again.json).error.code).toBe('invalid_status');
    expect(backend.lifecycleLog().map((entry) => entry.outcome)).toEqual(['not-found', 'applied', 'replayed', 'refused', 'refused']);
  });

  test('resolved → confirm closes; rating once (201, then 409 already_rated)', async () => {
    const backend = await demo();
    const request = await created(backend);
    expect(v.parse(ErrorBodySchema, (await call(backend, `/requests/${request.id}/confirm`, { body: me, key: 'f0' })).json).error.code).toBe('invalid_status');
    await backend.resolveNewest(1001);
    expect((await call(backend, `/requests/${request.id}/confirm`, { body: me, key: 'f1' })).status).toBe(200);
    expect(backend.requests()[0]?.status).toBe('closed');
    const rated = await call(backend, `/requests/${request.id}/rating`, { body: { ...me, score: 4, comment: 'Quick' }, key: 'r1' });
    expect(rated.status).toBe(201);
    expect(v.parse(RequestDetailsSchema, rated.json).rating).toEqual({ score: 4, comment: 'Quick', at: expect.any(String) });
    expect((await call(backend, `/requests/${request.id}/rating`, { body: { ...me, score: 4, comment: 'Quick' }, key: 'r1' })).status).toBe(200);
    const second = await call(backend, `/requests/${request.id}/rating`, { body: { ...me, score: 1 }, key: 'r2' });
    expect(second.status).toBe(409);
    expect(v.parse(ErrorBodySchema, second.json).error.code).toBe('already_rated');
    expect((await call(backend, `/requests/${request.id}/rating`, { body: { ...me, score: 6 }, key: 'r3' })).status).toBe(400);
  });

  test('reopen: text or photo, back to in progress, until the limit (409 reopen_limit)', async () => {
    const backend = await demo({ maxReopens: 1 });
    const request = await created(backend);
    await backend.resolveNewest(1001);
    expect((await call(backend, `/requests/${request.id}/reopen`, { body: me, key: 'o0' })).status).toBe(400); // neither reason nor photo
    const photo = { ...me, attachments: [{ telegram_file_id: 'photo-1', kind: 'photo' }] };
    const reopened = v.parse(RequestDetailsSchema, (await call(backend, `/requests/${request.id}/reopen`, { body: photo, key: 'o1' })).json);
    expect(reopened.status).toBe('in_progress');
    // The photo belongs to the reopening (its entry in the history), not to what was submitted.
    expect(reopened.attachments).toEqual([]);
    expect(reopened.status_history.at(-1)?.attachments).toEqual([{ telegram_file_id: 'photo-1', kind: 'photo' }]);
    await backend.resolveNewest(1001);
    const limited = await call(backend, `/requests/${request.id}/reopen`, { body: { ...me, reason: 'Still dripping' }, key: 'o2' });
    expect(limited.status).toBe(409);
    expect(v.parse(ErrorBodySchema, limited.json).error.code).toBe('reopen_limit');
  });

  test('follow-ups (PATCH): a reason on a cancelled request, a comment on a rating; same idempotency rules', async () => {
    const backend = await demo();
    const request = await created(backend);
    const cancel = `/requests/${request.id}/cancel`;
    const patch = (path: string, patchBody: unknown, key?: string) => call(backend, path, { method: 'PATCH', body: patchBody, ...(key !== undefined && { key }) });
    expect(errorCode((await patch(cancel, { ...me, reason: 'Too early' }, 'p0')).json)).toBe('invalid_status');
    expect((await call(backend, cancel, { body: me, key: 'c1' })).status).toBe(200);
    expect((await patch(cancel, { ...me, reason: 'No key' })).status).toBe(400);
    expect((await patch(cancel, { telegram_user_id: 2002, reason: 'Not mine' }, 'p1')).status).toBe(404);
    expect((await patch(cancel, me, 'p1b')).status).toBe(400); // a reason is what it attaches
    const reason = await patch(cancel, { ...me, reason: 'Fixed it myself' }, 'p2');
    expect(reason.status).toBe(200);
    const details = v.parse(RequestDetailsSchema, reason.json);
    expect(details.status).toBe('cancelled');
    expect(details.status_history.filter((entry) => entry.status === 'cancelled')).toEqual([{ status: 'cancelled', at: expect.any(String), comment: 'Fixed it myself' }]);
    expect((await patch(cancel, { ...me, reason: 'Fixed it myself' }, 'p2')).status).toBe(200);
    expect(errorCode((await patch(cancel, { ...me, reason: 'Another one' }, 'p2')).json)).toBe('idempotency_conflict');

    const other = await created(backend);
    await backend.resolveNewest(1001);
    const rating = `/requests/${other.id}/rating`;
    expect(errorCode((await patch(rating, { ...me, comment: 'Quick' }, 'q0')).json)).toBe('not_rated');
    expect((await call(backend, rating, { body: { ...me, score: 4 }, key: 'r1' })).status).toBe(201);
    const commented = await patch(rating, { ...me, comment: 'Quick' }, 'q1');
    expect(commented.status).toBe(200);
    expect(v.parse(RequestDetailsSchema, commented.json).rating).toEqual({ score: 4, comment: 'Quick', at: expect.any(String) });
    expect((await patch(rating, { ...me, comment: 'Quick' }, 'q1')).status).toBe(200);
    expect(backend.lifecycleLog().map((entry) => [entry.action, entry.outcome])).toEqual([
      ['cancel-reason', 'refused'],
      ['cancel', 'applied'],
      ['cancel-reason', 'not-found'],
      ['cancel-reason', 'applied'],
      ['cancel-reason', 'replayed'],
      ['cancel-reason', 'refused'],
      ['rating-comment', 'refused'],
      ['rating', 'applied'],
      ['rating-comment', 'applied'],
      ['rating-comment', 'replayed'],
    ]);
  });

  test('followUps: false answers them 405, as a backend written before them; commentsWhenClosed lets comments in', async () => {
    const backend = await demo({ followUps: false, commentsWhenClosed: true });
    const request = await created(backend);
    expect((await call(backend, `/requests/${request.id}/cancel`, { body: me, key: 'c1' })).status).toBe(200);
    const refused = await call(backend, `/requests/${request.id}/cancel`, { method: 'PATCH', body: { ...me, reason: 'x' }, key: 'p1' });
    expect(refused.status).toBe(405);
    expect(refused.headers.get('allow')).toBe('POST');
    const comment = await call(backend, `/requests/${request.id}/comments`, { body: { ...me, text: 'Why I cancelled' }, key: 'k1' });
    expect(comment.status).toBe(201);
  });

  test('location travels with a new request', async () => {
    const backend = await demo();
    const request = await created(backend, { location: 'Building 3, lift B' });
    expect(v.parse(RequestDetailsSchema, (await call(backend, `/requests/${request.id}`)).json).location).toBe('Building 3, lift B');
    expect((await call(backend, '/requests', { body: body({ location: 'x'.repeat(33) }), key: 'long' })).status).toBe(400);
  });
});

describe('status advancing', () => {
  test('new → in_progress → resolved after each period', async () => {
    let clock = Date.parse('2025-03-01T10:00:00.000Z');
    const store = createRequestStore({ now: () => new Date(clock) });
    const seen: StatusNotification[] = [];
    const advancer = createStatusAdvancer({
      store,
      everyMs: 60_000,
      now: () => clock,
      onStatusChange: (notification) => void seen.push(notification),
    });
    const { request } = store.create(body(), 'k', { requestTypeName: 'Repair', sideName: 'Individual', categoryName: 'Plumbing' });

    clock += 59_999;
    expect(await advancer.tick()).toEqual([]);
    clock += 1;
    expect(await advancer.tick()).toHaveLength(1);
    expect(store.get(request.id)?.status).toBe('in_progress');
    expect(await advancer.tick()).toEqual([]);
    clock += 60_000;
    await advancer.tick();
    clock += 600_000;
    expect(await advancer.tick()).toEqual([]);

    expect(seen.map((notification) => v.parse(StatusNotificationSchema, notification))).toEqual([
      {
        event_id: `status:${request.id}:2`,
        kind: 'status',
        request_id: request.id,
        number: 'SR-1001',
        status: 'in_progress',
        telegram_user_id: 1001,
        comment: 'A specialist has been assigned to your request.',
      },
      expect.objectContaining({ event_id: `status:${request.id}:3`, status: 'resolved', telegram_user_id: 1001 }),
    ]);
    expect(store.get(request.id)?.status_history.map((entry) => entry.status)).toEqual(['new', 'in_progress', 'resolved']);
    expect(store.get(request.id)?.updated_at).toBe('2025-03-01T10:02:00.000Z');
  });

  test('a failing onStatusChange keeps the change', async () => {
    const store = createRequestStore();
    const onError = vi.fn();
    const advancer = createStatusAdvancer({
      store,
      everyMs: 1,
      onStatusChange: () => Promise.reject(new Error('bot is down')),
      onError,
    });
    const { request } = store.create(body(), 'k', { requestTypeName: 'R', sideName: 'S', categoryName: 'C' });
    await advancer.advanceAll();
    expect(store.get(request.id)?.status).toBe('in_progress');
    expect(onError).toHaveBeenCalledWith(expect.any(Error), expect.objectContaining({ status: 'in_progress' }));
  });

  test('fake timers: the interval advances and stop ends it', async () => {
    vi.useFakeTimers();
    try {
      const store = createRequestStore();
      const onStatusChange = vi.fn();
      const advancer = createStatusAdvancer({ store, everyMs: 1_000, onStatusChange });
      store.create(body(), 'k', { requestTypeName: 'R', sideName: 'S', categoryName: 'C' });
      advancer.start();
      await vi.advanceTimersByTimeAsync(999);
      expect(onStatusChange).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(1_000);
      expect(onStatusChange).toHaveBeenCalledTimes(1);
      advancer.stop();
      await vi.advanceTimersByTimeAsync(10_000);
      expect(onStatusChange).toHaveBeenCalledTimes(1);
    } finally {
      vi.useRealTimers();
    }
  });

  test('the server calls onStatusChange', async () => {
    const seen: StatusNotification[] = [];
    const backend = await demo({ advanceEveryMs: 40, onStatusChange: (notification) => void seen.push(notification) });
    const created = v.parse(CreatedRequestSchema, (await call(backend, '/requests', { body: body(), key: 'k' })).json);
    await vi.waitFor(() => expect(seen.map((notification) => notification.status)).toEqual(['in_progress', 'resolved']), {
      timeout: 2_000,
      interval: 20,
    });
    const details = v.parse(RequestDetailsSchema, (await call(backend, `/requests/${created.id}`)).json);
    expect(details.status).toBe('resolved');
    expect(details.status_history.map((entry) => entry.comment)).toEqual([
      undefined,
      'A specialist has been assigned to your request.',
      expect.stringContaining('The work is done'),
    ]);
  });

  test('advanceStatuses moves every open request now', async () => {
    const backend = await demo();
    await call(backend, '/requests', { body: body(), key: 'a' });
    await call(backend, '/requests', { body: body(), key: 'b' });
    const changes = await backend.advanceStatuses();
    expect(changes.map((change) => [change.number, change.status])).toEqual([
      ['SR-1001', 'in_progress'],
      ['SR-1002', 'in_progress'],
    ]);
  });
});
