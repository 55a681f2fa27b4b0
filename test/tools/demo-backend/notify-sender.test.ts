// The backend side of POST /api/notify against a real loopback server that answers from a script:
// retries on 429/503 no sooner than Retry-After, on a lost answer after a short wait, bounded.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createNotifySender, retryAfterMs, type NotifySenderOptions } from '../../../tools/demo-backend/notify-sender.js';
import { closeServer, listen, readBody } from '../../support/http.js';

type Step = { status: number; retryAfter?: string; body?: unknown } | 'drop';

let url: string;
let script: Step[] = [];
const received: { authorization: string | undefined; body: unknown }[] = [];
const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  void readBody(req).then((raw) => {
    received.push({ authorization: req.headers.authorization, body: JSON.parse(raw.toString('utf8')) as unknown });
    const step = script.shift() ?? { status: 200, body: { delivered: true } };
    // The bot did the work but the answer is lost on the way back.
    if (step === 'drop') return void req.socket.destroy();
    res.writeHead(step.status, { 'content-type': 'application/json', ...(step.retryAfter !== undefined && { 'retry-after': step.retryAfter }) });
    res.end(JSON.stringify(step.body ?? {}));
  });
});

beforeAll(async () => {
  url = await listen(server);
});
afterAll(() => closeServer(server));
beforeEach(() => {
  script = [];
  received.length = 0;
});

const event = { event_id: 'evt-1', kind: 'status', request_id: 'r1', number: 'SR-1', status: 'resolved', telegram_user_id: 5 };

function sender(options: Partial<NotifySenderOptions> = {}) {
  const waits: number[] = [];
  const notify = createNotifySender({
    url,
    secret: 's3cret',
    random: () => 0.5,
    sleep: async (ms) => void waits.push(ms),
    ...options,
  });
  return { notify, waits };
}

describe('createNotifySender', () => {
  test('delivered at once: one POST with the secret and the event', async () => {
    const { notify, waits } = sender();
    const result = await notify.send(event);
    expect(result).toEqual({ ok: true, status: 200, body: { delivered: true }, attempts: 1, retries: { rateLimited: 0, unavailable: 0, network: 0 } });
    expect(received).toEqual([{ authorization: 'Bearer s3cret', body: event }]);
    expect(waits).toEqual([]);
  });

  test('429 and 503: waits Retry-After (plus jitter), the same event_id every time', async () => {
    script = [{ status: 429, retryAfter: '3' }, { status: 503, retryAfter: '1' }, { status: 503 }];
    const { notify, waits } = sender({ jitter: 0.2 });
    const result = await notify.send(event);
    expect(result).toMatchObject({ ok: true, status: 200, attempts: 4, retries: { rateLimited: 1, unavailable: 2, network: 0 } });
    expect(waits).toEqual([3300, 1100, 1100]); // a 503 without Retry-After waits a second
    expect(received.map((r) => (r.body as typeof event).event_id)).toEqual(['evt-1', 'evt-1', 'evt-1', 'evt-1']);
  });

  test('a lost answer is retried after networkRetryMs', async () => {
    script = ['drop', { status: 200, body: { delivered: true, duplicate: true } }];
    const { notify, waits } = sender({ networkRetryMs: 200, jitter: 0 });
    const result = await notify.send(event);
    expect(result).toMatchObject({ ok: true, body: { delivered: true, duplicate: true }, attempts: 2, retries: { network: 1 } });
    expect(waits).toEqual([200]);
  });

  test('bounded: maxAttempts, then the last answer', async () => {
    script = [{ status: 429, retryAfter: '1' }, { status: 429, retryAfter: '1' }, { status: 429, retryAfter: '1' }];
    const { notify, waits } = sender({ maxAttempts: 3 });
    const result = await notify.send(event);
    expect(result).toMatchObject({ ok: false, status: 429, attempts: 3, retries: { rateLimited: 2 } });
    expect(waits).toHaveLength(2);
    expect(received).toHaveLength(3);
  });

  test('a Retry-After longer than maxRetryAfterMs ends the attempts', async () => {
    script = [{ status: 429, retryAfter: '120' }];
    const { notify, waits } = sender({ maxRetryAfterMs: 60_000 });
    expect(await notify.send(event)).toMatchObject({ ok: false, status: 429, attempts: 1 });
    expect(waits).toEqual([]);
  });

  test('other answers are final: 400, 401, 502', async () => {
    for (const status of [400, 401, 502]) {
      script = [{ status, body: { error: 'no' } }];
      const { notify } = sender();
      expect(await notify.send(event)).toMatchObject({ ok: false, status, body: { error: 'no' }, attempts: 1 });
    }
    expect(received).toHaveLength(3);
  });

  test('nothing listening: bounded network retries, the error named', async () => {
    const dead = createServer();
    const deadUrl = await listen(dead);
    await closeServer(dead);
    const { notify, waits } = sender({ url: deadUrl, maxAttempts: 2 });
    const result = await notify.send(event);
    expect(result).toMatchObject({ ok: false, status: undefined, attempts: 2, retries: { network: 1 } });
    expect(result.error).toMatch(/ECONNREFUSED/);
    expect(waits).toHaveLength(1);
  });
});

describe('retryAfterMs', () => {
  test('seconds, an HTTP date, nothing', () => {
    const now = Date.parse('2025-03-01T10:00:00Z');
    expect(retryAfterMs('7', now)).toBe(7000);
    expect(retryAfterMs('Sat, 01 Mar 2025 10:00:05 GMT', now)).toBe(5000);
    expect(retryAfterMs('Sat, 01 Mar 2025 09:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs(null, now)).toBeUndefined();
    expect(retryAfterMs('soon', now)).toBeUndefined();
  });
});
