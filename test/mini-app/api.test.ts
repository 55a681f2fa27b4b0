// The Mini App's API through HTTP (the real router on the real services), fakes at the edge only:
// identity on every call, what each call costs, ownership, idempotency shared with the chat.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { encodeStartPayload } from '../../lib/deep-link/start-payload.js';
import { lifecycleKey } from '../../lib/requests/idempotency-keys.js';
import { SUBMISSIONS_PER_HOUR } from '../../lib/rate-limit/submission-limiter.js';
import { samplePng } from '../../tools/sandbox/sample-image.js';
import { current, lifecycleCalls, requestsAtBackend } from '../support/lifecycle.js';
import { startMiniAppHarness, type MiniAppHarness } from '../support/mini-app-harness.js';
import { Person } from '../support/person.js';
import { TEST_BOT_TOKEN } from '../support/updates.js';

let h: MiniAppHarness;
let nextUser = 7_200_000;
const person = () => ({ id: ++nextUser, firstName: 'Ada', languageCode: 'en' });
type Body = Record<string, unknown>;

beforeAll(async () => {
  h = await startMiniAppHarness();
}, 60_000);
afterAll(async () => {
  await h?.close();
});

/** A request cancelled by the chat's Yes and the app's Cancel at the same moment (the backend slowed so both are in flight). */
async function cancelInChatAndAppAtOnce(appBody: Body) {
  const ada = person();
  const [request] = await requestsAtBackend(h.harness.backend, ada.id, 1);
  const id = (request as { id: string }).id;
  const chat = new Person(h.harness, h.instance, ada.id);
  await chat.say('/my');
  await chat.tap((request as { number: string }).number);
  await chat.tap('Cancel request');
  h.harness.backend.setRouteLatency('POST /requests/:id/cancel', 300);
  const [, app] = await Promise.all([chat.tap('Yes, cancel it'), h.api(`requests/${id}/cancel`, { initData: h.initData(ada), body: appBody })]);
  h.harness.backend.setRouteLatency('POST /requests/:id/cancel', 0);
  return { ada, id, app };
}

describe('identity', () => {
  test('no initData, forged, another bot\'s, stale: 401 with a clear body, nothing asked of the backend', async () => {
    const ada = person();
    h.harness.backend.resetStats();
    const cases = [
      [null, 'init_data_missing'],
      [h.initData(ada).replace(/hash=[0-9a-f]{4}/, 'hash=0000'), 'init_data_invalid'],
      [h.initData(ada, { token: '999999:ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ' }), 'init_data_invalid'],
      [h.initData(ada, { authDate: new Date(Date.now() - 3601_000) }), 'init_data_expired'],
    ] as const;
    for (const [initData, code] of cases) {
      const answer = await h.api('requests', { initData });
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toBe('tma');
      expect((answer.body as { error: { code: string; message: string } }).error).toMatchObject({ code });
    }
    const missing = await h.api('requests');
    expect((missing.body as { error: { message: string } }).error.message).toContain('Open this from Telegram');
    expect(h.harness.backend.stats.requests).toBe(0);
  });

  test('the page is served with its policy, and the bot token is nowhere the page can read', async () => {
    const html = await fetch(`${h.url}/app`);
    const csp = html.headers.get('content-security-policy') ?? '';
    expect(csp).toBe(h.page.csp);
    expect(csp).toMatch(/^default-src 'none'; script-src 'self' 'sha256-[A-Za-z0-9+/=]{44}' https:\/\/telegram\.org\/js\/telegram-web-app\.js;/);
    const text = await html.text();
    const script = await (await fetch(`${h.url}${h.page.script.path}`)).text();
    const ada = person();
    const [request] = await requestsAtBackend(h.harness.backend, ada.id, 1, { attachments: [{ telegram_file_id: 'some-photo', kind: 'photo' }] });
    const details = await h.api(`requests/${(request as { id: string }).id}`, { initData: h.initData(ada) });
    const secret = TEST_BOT_TOKEN.split(':')[1] as string;
    for (const body of [text, script, JSON.stringify(details.body)]) expect(body).not.toContain(secret);
  });
});

describe('costs', () => {
  test('My requests: one backend call and no more than one Redis round trip', async () => {
    const ada = person();
    await requestsAtBackend(h.harness.backend, ada.id, 3);
    const initData = h.initData(ada);
    h.harness.backend.resetStats();
    h.harness.bridge?.resetStats();
    const logsBefore = h.harness.logs.length;
    const answer = await h.api('requests?filter=all', { initData });
    expect(answer.status).toBe(200);
    expect((answer.body as { items: unknown[] }).items).toHaveLength(3);
    expect(h.harness.backend.stats.requests).toBe(1);
    expect(h.harness.bridge?.stats.requests ?? 0).toBeLessThanOrEqual(1);
    const line = h.harness.logs.slice(logsBefore).find((entry) => entry.msg === 'app call');
    expect(line).toMatchObject({ route: 'GET requests', status: 200, backend_calls: 1 });
    expect(line?.redis_round_trips as number).toBeLessThanOrEqual(1);
  });

  test('the catalogue: the whole tree once, then from the cache; a startapp payload names its service and location', async () => {
    const ada = person();
    const startParam = encodeStartPayload({ typeId: 1, sideId: 10, categoryId: 100, location: 'Building 3, lift B' });
    await h.api('catalog', { initData: h.initData(ada) });
    h.harness.backend.resetStats();
    const answer = await h.api('catalog', { initData: h.initData(ada, { startParam }) });
    expect(h.harness.backend.stats.requests).toBe(0);
    const body = answer.body as { items: { name: string; type: string; side: string }[]; start: unknown };
    expect(body.items.length).toBeGreaterThan(20);
    expect(body.items).toContainEqual(expect.objectContaining({ name: 'Lifts', type: 'Repair', side: 'Business' }));
    expect(body.start).toEqual({ typeId: 1, sideId: 10, categoryId: 100, location: 'Building 3, lift B' });
  });
});

describe('ownership', () => {
  test('another person\'s request: 404 everywhere, nothing sent to the backend', async () => {
    const [theirs] = await requestsAtBackend(h.harness.backend, 7_299_999, 1, { attachments: [{ telegram_file_id: 'their-photo', kind: 'photo' }] });
    const id = (theirs as { id: string }).id;
    const initData = h.initData(person());
    const calls: [string, Body | undefined][] = [
      [`requests/${id}`, undefined],
      [`requests/${id}/comments`, { key: 'abcdefgh12', text: 'Hello' }],
      [`requests/${id}/cancel`, {}],
      [`requests/${id}/rating`, { score: 1 }],
    ];
    for (const [path, body] of calls) {
      const answer = await h.api(path, { initData, ...(body && { body }) });
      expect([path, answer.status]).toEqual([path, 404]);
      expect(JSON.stringify(answer.body)).not.toContain((theirs as { number: string }).number);
    }
    expect(lifecycleCalls(h.harness.backend, id)).toEqual([]);
    expect(current(h.harness.backend, id)?.comments).toEqual([]);
  });

  test('a file link works for its person and request only; altered, it is refused', async () => {
    const ada = person();
    h.harness.telegram.registerFile({ kind: 'photo', bytes: samplePng(), mimeType: 'image/png', fileId: `photo-${ada.id}` });
    const [request] = await requestsAtBackend(h.harness.backend, ada.id, 1, { attachments: [{ telegram_file_id: `photo-${ada.id}`, kind: 'photo' }] });
    const details = await h.api(`requests/${(request as { id: string }).id}`, { initData: h.initData(ada) });
    const url = (details.body as { files: { url: string }[] }).files[0]?.url as string;
    const good = await fetch(`${h.url}${url}`);
    expect(good.status).toBe(200);
    expect(Buffer.from(await good.arrayBuffer()).equals(samplePng())).toBe(true);
    const [body, mac] = url.slice('/api/app/files/'.length).split('.') as [string, string];
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString()) as Body;
    const forged = Buffer.from(JSON.stringify({ ...payload, u: 7_299_999 })).toString('base64url');
    expect((await fetch(`${h.url}/api/app/files/${forged}.${mac}`)).status).toBe(404);
  });
});

describe('idempotency', () => {
  test('a comment sent twice with its key is added once; files only from the person\'s own uploads', async () => {
    const ada = person();
    const [request] = await requestsAtBackend(h.harness.backend, ada.id, 1);
    const id = (request as { id: string }).id;
    const initData = h.initData(ada);
    const upload = await h.api('uploads?name=leak.png&type=image/png', { initData, raw: samplePng() });
    expect(upload.status).toBe(201);
    const token = (upload.body as { token: string }).token;
    // The upload's message left the person's chat at once.
    const calls = h.harness.telegram.calls.filter((call) => Number(call.payload.chat_id) === ada.id).map((call) => call.method);
    expect(calls).toEqual(['sendPhoto', 'deleteMessage']);
    for (let i = 0; i < 2; i++) {
      const answer = await h.api(`requests/${id}/comments`, { initData, body: { key: 'comment-key-1', text: 'Here is the leak', files: [token] } });
      expect(answer.status).toBe(200);
    }
    const comments = current(h.harness.backend, id)?.comments ?? [];
    expect(comments).toHaveLength(1);
    expect(comments[0]?.attachments).toHaveLength(1);
    const someoneElse = await h.api(`requests/${id}/comments`, { initData: h.initData(person()), body: { key: 'comment-key-2', files: [token] } });
    expect(someoneElse.status).toBe(400);
  });

  test('Confirm retried creates one request and tells the chat once; the sixth in an hour is refused', async () => {
    const ada = person();
    const initData = h.initData(ada);
    const body = { draft_id: 'draft-0001-abc', request_type_id: 1, side_id: 10, category_id: 100, description: 'The kitchen tap drips all night long' };
    const first = await h.api('requests', { initData, body });
    const again = await h.api('requests', { initData, body });
    expect([first.status, again.status]).toEqual([201, 200]);
    expect((again.body as { number: string }).number).toBe((first.body as { number: string }).number);
    expect(h.harness.backend.requests().filter((request) => request.telegram.user_id === ada.id)).toHaveLength(1);
    const told = h.harness.telegram.messagesOf(ada.id).filter((message) => String(message.text).includes('created in the app'));
    expect(told).toHaveLength(1);
    const keyboard = (told[0]?.reply_markup as { inline_keyboard: { text: string; web_app?: { url: string } }[][] }).inline_keyboard.flat();
    expect(keyboard.map((button) => button.text)).toEqual([`🔎 View ${(first.body as { number: string }).number}`, '📱 Open in the app']);
    expect(keyboard[1]?.web_app?.url).toBe(`${h.url}/app?request=${(first.body as { id: string }).id}`);

    const statuses: number[] = [];
    for (let i = 2; i <= SUBMISSIONS_PER_HOUR; i++) statuses.push((await h.api('requests', { initData, body: { ...body, draft_id: `draft-000${i}-abc` } })).status);
    const over = await h.api('requests', { initData, body: { ...body, draft_id: 'draft-0009-abc' } });
    expect([...statuses, over.status]).toEqual([201, 201, 201, 201, 429]);
    expect((over.body as { error: { code: string } }).error.code).toBe('rate_limited');
  });

  test('Solved and Still a problem send the chat\'s keys: reopening names the resolution it refuses', async () => {
    const ada = person();
    const [first, second] = await requestsAtBackend(h.harness.backend, ada.id, 2);
    const initData = h.initData(ada);
    for (const request of [first, second]) await h.harness.backend.setStatus((request as { id: string }).id, 'resolved', 'Fixed');
    const reopened = await h.api(`requests/${(first as { id: string }).id}/reopen`, { initData, body: { reason: 'Still drips at night' } });
    expect(reopened.status).toBe(200);
    expect((reopened.body as { status: string }).status).toBe('in_progress');
    const [reopen] = lifecycleCalls(h.harness.backend, (first as { id: string }).id, { action: 'reopen' });
    expect(reopen?.key).toMatch(new RegExp(`^${lifecycleKey(ada.id, 'reopen', (first as { id: string }).id)}-[0-9a-z]+$`));
    const confirmed = await h.api(`requests/${(second as { id: string }).id}/confirm`, { initData, body: {} });
    expect((confirmed.body as { status: string; actions: { rate: boolean } })).toMatchObject({ status: 'closed', actions: { rate: true } });
    expect(lifecycleCalls(h.harness.backend, (second as { id: string }).id, { action: 'confirm' }).map((call) => call.key)).toEqual([lifecycleKey(ada.id, 'confirm', (second as { id: string }).id)]);
    // Not resolved any more: a second Still a problem is refused with the request as it stands.
    const again = await h.api(`requests/${(first as { id: string }).id}/reopen`, { initData, body: { reason: 'And again' } });
    expect(again.status).toBe(409);
    expect((again.body as { error: { code: string } }).error.code).toBe('not_allowed');
  });

  test('the same cancel from the chat and the app at once reaches the backend with one key and acts once', async () => {
    const { ada, id, app } = await cancelInChatAndAppAtOnce({});
    expect(app.status).toBe(200);
    const calls = lifecycleCalls(h.harness.backend, id, { action: 'cancel' });
    expect(calls.map((call) => call.key)).toEqual([lifecycleKey(ada.id, 'cancel', id), lifecycleKey(ada.id, 'cancel', id)]);
    expect(calls.map((call) => call.outcome).sort()).toEqual(['applied', 'replayed']);
  });

  test('the chat cancels at the tap while the app cancels with a reason: one act under one body, the reason attached after it', async () => {
    const { id, app } = await cancelInChatAndAppAtOnce({ reason: 'Fixed it myself' });
    expect(app.status).toBe(200);
    expect(lifecycleCalls(h.harness.backend, id, { action: 'cancel' }).map((call) => call.outcome).sort()).toEqual(['applied', 'replayed']);
    expect(lifecycleCalls(h.harness.backend, id, { action: 'cancel-reason' }).map((call) => call.outcome)).toEqual(['applied']);
    expect(current(h.harness.backend, id)?.status_history.at(-1)).toMatchObject({ status: 'cancelled', comment: 'Fixed it myself' });
  });

  test('a rating comment written in the app after the chat\'s star is attached to that rating, not dropped', async () => {
    const ada = person();
    const [request] = await requestsAtBackend(h.harness.backend, ada.id, 1);
    const id = (request as { id: string }).id;
    await h.harness.backend.setStatus(id, 'closed', 'Done');
    const chat = new Person(h.harness, h.instance, ada.id);
    await chat.say('/my');
    await chat.tap((request as { number: string }).number);
    await chat.tap('5⭐');
    // The app's screen still offered the stars: its rating and comment arrive after the chat's.
    const app = await h.api(`requests/${id}/rating`, { initData: h.initData(ada), body: { score: 4, comment: 'Quick and tidy' } });
    expect(app.status).toBe(200);
    expect(current(h.harness.backend, id)?.rating).toMatchObject({ score: 5, comment: 'Quick and tidy' });
    expect((app.body as { rating: unknown }).rating).toEqual({ score: 5, comment: 'Quick and tidy' });
    // Sent again (a retry of the page): attached once.
    await h.api(`requests/${id}/rating`, { initData: h.initData(ada), body: { score: 4, comment: 'Quick and tidy' } });
    expect(lifecycleCalls(h.harness.backend, id, { action: 'rating-comment', outcome: 'applied' })).toHaveLength(1);
  });
});
