// npm run contract:check: against the demo backend every check passes; against a backend that
// breaks one rule (a proxy in front of the demo backend rewriting one kind of call), the check of
// that rule fails, says what came back, and the run exits non-zero.
import { execFile } from 'node:child_process';
import { afterEach, describe, expect, test } from 'vitest';
import { contractCheckCli } from '../../../tools/contract/check.js';
import { startDemoTarget, type DemoTarget } from '../../../tools/contract/check/demo-target.js';
import { runContractCheck, type CheckReport } from '../../../tools/contract/check/run-check.js';
import type { DemoBackendOptions } from '../../../tools/demo-backend/server.js';
import { startBreakingProxy, type Breakage, type ProxiedRequest } from '../../support/breaking-proxy.js';

const USER = 555_000_001;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function target(options: DemoBackendOptions = {}): Promise<DemoTarget> {
  const demo = await startDemoTarget(options);
  cleanups.push(() => demo.close());
  return demo;
}

async function check(url: string, agentHook: string | undefined, extra: { apiKey?: string; only?: readonly string[] } = {}): Promise<{ report: CheckReport; lines: string[] }> {
  const lines: string[] = [];
  const report = await runContractCheck({
    url,
    user: USER,
    otherUser: USER + 1,
    timeoutMs: 5_000,
    maxPages: 50,
    maxReopens: 5,
    dryRun: false,
    print: (line) => lines.push(line),
    ...(agentHook !== undefined && { agentHook }),
    ...extra,
  });
  return { report, lines };
}

const ALL_CHECKS = [
  'auth.api-key',
  'catalogue.request-types',
  'catalogue.categories',
  'catalogue.accept-language',
  'create.created',
  'create.same-key',
  'create.key-conflict',
  'details.read',
  'errors.unknown-request',
  'create.more',
  'list.newest-first',
  'list.cursors',
  'comments.add',
  'comments.same-key',
  'comments.key-conflict',
  'comments.in-details',
  'comments.edit',
  'lifecycle.not-resolved',
  'lifecycle.cancel',
  'lifecycle.cancel-same-key',
  'lifecycle.cancel-key-conflict',
  'lifecycle.cancel-twice',
  'followup.cancel-reason',
  'comments.closed',
  'list.open-filter',
  'ownership.list',
  'ownership.comment',
  'ownership.lifecycle',
  'agent.resolve',
  'lifecycle.confirm',
  'lifecycle.rating',
  'lifecycle.rating-twice',
  'followup.rating-comment',
  'lifecycle.closed-refuses',
  'lifecycle.reopen',
  'lifecycle.reopen-limit',
];

describe('against the demo backend', () => {
  test('every check passes, one line each, test requests named and cleaned up', async () => {
    const demo = await target({ apiKey: 'demo-key-0123' });
    const { report, lines } = await check(demo.url, demo.agentHook, { apiKey: 'demo-key-0123' });
    expect(report.failed).toEqual([]);
    expect(report.skipped).toEqual([]);
    expect(report.passed).toEqual(ALL_CHECKS);
    expect(lines.filter((line) => /^(PASS|FAIL|SKIP) /.test(line))).toHaveLength(ALL_CHECKS.length);
    expect(lines.at(-1)).toBe(`${ALL_CHECKS.length} passed, 0 failed, 0 skipped`);
    // It made four requests of its own, said so in each, and touched nobody else's.
    const requests = demo.backend.requests();
    expect(requests.map((request) => request.number)).toEqual(['SR-1001', 'SR-1002', 'SR-1003', 'SR-1004']);
    expect(requests.every((request) => request.telegram.user_id === USER && request.description.startsWith('[contract check] '))).toBe(true);
    expect(demo.backend.lifecycleLog().every((call) => requests.some((request) => request.id === call.requestId))).toBe(true);
    // Nothing is left open: cancelled, closed, or resolved by the agent.
    expect(requests.map((request) => request.status)).toEqual(['cancelled', 'cancelled', 'closed', 'resolved']);
    expect(lines).toContain('cleanup: cancelled SR-1001; SR-1002 cancelled; SR-1003 closed; SR-1004 resolved');
  });

  test('without an agent hook, what needs a resolved request is skipped and says why; nothing fails', async () => {
    const demo = await target();
    const { report, lines } = await check(demo.url, undefined);
    expect(report.failed).toEqual([]);
    expect(report.skipped).toEqual([
      'auth.api-key',
      'agent.resolve',
      'lifecycle.confirm',
      'lifecycle.rating',
      'lifecycle.rating-twice',
      'followup.rating-comment',
      'lifecycle.closed-refuses',
      'lifecycle.reopen',
      'lifecycle.reopen-limit',
    ]);
    expect(lines).toContain('SKIP auth.api-key                   no --api-key given');
    expect(lines.find((line) => line.startsWith('SKIP agent.resolve'))).toContain('needs the request resolved by an agent (give --agent-hook URL)');
    expect(lines.find((line) => line.startsWith('SKIP lifecycle.confirm'))).toContain('needs agent.resolve (skipped)');
  });

  test('a backend without paging (a plain array): the cursor walk and the open filter are skipped, not failed', async () => {
    const demo = await target({ listAnswer: 'array' });
    const { report, lines } = await check(demo.url, demo.agentHook);
    expect(report.failed).toEqual([]);
    expect(report.skipped).toEqual(['auth.api-key', 'list.cursors', 'list.open-filter']);
    expect(lines.find((line) => line.startsWith('SKIP list.cursors'))).toContain('plain array');
  });

  test('a backend without the follow-ups (405) and comment edits (404): they are skipped, not failed, and say what the bot does instead', async () => {
    const demo = await target({ followUps: false });
    const { report, lines } = await check(demo.url, demo.agentHook);
    expect(report.failed).toEqual([]);
    expect(report.skipped).toEqual(['auth.api-key', 'comments.edit', 'followup.cancel-reason', 'followup.rating-comment']);
    expect(lines.find((line) => line.startsWith('SKIP followup.cancel-reason'))).toContain('the backend takes no follow-ups (405): the bot sends the reason as an ordinary comment instead');
    expect(lines.find((line) => line.startsWith('SKIP comments.edit'))).toContain(
      'the backend takes no comment edits (404): the bot adds the new text as a new comment with correction_of naming the first instead',
    );
  });

  test('a backend answering 405 on the comment edit: skipped too', async () => {
    const demo = await target();
    const proxy = await startBreakingProxy(demo.url, {
      answer: (req, answer) => (isPatch(req, /\/comments\/[^/]+$/) ? { status: 405, body: { error: { code: 'method_not_allowed', message: 'No edits' } } } : answer),
    });
    cleanups.push(() => proxy.close());
    const { report, lines } = await check(proxy.url, undefined, { only: ['comments.edit'] });
    expect(report.failed).toEqual([]);
    expect(report.skipped).toEqual(['comments.edit']);
    expect(lines.find((line) => line.startsWith('SKIP comments.edit'))).toContain('the backend takes no comment edits (405)');
  });

  test('a backend that allows any number of reopenings: the limit is skipped, not failed', async () => {
    const demo = await target({ maxReopens: 100 });
    const { report, lines } = await check(demo.url, demo.agentHook);
    expect(report.failed).toEqual([]);
    expect(lines.find((line) => line.startsWith('SKIP lifecycle.reopen-limit'))).toContain('no reopen limit within 6 reopenings');
  });
});

/** Remembers the first body sent under each Idempotency-Key of a route. */
function firstBodies() {
  const seen = new Map<string, string>();
  return {
    /** Whether this key came before with this very body. */
    replay(request: ProxiedRequest): boolean {
      const key = `${request.path} ${request.headers['idempotency-key']}`;
      const body = JSON.stringify(request.body);
      const before = seen.get(key);
      if (before === undefined) seen.set(key, body);
      return before === body;
    },
    /** The body first sent under this key (or this one, the first time). */
    first(request: ProxiedRequest): unknown {
      const key = `${request.path} ${request.headers['idempotency-key']}`;
      if (!seen.has(key)) seen.set(key, JSON.stringify(request.body));
      return JSON.parse(seen.get(key) as string) as unknown;
    },
  };
}

const isPost = (request: ProxiedRequest, path: RegExp) => request.method === 'POST' && path.test(request.path);
const isGet = (request: ProxiedRequest, path: RegExp) => request.method === 'GET' && path.test(request.path);
const isPatch = (request: ProxiedRequest, path: RegExp) => request.method === 'PATCH' && path.test(request.path);
const COMMENT_EDIT = /^\/requests\/[^/]+\/comments\/[^/]+$/;
const withKey = (request: ProxiedRequest, key: string): ProxiedRequest => ({ ...request, headers: { ...request.headers, 'idempotency-key': key } });
let fresh = 0;
const freshKey = () => `broken-${++fresh}`;
const errorOf = (body: unknown) => (body as { error?: { code?: string } }).error?.code;
const ownerOf = async (request: ProxiedRequest, upstream: (r: ProxiedRequest) => Promise<{ body: unknown }>) => {
  const id = /^\/requests\/([^/]+)/.exec(request.path)?.[1] ?? '';
  const details = await upstream({ method: 'GET', path: `/requests/${id}`, query: new URLSearchParams(), headers: {}, body: undefined });
  return (details.body as { telegram_user_id: number }).telegram_user_id;
};
/** The request as it stands, claiming to be cancelled (with a history to match). */
function cancelledCopy(answer: { status: number; body: unknown }) {
  const details = answer.body as { status_history: object[] };
  return { ...answer, body: { ...details, status: 'cancelled', status_history: [...details.status_history, { status: 'cancelled', at: new Date().toISOString(), comment: null }] } };
}
const currentDetails = (request: ProxiedRequest, upstream: (r: ProxiedRequest) => Promise<{ status: number; body: unknown }>) =>
  upstream({ method: 'GET', path: request.path.replace(/\/[a-z]+$/, ''), query: new URLSearchParams(), headers: {}, body: undefined });

interface Variant {
  readonly rule: string;
  readonly breakage: () => Breakage;
  /** Exactly the checks that fail. */
  readonly failed: readonly string[];
  /** What the first failing line says came back. */
  readonly says: RegExp;
  readonly backend?: DemoBackendOptions;
  readonly apiKey?: string;
}

const VARIANTS: readonly Variant[] = [
  {
    rule: 'the catalogue: no request types',
    breakage: () => ({ answer: (req, answer) => (isGet(req, /^\/request-types$/) ? { ...answer, body: [] } : answer) }),
    failed: ['catalogue.request-types'],
    says: /answered an empty list/,
  },
  {
    rule: 'the catalogue: a category without its name',
    breakage: () => ({ answer: (req, answer) => (isGet(req, /^\/service-categories$/) ? { ...answer, body: (answer.body as object[]).map(({ ...c }) => ({ ...c, name: undefined })) } : answer) }),
    failed: ['catalogue.categories'],
    says: /0\.name missing/,
  },
  {
    rule: 'the catalogue: other ids in another language',
    breakage: () => ({ answer: (req, answer) => (isGet(req, /^\/request-types$/) && req.headers['accept-language'] === 'ru' ? { ...answer, body: (answer.body as object[]).slice(1) } : answer) }),
    failed: ['catalogue.accept-language'],
    says: /request types' ids differ with Accept-Language: ru \(1,2,3 vs 2,3\)/,
  },
  {
    rule: 'the API key: calls without it are answered',
    breakage: () => ({}),
    apiKey: 'a-key-the-backend-ignores',
    failed: ['auth.api-key'],
    says: /expected 401 or 403, got 200/,
  },
  {
    rule: 'submission: the answer lacks the request number',
    breakage: () => ({ answer: (req, answer) => (isPost(req, /^\/requests$/) && answer.status === 201 ? { ...answer, body: { ...(answer.body as object), number: undefined } } : answer) }),
    failed: ['create.created'],
    says: /answered 201 not in the contract's shape \(number missing\)/,
  },
  {
    rule: 'idempotent submission: the same key and body make a second request',
    breakage: () => {
      const keys = firstBodies();
      return { request: (req) => (isPost(req, /^\/requests$/) && keys.replay(req) ? withKey(req, freshKey()) : req) };
    },
    failed: ['create.same-key'],
    says: /expected 200 with SR-1001, got 201 with SR-1002/,
  },
  {
    rule: 'idempotent submission: a reused key with another body is not refused',
    breakage: () => {
      const keys = firstBodies();
      return { request: (req) => (isPost(req, /^\/requests$/) ? { ...req, body: keys.first(req) } : req) };
    },
    failed: ['create.key-conflict'],
    says: /expected 409 idempotency_conflict, got 200/,
  },
  {
    rule: 'details: another owner named',
    breakage: () => ({ answer: (req, answer) => (isGet(req, /^\/requests\/[^/]+$/) && answer.status === 200 ? { ...answer, body: { ...(answer.body as object), telegram_user_id: 42 } } : answer) }),
    failed: ['details.read'],
    says: /telegram_user_id is 42, expected 555000001/,
  },
  {
    rule: 'errors: a 404 without the error body',
    breakage: () => ({ answer: (req, answer) => (isGet(req, /^\/requests\/[^/]+$/) && answer.status === 404 ? { ...answer, body: 'Not Found' } : answer) }),
    failed: ['errors.unknown-request'],
    says: /404 without the error body \{"error": \{"code", "message"\}\}: got Not Found/,
  },
  {
    rule: 'listing: oldest first',
    breakage: () => ({ answer: (req, answer) => (isGet(req, /^\/requests$/) && answer.status === 200 ? { ...answer, body: { ...(answer.body as object), items: [...(answer.body as { items: object[] }).items].reverse() } } : answer) }),
    failed: ['list.newest-first'],
    says: /expected SR-1004, SR-1003, SR-1002, SR-1001 in this order, got SR-1001, SR-1002, SR-1003, SR-1004/,
  },
  {
    rule: 'cursors: the cursor is ignored (the first page again)',
    breakage: () => ({ request: (req) => (isGet(req, /^\/requests$/) ? { ...req, query: new URLSearchParams([...req.query].filter(([name]) => name !== 'cursor')) } : req) }),
    failed: ['list.cursors'],
    says: /SR-1004 is repeated on page 2/,
  },
  {
    rule: 'cursors: a page after a cursor loses its first request',
    breakage: () => ({
      answer: (req, answer) => (isGet(req, /^\/requests$/) && req.query.has('cursor') ? { ...answer, body: { ...(answer.body as object), items: (answer.body as { items: object[] }).items.slice(1) } } : answer),
    }),
    failed: ['list.cursors'],
    says: /SR-1002 skipped by the cursor walk/,
  },
  {
    rule: 'the open filter is ignored',
    breakage: () => ({ request: (req) => (isGet(req, /^\/requests$/) ? { ...req, query: new URLSearchParams([...req.query].filter(([name]) => name !== 'status')) } : req) }),
    failed: ['list.open-filter'],
    says: /status=open listed SR-1002 \(cancelled\)/,
  },
  {
    rule: 'comments: a new comment answered 200, as if seen before',
    breakage: () => ({ answer: (req, answer) => (isPost(req, /\/comments$/) && answer.status === 201 ? { ...answer, status: 200 } : answer) }),
    failed: ['comments.add'],
    says: /expected 201, got 200/,
  },
  {
    rule: 'comments: the same key adds the comment twice',
    breakage: () => {
      const keys = firstBodies();
      return { request: (req) => (isPost(req, /\/comments$/) && keys.replay(req) ? withKey(req, freshKey()) : req) };
    },
    // The second comment is in the thread too: two rules broken by one fault.
    failed: ['comments.same-key', 'comments.in-details'],
    says: /expected 200 with comment c1, got 201 with c2/,
  },
  {
    rule: 'comments: a reused key with another text is not refused',
    breakage: () => {
      const keys = firstBodies();
      return { request: (req) => (isPost(req, /\/comments$/) ? { ...req, body: keys.first(req) } : req) };
    },
    failed: ['comments.key-conflict'],
    says: /expected 409 idempotency_conflict, got 200/,
  },
  {
    rule: 'comments: the thread leaves them out',
    breakage: () => ({ answer: (req, answer) => (isGet(req, /^\/requests\/[^/]+$/) && answer.status === 200 ? { ...answer, body: { ...(answer.body as object), comments: [] } } : answer) }),
    failed: ['comments.in-details'],
    says: /comment c1 appears 0 times in the thread/,
  },
  {
    rule: 'comments: a cancelled request still takes them',
    breakage: () => ({ answer: (req, answer) => (isPost(req, /\/comments$/) && errorOf(answer.body) === 'request_closed' ? { status: 201, body: { id: 'c99', created_at: new Date().toISOString() } } : answer) }),
    failed: ['comments.closed'],
    says: /expected 409, got 201/,
  },
  {
    rule: 'comment edits: answered 200, the text unchanged',
    breakage: () => ({
      // The edit is never made: the backend reads the request instead and claims it edited.
      request: (req) => (isPatch(req, COMMENT_EDIT) ? { ...req, method: 'GET', path: req.path.replace(/\/comments\/[^/]+$/, ''), body: undefined, query: new URLSearchParams([['edit', req.path.split('/').at(-1) ?? '']]) } : req),
      answer: (req, answer) =>
        isGet(req, /^\/requests\/[^/]+$/) && req.query.has('edit') ? { status: 200, body: { id: req.query.get('edit'), edited_at: new Date().toISOString() } } : answer,
    }),
    failed: ['comments.edit'],
    says: /comment c1 has text "\[contract check\] A comment of run \w+", not the edit sent/,
  },
  {
    rule: 'comment edits: the same key edits again (another edited_at)',
    breakage: () => {
      const keys = firstBodies();
      return {
        answer: (req, answer) => {
          if (!isPatch(req, COMMENT_EDIT) || answer.status !== 200 || !keys.replay(req)) return answer;
          const edited = answer.body as { edited_at: string };
          return { ...answer, body: { ...edited, edited_at: new Date(Date.parse(edited.edited_at) + 60_000).toISOString() } };
        },
      };
    },
    failed: ['comments.edit'],
    says: /the same edit key answered \{"id":"c1","edited_at":"[^"]+"\}, not the first answer \{"id":"c1","edited_at":"[^"]+"\}/,
  },
  {
    rule: 'comment edits: a reused key with another text is not refused',
    breakage: () => {
      const keys = firstBodies();
      return { request: (req) => (isPatch(req, COMMENT_EDIT) ? { ...req, body: keys.first(req) } : req) };
    },
    failed: ['comments.edit'],
    says: /the same edit key with another text: expected 409 idempotency_conflict, got 200/,
  },
  {
    rule: 'comment edits: another user may edit',
    breakage: () => ({
      request: async (req, upstream) =>
        isPatch(req, COMMENT_EDIT) ? { ...req, body: { ...(req.body as object), telegram_user_id: await ownerOf(req, upstream) } } : req,
    }),
    failed: ['comments.edit'],
    says: /an edit by user 555000002: expected 404, got 200/,
  },
  {
    rule: 'comment edits: the answer lacks edited_at',
    breakage: () => ({ answer: (req, answer) => (isPatch(req, COMMENT_EDIT) && answer.status === 200 ? { ...answer, body: { ...(answer.body as object), edited_at: undefined } } : answer) }),
    failed: ['comments.edit'],
    says: /answered 200 not in the contract's shape \(edited_at missing\)/,
  },
  {
    rule: 'lifecycle: a new request can be rated',
    breakage: () => ({
      answer: async (req, answer, upstream) =>
        isPost(req, /\/rating$/) && errorOf(answer.body) === 'invalid_status' ? { status: 201, body: (await currentDetails(req, upstream)).body } : answer,
    }),
    failed: ['lifecycle.not-resolved'],
    says: /rating of a new request: expected 409 invalid_status, got 201/,
  },
  {
    rule: 'lifecycle: cancel answers cancelled but does nothing',
    breakage: () => ({
      request: (req) => (isPost(req, /\/cancel$/) ? { ...req, method: 'GET', path: req.path.replace(/\/cancel$/, ''), body: undefined } : req),
      answer: (req, answer) => (isGet(req, /^\/requests\/[^/]+$/) && answer.status === 200 && req.headers['idempotency-key'] !== undefined ? cancelledCopy(answer) : answer),
    }),
    // Every cancel then "succeeds": another user's (404 expected) and a closed request's (409) too.
    failed: ['lifecycle.cancel', 'ownership.lifecycle', 'lifecycle.closed-refuses'],
    says: /GET \/requests\/\{id\} after cancel: expected status cancelled, got new/,
  },
  {
    rule: 'lifecycle: the same cancel key is not recognised',
    breakage: () => {
      const keys = firstBodies();
      return { request: (req) => (isPost(req, /\/cancel$/) && keys.replay(req) ? withKey(req, freshKey()) : req) };
    },
    failed: ['lifecycle.cancel-same-key'],
    says: /cancel answered 409 \{"error":\{"code":"invalid_status"/,
  },
  {
    rule: 'lifecycle: a reused cancel key with another reason is not refused',
    breakage: () => {
      const keys = firstBodies();
      return { request: (req) => (isPost(req, /\/cancel$/) ? { ...req, body: keys.first(req) } : req) };
    },
    failed: ['lifecycle.cancel-key-conflict'],
    says: /expected 409 idempotency_conflict, got 200/,
  },
  {
    rule: 'lifecycle: a cancelled request can be cancelled again',
    breakage: () => ({
      answer: async (req, answer, upstream) => {
        if (!isPost(req, /\/cancel$/) || errorOf(answer.body) !== 'invalid_status') return answer;
        const current = await currentDetails(req, upstream);
        return (current.body as { status: string }).status === 'cancelled' ? { status: 200, body: current.body } : answer;
      },
    }),
    failed: ['lifecycle.cancel-twice'],
    says: /expected 409 invalid_status, got 200/,
  },
  {
    rule: 'follow-ups: the reason is not kept',
    breakage: () => ({
      answer: (req, answer) =>
        req.method === 'PATCH' && /\/cancel$/.test(req.path) && answer.status === 200
          ? { ...answer, body: { ...(answer.body as object), status_history: (answer.body as { status_history: object[] }).status_history.map((entry) => ({ ...entry, comment: null })) } }
          : answer,
    }),
    failed: ['followup.cancel-reason'],
    says: /the cancelled entry's comment is null, not the reason sent/,
  },
  {
    rule: 'follow-ups: a comment on a rating that does not exist is taken',
    breakage: () => ({
      answer: async (req, answer, upstream) =>
        req.method === 'PATCH' && errorOf(answer.body) === 'not_rated' ? { status: 200, body: (await currentDetails(req, upstream)).body } : answer,
    }),
    failed: ['followup.rating-comment'],
    says: /a rating comment before a rating: expected 409 not_rated, got 200/,
  },
  {
    rule: 'ownership: another user’s list shows this user’s requests',
    breakage: () => ({ request: (req) => (isGet(req, /^\/requests$/) ? { ...req, query: new URLSearchParams([...req.query].map(([n, v]): [string, string] => [n, n === 'telegram_user_id' ? String(USER) : v])) } : req) }),
    failed: ['ownership.list'],
    says: /user 555000002's list shows SR-1004, SR-1003, SR-1002, SR-1001 of user 555000001/,
  },
  {
    rule: 'ownership: another user may comment',
    breakage: () => ({
      request: async (req, upstream) =>
        isPost(req, /\/comments$/) ? { ...req, body: { ...(req.body as object), telegram_user_id: await ownerOf(req, upstream) } } : req,
    }),
    failed: ['ownership.comment'],
    says: /expected 404, got 201/,
  },
  {
    rule: 'ownership: another user may cancel',
    breakage: () => ({
      request: async (req, upstream) => (isPost(req, /\/cancel$/) ? { ...req, body: { ...(req.body as object), telegram_user_id: await ownerOf(req, upstream) } } : req),
    }),
    failed: ['ownership.lifecycle'],
    says: /cancel by user 555000002: expected 404, got 200/,
  },
  {
    rule: 'lifecycle: the same confirm key is not recognised',
    breakage: () => {
      const keys = firstBodies();
      return { request: (req) => (isPost(req, /\/confirm$/) && keys.replay(req) ? withKey(req, freshKey()) : req) };
    },
    failed: ['lifecycle.confirm'],
    says: /confirm answered 409 \{"error":\{"code":"invalid_status"/,
  },
  {
    rule: 'lifecycle: a rating the details never show',
    breakage: () => ({ answer: (req, answer) => (isGet(req, /^\/requests\/[^/]+$/) && answer.status === 200 ? { ...answer, body: { ...(answer.body as object), rating: null } } : answer) }),
    failed: ['lifecycle.rating'],
    says: /GET \/requests\/\{id\} does not show the rating/,
  },
  {
    rule: 'lifecycle: a second rating is accepted',
    breakage: () => ({
      answer: async (req, answer, upstream) =>
        isPost(req, /\/rating$/) && errorOf(answer.body) === 'already_rated' ? { status: 201, body: (await currentDetails(req, upstream)).body } : answer,
    }),
    failed: ['lifecycle.rating-twice'],
    says: /expected 409 already_rated, got 201/,
  },
  {
    rule: 'lifecycle: a closed request can be reopened',
    breakage: () => ({
      answer: async (req, answer, upstream) => {
        if (!isPost(req, /\/reopen$/) || errorOf(answer.body) !== 'invalid_status') return answer;
        const current = await currentDetails(req, upstream);
        return (current.body as { status: string }).status === 'closed' ? { status: 200, body: current.body } : answer;
      },
    }),
    failed: ['lifecycle.closed-refuses'],
    says: /reopen of a closed request: expected 409 invalid_status, got 200/,
  },
  {
    rule: 'lifecycle: the same reopen key is not recognised',
    breakage: () => {
      const keys = firstBodies();
      return { request: (req) => (isPost(req, /\/reopen$/) && keys.replay(req) ? withKey(req, freshKey()) : req) };
    },
    failed: ['lifecycle.reopen'],
    says: /reopen answered 409 \{"error":\{"code":"invalid_status"/,
  },
  {
    rule: 'lifecycle: the reopen limit answered with another code',
    breakage: () => ({
      answer: (req, answer) =>
        isPost(req, /\/reopen$/) && errorOf(answer.body) === 'reopen_limit' ? { ...answer, body: { error: { code: 'invalid_status', message: 'no' } } } : answer,
    }),
    failed: ['lifecycle.reopen-limit'],
    says: /expected 409 reopen_limit, got 409 invalid_status/,
  },
];

describe('against a backend that breaks one rule', () => {
  // Each variant has a demo backend and a proxy of its own: they run side by side. Each runs the
  // checks of its rule and those they need (--only), of which exactly the expected ones fail.
  test.concurrent.each(VARIANTS)('$rule: fails $failed', async (variant) => {
    const demo = await startDemoTarget({ ...variant.backend });
    const proxy = await startBreakingProxy(demo.url, variant.breakage());
    try {
      const { report, lines } = await check(proxy.url, demo.agentHook, { only: variant.failed, ...(variant.apiKey !== undefined && { apiKey: variant.apiKey }) });
      expect(report.failed).toEqual(variant.failed);
      const failure = lines.find((line) => line.startsWith(`FAIL ${variant.failed[0]} `));
      expect(failure).toMatch(variant.says);
      expect(lines.at(-1)).toMatch(new RegExp(`^\\d+ passed, ${variant.failed.length} failed, \\d+ skipped$`));
    } finally {
      await Promise.all([proxy.close(), demo.close()]);
    }
  });

  test('every check is shown to fail on some broken backend', () => {
    const caught = new Set(VARIANTS.flatMap((variant) => variant.failed));
    // Setup steps and the agent's own move have no rule of their own to break.
    const setup = ['create.more', 'agent.resolve'];
    expect(ALL_CHECKS.filter((id) => !caught.has(id) && !setup.includes(id))).toEqual([]);
  });
});

describe('the command line', () => {
  test('npm run contract:check -- --demo: the CLI in its own process, exit 0, a summary line', async () => {
    const { code, out } = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = execFile(process.execPath, ['--import', 'tsx', 'tools/contract/check.ts', '--demo', '--user', String(USER)], (_error, stdout, stderr) =>
        resolve({ code: child.exitCode, out: stdout + stderr }),
      );
    });
    expect(out).toMatch(/^PASS create\.same-key +200 SR-1001 again$/m);
    expect(out.trim().split('\n').at(-1)).toBe(`${ALL_CHECKS.length - 1} passed, 0 failed, 1 skipped`);
    expect(code).toBe(0);
  }, 60_000);

  test('a failure exits 1', async () => {
    const demo = await target();
    const proxy = await startBreakingProxy(demo.url, VARIANTS.find((variant) => variant.failed[0] === 'create.key-conflict')?.breakage() ?? {});
    cleanups.push(() => proxy.close());
    const lines: string[] = [];
    const code = await contractCheckCli(['--url', proxy.url, '--user', String(USER)], { print: (line) => lines.push(line), error: (line) => lines.push(line) });
    expect(code).toBe(1);
    expect(lines.at(-1)).toMatch(/ 1 failed, /);
  });

  test('--only runs those checks and the checks they need; an unknown id is refused', async () => {
    const demo = await target();
    const lines: string[] = [];
    const code = await contractCheckCli(['--url', demo.url, '--only', 'list.cursors'], { print: (line) => lines.push(line), error: (line) => lines.push(line) });
    expect(code).toBe(0);
    expect(lines.filter((line) => line.startsWith('PASS')).map((line) => line.split(/\s+/)[1])).toEqual([
      'catalogue.request-types',
      'catalogue.categories',
      'create.created',
      'create.more',
      'list.newest-first',
      'list.cursors',
    ]);
    expect(lines.at(-1)).toBe('6 passed, 0 failed, 0 skipped');
    const refused: string[] = [];
    expect(await contractCheckCli(['--url', demo.url, '--only', 'list.cursor'], { print: (line) => refused.push(line), error: (line) => refused.push(line) })).toBe(2);
    expect(refused.join('\n')).toContain('--only: no check named list.cursor; the checks are auth.api-key, catalogue.request-types');
  });

  test('--dry-run lists every check and what it would send, and makes no call', async () => {
    const demo = await target();
    const lines: string[] = [];
    const code = await contractCheckCli(['--url', demo.url, '--dry-run'], { print: (line) => lines.push(line), error: (line) => lines.push(line) });
    expect(code).toBe(0);
    expect(demo.backend.stats.requests).toBe(0);
    expect(lines[0]).toBe(`dry run: no call is made. Against ${demo.url} the check would, in this order:`);
    for (const id of ALL_CHECKS) expect(lines.some((line) => line.startsWith(`  ${id} `))).toBe(true);
    expect(lines.find((line) => line.startsWith('  lifecycle.confirm '))).toContain('[skipped: needs --agent-hook]');
    expect(lines.at(-1)).toMatch(/^It creates 4 requests for Telegram user 999999001, described "\[contract check\] Test request/);
  });

  test('bad arguments: exit 2 with every problem and the usage', async () => {
    const lines: string[] = [];
    const code = await contractCheckCli(['--user', 'abc', '--agent-hook', 'ftp://x'], { print: (line) => lines.push(line), error: (line) => lines.push(line) });
    expect(code).toBe(2);
    const text = lines.join('\n');
    expect(text).toContain('--user must be a positive whole number, got "abc"');
    expect(text).toContain('--url is required (or --demo)');
    expect(text).toContain('--agent-hook must be an http(s) URL, got "ftp://x"');
    expect(text).toContain('Usage: npm run contract:check');
  });
});
