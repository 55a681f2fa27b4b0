// npm run contract:notify against the real /api/notify: the real endpoint and app, Redis through
// the Upstash bridge, the fake Bot API. One event of each kind reaches the person once, the copy
// is answered duplicate, a wrong secret and a bad event are refused, and 429/503 are retried after
// their Retry-After.
import { createServer } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { App } from '../../../lib/app.js';
import { createNotifyEndpoint } from '../../../lib/webhook/notify-endpoint.js';
import { contractNotifyCli } from '../../../tools/contract/notify.js';
import { sampleEvent } from '../../../tools/contract/notify-check.js';
import { EVENTS } from '../../../tools/contract/routes.js';
import { NOTIFY_SECRET, startHarness, type Harness } from '../../support/bot-harness.js';
import { closeServer, listen, readBody, sendJson } from '../../support/http.js';

let harness: Harness;
let url: string;
let nextUser = 880_000;
const servers: ReturnType<typeof createServer>[] = [];
const KINDS = Object.keys(EVENTS);

async function serve(app: App): Promise<string> {
  const server = createServer(createNotifyEndpoint({ getApp: async () => app, getLogger: () => harness.logger }));
  servers.push(server);
  return listen(server);
}

beforeAll(async () => {
  harness = await startHarness();
  url = await serve((await harness.startInstance()).app);
});
afterAll(async () => {
  await Promise.all(servers.map(closeServer));
  await harness.close();
});
beforeEach(() => harness.telegram.reset());

async function notify(args: string[], sleep?: (ms: number) => Promise<void>): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await contractNotifyCli(args, { print: (line) => lines.push(line), error: (line) => lines.push(line) }, sleep);
  return { code, lines };
}

// A comment_edited event edits the message of the comment event sent before it (same comment id).
const sentTo = (user: number) =>
  harness.telegram.calls.filter((call) => ['sendmessage', 'editmessagetext'].includes(call.method.toLowerCase()) && call.payload.chat_id === user);
const line = (lines: string[], id: string) => lines.find((text) => new RegExp(`^(PASS|FAIL) ${id.replace(/\./g, '\\.')} `).test(text));

describe('against the bot’s /api/notify', () => {
  test('one event of each kind, told once; the copy is a duplicate; a wrong secret is 401, a bad event 400', async () => {
    const user = ++nextUser;
    const { code, lines } = await notify(['--url', url, '--secret', NOTIFY_SECRET, '--user', String(user)]);
    expect(code).toBe(0);
    expect(KINDS).toEqual(expect.arrayContaining(['status', 'comment']));
    expect(line(lines, 'notify.wrong-secret')).toMatch(/PASS .* a wrong secret: 401, nothing sent$/);
    expect(line(lines, 'notify.invalid-event')).toMatch(/PASS .* 400, fields request_id, number/);
    for (const kind of KINDS) {
      expect(line(lines, `notify.${kind}`)).toMatch(new RegExp(`PASS .* event contract-notify-\\w+-${kind}: 200 delivered, messageId \\d+$`));
      expect(line(lines, `notify.${kind}.again`)).toMatch(/PASS .* 200 duplicate: true, messageId \d+, no second message$/);
    }
    expect(lines.at(-1)).toBe(`${2 + 2 * KINDS.length} passed, 0 failed`);
    // One message per kind reached the person, each marked as a test; none twice.
    const texts = sentTo(user).map((call) => String(call.payload.text));
    expect(texts).toHaveLength(KINDS.length);
    expect(texts.every((text) => text.includes('[contract check]') || text.includes('SR-CHECK'))).toBe(true);
  });

  test('a wrong secret: every event fails and says so; nothing is sent', async () => {
    const user = ++nextUser;
    const { code, lines } = await notify(['--url', `${url}/api/notify`, '--secret', 'not-the-secret', '--user', String(user)]);
    expect(code).toBe(1);
    expect(line(lines, 'notify.status')).toMatch(/FAIL .* 401: the bot refused the secret \(NOTIFY_SECRET differs between the backend and the bot\)$/);
    expect(sentTo(user)).toEqual([]);
  });

  test('Telegram fails once: 503 with Retry-After, waited for, then delivered once', async () => {
    const user = ++nextUser;
    harness.telegram.failNext('sendMessage', { status: 502, description: 'Bad Gateway' });
    const waits: number[] = [];
    const { code, lines } = await notify(['--url', url, '--secret', NOTIFY_SECRET, '--user', String(user)], async (ms) => {
      waits.push(ms);
    });
    expect(code).toBe(0);
    expect(line(lines, 'notify.status')).toMatch(/PASS .* 200 delivered, messageId \d+ after 503 Retry-After 3 \(waited as told\)$/);
    expect(waits).toEqual([3000]);
    expect(sentTo(user).map((call) => call.status)).toEqual([502, ...KINDS.map(() => 200)]);
  });

  test('a burst past the bot’s pace: 429 with Retry-After, each event retried after it and told once', async () => {
    const user = ++nextUser;
    const paced = await serve((await harness.startInstance({ notify: { messagesPerSecond: 10, maxPacingWaitMs: 0 } })).app);
    const waits: number[] = [];
    const { code, lines } = await notify(['--url', paced, '--secret', NOTIFY_SECRET, '--user', String(user), '--burst', '3', '--max-attempts', '20'], async (ms) => {
      waits.push(ms);
      // The bot's pace runs on the real clock: a fifth of the wait frees its next slot (100 ms apart).
      await new Promise((resolve) => setTimeout(resolve, ms / 5));
    });
    expect(code).toBe(0);
    expect(line(lines, 'notify.burst')).toMatch(/PASS .* 3 events at once, each told once; on the way: 429 Retry-After 1 ×\d+$/);
    expect(waits.length).toBeGreaterThan(0);
    expect(waits.every((ms) => ms === 1000)).toBe(true);
    expect(sentTo(user).filter((call) => call.status === 200)).toHaveLength(KINDS.length + 3);
  });

  test('--dry-run prints the events and sends nothing', async () => {
    const user = ++nextUser;
    const { code, lines } = await notify(['--url', url, '--secret', NOTIFY_SECRET, '--user', String(user), '--dry-run']);
    expect(code).toBe(0);
    expect(lines[0]).toBe(`dry run: nothing is sent. To ${url}/api/notify the check would POST, in this order:`);
    expect(lines.find((text) => text.includes('notify.comment '))).toContain('"kind":"comment"');
    // The request's status now rides on the comment event: a backend team sees the bot take it.
    expect(lines.find((text) => text.includes('notify.comment '))).toContain('"status":"in_progress"');
    expect(harness.telegram.callsOf('sendMessage')).toEqual([]);
  });
});

describe('the events it sends', () => {
  /** Every field an event of this schema may carry (`comment.text`), files aside: the check sends none. */
  const fieldsOf = (schema: unknown, prefix = ''): string[] => {
    const entries = entriesOf(schema);
    return Object.entries(entries ?? {}).flatMap(([name, entry]) =>
      name === 'attachments' ? [] : [`${prefix}${name}`, ...(entriesOf(entry) === undefined ? [] : fieldsOf(entry, `${prefix}${name}.`))],
    );
  };
  const entriesOf = (schema: unknown): Record<string, unknown> | undefined => {
    const node = schema as { entries?: Record<string, unknown>; wrapped?: unknown; pipe?: unknown[] };
    if (node.entries !== undefined) return node.entries;
    if (node.wrapped !== undefined) return entriesOf(node.wrapped);
    return undefined;
  };

  test.each(KINDS)('the %s event carries every field the EVENTS table allows', (kind) => {
    const doc = EVENTS[kind as keyof typeof EVENTS];
    const event = sampleEvent(kind as keyof typeof EVENTS, { eventId: 'e-1', user: 1, requestId: 'r-1', number: 'SR-1', runId: 'run' });
    const sent = fieldsOf(doc.body.schema).filter((path) => path.split('.').reduce<unknown>((value, name) => (value as Record<string, unknown> | undefined)?.[name], event) !== undefined);
    expect(sent).toEqual(fieldsOf(doc.body.schema));
  });
});

describe('against endpoints that get it wrong', () => {
  async function fakeEndpoint(answer: (body: Record<string, unknown>) => { status: number; body: unknown; headers?: Record<string, string> }): Promise<string> {
    const server = createServer((req, res) => {
      void readBody(req).then((raw) => {
        const reply = answer(JSON.parse(raw.toString('utf8') || '{}') as Record<string, unknown>);
        sendJson(res, reply.status, reply.body, reply.headers);
      });
    });
    servers.push(server);
    return listen(server);
  }

  test('an endpoint that sends every copy again: the .again checks fail, naming the second message', async () => {
    let messageId = 0;
    const endpoint = await fakeEndpoint((body) =>
      body.request_id === undefined ? { status: 400, body: { error: 'invalid notification', fields: ['request_id'] } } : { status: 200, body: { delivered: true, messageId: ++messageId } },
    );
    const { code, lines } = await notify(['--url', endpoint, '--secret', 'whatever', '--user', '1']);
    expect(code).toBe(1);
    expect(line(lines, 'notify.status.again')).toMatch(/FAIL .* expected 200 duplicate: true, got \{"delivered":true,"messageId":\d+\} \(a second message was sent\)$/);
    expect(line(lines, 'notify.wrong-secret')).toMatch(/FAIL .* expected 401, got 200/);
  });

  test('503 without Retry-After is reported, not retried blindly', async () => {
    const endpoint = await fakeEndpoint(() => ({ status: 503, body: { error: 'endpoint is not configured' } }));
    const { code, lines } = await notify(['--url', endpoint, '--secret', 'whatever', '--user', '1']);
    expect(code).toBe(1);
    expect(line(lines, 'notify.status')).toMatch(/FAIL .* 503 without Retry-After: .*NOTIFY_SECRET is not set there\)$/);
  });

  test('bad arguments: exit 2 naming each', async () => {
    const { code, lines } = await notify(['--url', 'ftp://bot', '--burst', 'many']);
    expect(code).toBe(2);
    const text = lines.join('\n');
    expect(text).toContain('--url must be an http(s) URL, got "ftp://bot"');
    expect(text).toContain('--secret is required');
    expect(text).toContain('--user is required');
    expect(text).toContain('--burst must be a whole number of at least 0, got "many"');
    expect(text).toContain('Usage: npm run contract:notify');
  });
});
