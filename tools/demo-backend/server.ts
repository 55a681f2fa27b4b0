import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import * as v from 'valibot';
import {
  CancelReasonSchema,
  CancelRequestSchema,
  ConfirmResolutionSchema,
  NewCommentSchema,
  EditCommentSchema,
  NewRequestSchema,
  RateRequestSchema,
  RatingCommentSchema,
  ReopenRequestSchema,
  type Comment,
  type CommentFile,
  type ErrorBody,
  type StatusNotification,
} from '../../lib/backend/schemas.js';
import { createDemoCatalogue, type DemoCatalogueSeed } from './catalogue.js';
import {
  createRequestStore,
  toCreatedRequest,
  toRequestDetails,
  toRequestSummary,
  type LifecycleCall,
  type LifecycleRecord,
  type LifecycleRefusal,
  type StoredRequest,
} from './request-store.js';
import { preferredLanguage, translateComment, type DemoLanguage } from './languages.js';
import { createStatusAdvancer } from './status-advancer.js';

/** The contract's routes, as the demo counts them and as `setFault` names them. */
export const DEMO_ROUTES = [
  'GET /request-types',
  'GET /request-types/:id/sides',
  'GET /service-categories',
  'POST /requests',
  'GET /requests',
  'GET /requests/:id',
  'POST /requests/:id/comments',
  'GET /files/:name',
  'POST /requests/:id/cancel',
  'POST /requests/:id/confirm',
  'POST /requests/:id/reopen',
  'POST /requests/:id/rating',
  'PATCH /requests/:id/cancel',
  'PATCH /requests/:id/rating',
  'PATCH /requests/:id/comments/:id',
] as const;
export type DemoRoute = (typeof DEMO_ROUTES)[number];

/**
 * Trouble the demo can simulate on a route:
 * - `500`: answers 500 with the error shape, without doing anything;
 * - `timeout`: never answers (until `close`);
 * - `refuse`: drops the connection without an answer;
 * - `malformed-json`: 200 with a truncated JSON body;
 * - `wrong-shape`: 200 with valid JSON that is not the contract's shape;
 * - `fail-after-create`: does the work (e.g. stores the request), then answers 500, as when
 *   an answer is lost on the way back.
 */
export type DemoFault = 'none' | '500' | 'timeout' | 'refuse' | 'malformed-json' | 'wrong-shape' | 'fail-after-create';

export interface DemoBackendOptions {
  /** 0 (any free port) when omitted. */
  readonly port?: number;
  readonly host?: '127.0.0.1';
  /** When set, every request must carry `Authorization: Bearer <apiKey>` (401 otherwise). */
  readonly apiKey?: string;
  /** Added to every request. */
  readonly latencyMs?: number;
  /** Added to the first request of each new TCP connection: stands for a TLS handshake. */
  readonly connectionLatencyMs?: number;
  /** Requests move on (new → in_progress → resolved) after this long; off when omitted. */
  readonly advanceEveryMs?: number;
  readonly onStatusChange?: (notification: StatusNotification) => void | Promise<void>;
  /** Called after each answer, e.g. for an access log. */
  readonly onRequest?: (info: { method: string; route: string; status: number; ms: number }) => void;
  /**
   * `GET /requests` answers `{"items", "next_cursor"}` (`page`, the default) or a plain array
   * without paging (`array`), as backends that predate paging do.
   */
  readonly listAnswer?: 'page' | 'array';
  /** Cursors longer than a Telegram button can carry (over 100 characters), to test the bot's fallback. */
  readonly longCursors?: boolean;
  /** How often a customer may reopen a request; one more is answered 409 `reopen_limit` (2 by default). */
  readonly maxReopens?: number;
  /** Another catalogue than the demo's (e.g. one with 100+ services, or names in Russian). */
  readonly catalogue?: DemoCatalogueSeed;
  /**
   * The follow-ups (`PATCH /requests/{id}/cancel` and `/rating`) and comment edits (`PATCH
   * /requests/{id}/comments/{comment_id}`); `false` answers them 405 (404 for the edits' path), as a
   * backend written before them does (true by default).
   */
  readonly followUps?: boolean;
  /** Take customers' comments on closed, rejected and cancelled requests too (false by default: 409). */
  readonly commentsWhenClosed?: boolean;
}

export interface DemoBackendStats {
  /** Every HTTP request received, answered or not. */
  readonly requests: number;
  /** TCP connections accepted. */
  readonly connections: number;
  /** Requests per route (`GET /request-types`, …; `unmatched` for the rest). */
  readonly byRoute: Readonly<Record<string, number>>;
}

export interface DemoBackend {
  /** `http://127.0.0.1:<port>`, the value for `BACKEND_URL`. */
  readonly url: string;
  /** Live counters since start or the last `resetStats()`. */
  readonly stats: DemoBackendStats;
  resetStats(): void;
  requests(): readonly StoredRequest[];
  /** An agent answers on a request (the thread's other side); undefined for an unknown request. */
  addAgentComment(requestId: string, comment: { readonly text?: string; readonly author_name?: string; readonly attachments?: readonly CommentFile[] }): Comment | undefined;
  /** An agent changes the text of one of their comments (the backend then sends `comment_edited`); undefined when unknown. */
  editAgentComment(requestId: string, commentId: string, text: string): Comment | undefined;
  /** Serves `bytes` at `GET /files/<name>` (agents' attachments point there). */
  serveFile(name: string, bytes: Buffer, mimeType: string): string;
  /** The URL of a served file; `sample.pdf` and `photo.png` are there from the start. */
  fileUrl(name: string): string;
  /** Adds `ms` to every request of one route (on top of `latencyMs`), e.g. a slow submission; 0 removes it. */
  setRouteLatency(route: DemoRoute, ms: number): void;
  /** Applies `fault` to a route (or every route) for the next `times` requests (all when omitted). */
  setFault(route: DemoRoute | '*', fault: DemoFault, times?: number): void;
  /** Moves every open request one step on now, calling `onStatusChange` for each. */
  advanceStatuses(): Promise<StatusNotification[]>;
  /** Resolves the person's newest request that is still being worked on, and tells the bot (sandbox `/resolve`). */
  resolveNewest(telegramUserId: number): Promise<StatusNotification | undefined>;
  /** Moves one request to a status, as an agent would, and tells the bot. */
  setStatus(id: string, status: StatusNotification['status'], comment?: string): Promise<StatusNotification | undefined>;
  /** Every cancel, confirm, reopen and rating call and their follow-ups, with what it did (`applied`, `replayed`, `refused`, `not-found`). */
  lifecycleLog(): readonly LifecycleRecord[];
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 64 * 1024;
const MAX_LIST_LIMIT = 50;

interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

class BadRequest extends Error {
  override readonly name = 'BadRequest';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Starts the demo backend on loopback: the whole contract of DESIGN.md section 4, in memory,
 * with latency and faults to inject, and counters to read. Tests, the sandbox and the
 * benchmark use it in place of the organisation's backend.
 */
export async function startDemoBackend(options: DemoBackendOptions = {}): Promise<DemoBackend> {
  const catalogue = createDemoCatalogue(options.catalogue);
  const store = createRequestStore({
    ...(options.maxReopens !== undefined && { maxReopens: options.maxReopens }),
    ...(options.commentsWhenClosed !== undefined && { commentsWhenClosed: options.commentsWhenClosed }),
  });
  const advancer = createStatusAdvancer({
    store,
    everyMs: options.advanceEveryMs ?? Number.POSITIVE_INFINITY,
    onStatusChange: options.onStatusChange,
  });
  const stats = { requests: 0, connections: 0, byRoute: {} as Record<string, number> };
  const faults = new Map<DemoRoute | '*', { fault: DemoFault; remaining: number }>();
  const files = new Map<string, { readonly bytes: Buffer; readonly mimeType: string }>(SAMPLE_FILES);
  const routeLatency = new Map<DemoRoute, number>();
  // Sockets that already carried a request: later requests on them skip the handshake delay.
  const warmSockets = new WeakSet<Socket>();
  const expectedAuth = options.apiKey === undefined ? undefined : digest(`Bearer ${options.apiKey}`);

  function takeFault(route: DemoRoute | undefined): DemoFault {
    for (const key of [route, '*'] as const) {
      if (key === undefined) continue;
      const entry = faults.get(key);
      if (entry === undefined) continue;
      entry.remaining -= 1;
      if (entry.remaining <= 0) faults.delete(key);
      return entry.fault;
    }
    return 'none';
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://demo.invalid');
    const match = matchRoute(method, url.pathname, options.followUps !== false);
    const routeName = match.route ?? 'unmatched';
    stats.requests += 1;
    stats.byRoute[routeName] = (stats.byRoute[routeName] ?? 0) + 1;

    const firstOnSocket = !warmSockets.has(req.socket);
    warmSockets.add(req.socket);
    const delay =
      (firstOnSocket ? (options.connectionLatencyMs ?? 0) : 0) + (options.latencyMs ?? 0) + (match.route ? (routeLatency.get(match.route) ?? 0) : 0);
    if (delay > 0) await sleep(delay);
    if (res.destroyed) return;

    const fault = takeFault(match.route);
    if (fault === 'refuse') {
      req.socket.destroy();
      return;
    }
    if (fault === 'timeout') return;

    let answer: Answer;
    if (fault === '500') {
      answer = failure(500, 'internal', 'Injected fault: internal error');
    } else if (fault === 'malformed-json') {
      answer = { status: 200, body: '{"id": 1, "name": "Rep' };
    } else if (fault === 'wrong-shape') {
      answer = { status: 200, body: { data: 'not what the contract says' } };
    } else if (expectedAuth !== undefined && !sameDigest(digest(req.headers.authorization ?? ''), expectedAuth)) {
      answer = { ...failure(401, 'unauthorized', 'Missing or wrong API key'), headers: { 'www-authenticate': 'Bearer' } };
    } else {
      try {
        answer = await route(req, url, match);
      } catch (error) {
        answer =
          error instanceof BadRequest
            ? failure(error.status, error.code, error.message)
            : failure(500, 'internal', 'Unexpected error in the demo backend');
      }
      if (fault === 'fail-after-create') answer = failure(500, 'internal', 'Injected fault: failed after the work was done');
    }
    send(res, answer);
    options.onRequest?.({ method, route: routeName, status: answer.status, ms: Math.round(performance.now() - started) });
  }

  /** The request as a person of that language reads it: catalogue names and the demo's own status comments translated. */
  function inLanguage(request: StoredRequest, lang: DemoLanguage): StoredRequest {
    if (lang === 'en') return request;
    const { request_type_id: typeId, side_id: sideId, category_id: categoryId } = request;
    return {
      ...request,
      request_type_name: catalogue.requestTypeName(typeId, lang) ?? request.request_type_name,
      side_name: catalogue.sideName(sideId, lang) ?? request.side_name,
      category_name: catalogue.findCategory(typeId, sideId, categoryId, lang)?.name ?? request.category_name,
      status_history: request.status_history.map((entry) => (entry.comment === undefined ? entry : { ...entry, comment: translateComment(entry.comment, lang) })),
    };
  }

  async function route(req: IncomingMessage, url: URL, match: RouteMatch): Promise<Answer> {
    const lang = preferredLanguage(req.headers['accept-language']);
    switch (match.route) {
      case 'GET /request-types':
        return ok(catalogue.listRequestTypes(lang));
      case 'GET /request-types/:id/sides': {
        const typeId = positiveInteger(match.id);
        const sides = typeId === undefined ? undefined : catalogue.listSides(typeId, lang);
        return sides === undefined ? failure(404, 'not_found', `No request type ${match.id}`) : ok(sides);
      }
      case 'GET /service-categories': {
        const typeId = requiredInteger(url, 'request_type_id');
        const sideId = requiredInteger(url, 'side_id');
        const categories = catalogue.listCategories(typeId, sideId, lang);
        return categories === undefined
          ? failure(404, 'not_found', `No side ${sideId} for request type ${typeId}`)
          : ok(categories);
      }
      case 'POST /requests':
        return createRequest(req);
      case 'GET /requests': {
        const userId = requiredInteger(url, 'telegram_user_id');
        const limitText = url.searchParams.get('limit');
        const limit = limitText === null ? 10 : positiveInteger(limitText);
        if (limit === undefined || limit > MAX_LIST_LIMIT) {
          throw new BadRequest(400, 'invalid_query', `limit must be a whole number from 1 to ${MAX_LIST_LIMIT}`);
        }
        // A backend without paging knows neither the cursor nor the filter: it answers the newest.
        if (options.listAnswer === 'array') return ok(store.listByUser(userId, limit).map((request) => toRequestSummary(inLanguage(request, lang))));
        const status = url.searchParams.get('status');
        if (status !== null && status !== 'open') throw new BadRequest(400, 'invalid_query', 'status must be "open" when given');
        const cursor = url.searchParams.get('cursor');
        const beforeSequence = cursor === null ? undefined : sequenceOfCursor(cursor);
        const page = store.listPage(userId, { limit, openOnly: status === 'open', ...(beforeSequence !== undefined && { beforeSequence }) });
        const last = page.items.at(-1);
        return ok({
          items: page.items.map((request) => toRequestSummary(inLanguage(request, lang))),
          next_cursor: page.more && last !== undefined ? cursorOf(last.sequence, options.longCursors === true) : null,
        });
      }
      case 'GET /requests/:id': {
        const request = store.get(match.id ?? '');
        return request === undefined ? failure(404, 'not_found', 'No such request') : ok(toRequestDetails(inLanguage(request, lang)));
      }
      case 'POST /requests/:id/comments':
        return addComment(req, match.id ?? '');
      case 'GET /files/:name': {
        const file = files.get(match.id ?? '');
        if (file === undefined) return failure(404, 'not_found', 'No such file');
        return { status: 200, body: file.bytes, headers: { 'content-type': file.mimeType } };
      }
      case 'POST /requests/:id/cancel':
        return lifecycle(req, match.id ?? '', 'cancel');
      case 'POST /requests/:id/confirm':
        return lifecycle(req, match.id ?? '', 'confirm');
      case 'POST /requests/:id/reopen':
        return lifecycle(req, match.id ?? '', 'reopen');
      case 'POST /requests/:id/rating':
        return lifecycle(req, match.id ?? '', 'rating');
      case 'PATCH /requests/:id/cancel':
        return lifecycle(req, match.id ?? '', 'cancel-reason');
      case 'PATCH /requests/:id/rating':
        return lifecycle(req, match.id ?? '', 'rating-comment');
      case 'PATCH /requests/:id/comments/:id':
        return editComment(req, match.id ?? '', match.commentId ?? '');
      case undefined:
        return match.allow === undefined
          ? failure(404, 'not_found', `No route ${req.method ?? 'GET'} ${url.pathname}`)
          : { ...failure(405, 'method_not_allowed', `Use ${match.allow}`), headers: { allow: match.allow } };
    }
  }

  async function createRequest(req: IncomingMessage): Promise<Answer> {
    const key = idempotencyKeyOf(req);
    const body = validBody(NewRequestSchema, parseJson(await readBody(req)));
    const category = catalogue.findCategory(body.request_type_id, body.side_id, body.category_id);
    if (category === undefined) {
      throw new BadRequest(422, 'unknown_category', 'The category does not belong to that request type and side');
    }
    const result = store.create(body, key, {
      requestTypeName: catalogue.requestTypeName(body.request_type_id) ?? '',
      sideName: catalogue.sideName(body.side_id) ?? '',
      categoryName: category.name,
    });
    if (result.outcome === 'conflict') {
      throw new BadRequest(409, 'idempotency_conflict', 'This Idempotency-Key was used with a different body');
    }
    return { status: result.outcome === 'created' ? 201 : 200, body: toCreatedRequest(result.request) };
  }

  async function addComment(req: IncomingMessage, requestId: string): Promise<Answer> {
    const key = idempotencyKeyOf(req);
    const result = store.addCustomerComment(requestId, validBody(NewCommentSchema, parseJson(await readBody(req))), key);
    switch (result.outcome) {
      case 'not_found':
        return failure(404, 'not_found', 'No such request');
      case 'closed':
        return failure(409, 'request_closed', 'This request no longer takes comments');
      case 'conflict':
        return failure(409, 'idempotency_conflict', 'This Idempotency-Key was used with a different comment');
      default:
        return { status: result.outcome === 'created' ? 201 : 200, body: { id: result.comment.id, created_at: result.comment.at } };
    }
  }

  /** The person's edit of their own comment: 200 with its id and when it changed; the same key again answers the same. */
  async function editComment(req: IncomingMessage, requestId: string, commentId: string): Promise<Answer> {
    const key = idempotencyKeyOf(req);
    const result = store.editCustomerComment(requestId, commentId, validBody(EditCommentSchema, parseJson(await readBody(req))), key);
    switch (result.outcome) {
      case 'not_found':
      case 'closed':
        return failure(404, 'not_found', 'No such comment of this person');
      case 'conflict':
        return failure(409, 'idempotency_conflict', 'This Idempotency-Key was used with a different edit');
      default:
        return { status: 200, body: { id: result.comment.id, edited_at: result.comment.edited_at ?? result.comment.at } };
    }
  }

  /** Cancel, confirm, reopen, rate and the follow-ups: the request as it stands after the call (201 for a new rating). */
  async function lifecycle(req: IncomingMessage, id: string, action: LifecycleCall['action']): Promise<Answer> {
    const key = idempotencyKeyOf(req);
    const json = parseJson(await readBody(req));
    const call = ((): LifecycleCall => {
      switch (action) {
        case 'cancel':
          return { action, body: validBody(CancelRequestSchema, json) };
        case 'confirm':
          return { action, body: validBody(ConfirmResolutionSchema, json) };
        case 'reopen':
          return { action, body: validBody(ReopenRequestSchema, json) };
        case 'rating':
          return { action, body: validBody(RateRequestSchema, json) };
        case 'cancel-reason':
          return { action, body: validBody(CancelReasonSchema, json) };
        case 'rating-comment':
          return { action, body: validBody(RatingCommentSchema, json) };
      }
    })();
    const result = store.act(id, call, key);
    switch (result.outcome) {
      case 'not-found':
        return failure(404, 'not_found', 'No such request');
      case 'refused':
        return failure(409, result.code, REFUSALS[result.code]);
      case 'applied':
      case 'replayed':
        return {
          status: action === 'rating' && result.outcome === 'applied' ? 201 : 200,
          body: toRequestDetails(inLanguage(result.request, preferredLanguage(req.headers['accept-language']))),
        };
    }
  }

  const server = createServer((req, res) => {
    // handle() answers its own errors; this only catches a bug in it, which must not crash tests.
    handle(req, res).catch(() => res.destroy());
  });
  // Long keep-alive, as real backends behind a proxy have: the client decides when to drop.
  server.keepAliveTimeout = 65_000;
  server.on('connection', () => {
    stats.connections += 1;
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const fileUrlOf = (name: string) => `http://${options.host ?? '127.0.0.1'}:${port}/files/${encodeURIComponent(name)}`;
  if (options.advanceEveryMs !== undefined) advancer.start();

  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    get stats() {
      return stats;
    },
    resetStats() {
      stats.requests = 0;
      stats.connections = 0;
      stats.byRoute = {};
    },
    requests: () => store.all(),
    addAgentComment: (requestId, comment) => store.addAgentComment(requestId, comment),
    editAgentComment: (requestId, commentId, text) => store.editAgentComment(requestId, commentId, text),
    serveFile(name, bytes, mimeType) {
      files.set(name, { bytes, mimeType });
      return fileUrlOf(name);
    },
    fileUrl: (name) => fileUrlOf(name),
    setRouteLatency(routeName, ms) {
      if (ms > 0) routeLatency.set(routeName, ms);
      else routeLatency.delete(routeName);
    },
    setFault(routeName, fault, times = Number.POSITIVE_INFINITY) {
      if (fault === 'none') faults.delete(routeName);
      else faults.set(routeName, { fault, remaining: times });
    },
    advanceStatuses: () => advancer.advanceAll(),
    resolveNewest: (telegramUserId) => {
      const newest = store.listByUser(telegramUserId, MAX_LIST_LIMIT).find((request) => ['new', 'in_progress', 'waiting_for_customer'].includes(request.status));
      return newest === undefined ? Promise.resolve(undefined) : advancer.moveTo(newest.id, 'resolved', RESOLVED_COMMENT);
    },
    setStatus: (id, status, comment) => advancer.moveTo(id, status, comment),
    lifecycleLog: () => store.lifecycleLog(),
    async close() {
      advancer.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Idle keep-alive sockets and requests held by the `timeout` fault would block close.
        server.closeAllConnections();
      });
    },
  };
}

const RESOLVED_COMMENT = 'The work is done. Tell us whether it is solved.';

const REFUSALS: Readonly<Record<LifecycleRefusal, string>> = {
  invalid_status: 'The request is not in a status that allows this',
  reopen_limit: 'The request has been reopened as often as allowed; open a new one',
  already_rated: 'The request has been rated already',
  not_rated: 'The request has no rating to comment on yet',
  idempotency_conflict: 'This Idempotency-Key was used with a different body',
};

function idempotencyKeyOf(req: IncomingMessage): string {
  const key = req.headers['idempotency-key'];
  if (typeof key !== 'string' || key.trim() === '' || key.length > 255) {
    throw new BadRequest(400, 'missing_idempotency_key', 'The Idempotency-Key header is required (1-255 characters)');
  }
  return key;
}

function validBody<S extends v.GenericSchema>(schema: S, json: unknown): v.InferOutput<S> {
  const parsed = v.safeParse(schema, json);
  if (!parsed.success) {
    const fields = [...new Set(parsed.issues.map((issue) => v.getDotPath(issue) ?? '(body)'))].join(', ');
    throw new BadRequest(400, 'invalid_request', `Invalid request body: ${fields}`);
  }
  return parsed.output;
}

/** Opaque to the bot: the sequence of the page's last request (padded far past a button's size when asked). */
function cursorOf(sequence: number, long: boolean): string {
  const text = long ? JSON.stringify({ before: sequence, padding: 'x'.repeat(96) }) : `s${sequence}`;
  return Buffer.from(text).toString('base64url');
}

function sequenceOfCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const short = /^s(\d{1,15})$/.exec(text);
  if (short) return Number(short[1]);
  try {
    const long = JSON.parse(text) as { before?: unknown };
    if (typeof long.before === 'number' && Number.isInteger(long.before)) return long.before;
  } catch {
    // falls through to the error below
  }
  throw new BadRequest(400, 'invalid_cursor', 'The cursor is not one this backend gave');
}

interface RouteMatch {
  readonly route: DemoRoute | undefined;
  /** The `:id` of the path. */
  readonly id?: string;
  /** The comment's id of `PATCH /requests/:id/comments/:id`. */
  readonly commentId?: string;
  /** For a known path with the wrong method: the methods it takes. */
  readonly allow?: string;
}

function matchRoute(method: string, pathname: string, followUps: boolean): RouteMatch {
  const path = pathname.replace(/\/+$/, '') || '/';
  const sides = /^\/request-types\/([^/]+)\/sides$/.exec(path);
  const one = /^\/requests\/([^/]+)$/.exec(path);
  const comments = /^\/requests\/([^/]+)\/comments$/.exec(path);
  const file = /^\/files\/([^/]+)$/.exec(path);
  const act = /^\/requests\/([^/]+)\/(cancel|confirm|reopen|rating)$/.exec(path);
  const oneComment = /^\/requests\/([^/]+)\/comments\/([^/]+)$/.exec(path);
  const actId = act?.[1] === undefined ? undefined : decodeURIComponent(act[1]);
  const candidates: { route: DemoRoute; id?: string; matches: boolean }[] = [
    { route: 'GET /request-types', matches: path === '/request-types' },
    { route: 'GET /request-types/:id/sides', id: sides?.[1], matches: sides !== null },
    { route: 'GET /service-categories', matches: path === '/service-categories' },
    { route: 'POST /requests', matches: path === '/requests' },
    { route: 'GET /requests', matches: path === '/requests' },
    { route: 'GET /requests/:id', id: one?.[1] === undefined ? undefined : decodeURIComponent(one[1]), matches: one !== null },
    { route: 'POST /requests/:id/comments', id: comments?.[1] === undefined ? undefined : decodeURIComponent(comments[1]), matches: comments !== null },
    { route: 'GET /files/:name', id: file?.[1] === undefined ? undefined : decodeURIComponent(file[1]), matches: file !== null },
    { route: 'POST /requests/:id/cancel', id: actId, matches: act?.[2] === 'cancel' },
    { route: 'POST /requests/:id/confirm', id: actId, matches: act?.[2] === 'confirm' },
    { route: 'POST /requests/:id/reopen', id: actId, matches: act?.[2] === 'reopen' },
    { route: 'POST /requests/:id/rating', id: actId, matches: act?.[2] === 'rating' },
    { route: 'PATCH /requests/:id/cancel', id: actId, matches: followUps && act?.[2] === 'cancel' },
    { route: 'PATCH /requests/:id/rating', id: actId, matches: followUps && act?.[2] === 'rating' },
    // A backend without follow-ups (written before them) has no comment edits either.
    { route: 'PATCH /requests/:id/comments/:id', id: oneComment?.[1] === undefined ? undefined : decodeURIComponent(oneComment[1]), matches: followUps && oneComment !== null },
  ];
  const onPath = candidates.filter((candidate) => candidate.matches);
  const found = onPath.find((candidate) => candidate.route.startsWith(`${method} `));
  if (found !== undefined) return { route: found.route, id: found.id, ...(found.route === 'PATCH /requests/:id/comments/:id' && oneComment?.[2] !== undefined && { commentId: decodeURIComponent(oneComment[2]) }) };
  if (onPath.length === 0) return { route: undefined };
  return { route: undefined, allow: onPath.map((candidate) => candidate.route.split(' ')[0]).join(', ') };
}

/** What an agent can attach in the sandbox: a one-page PDF and a small PNG. */
const SAMPLE_FILES: readonly (readonly [string, { readonly bytes: Buffer; readonly mimeType: string }])[] = [
  [
    'sample.pdf',
    {
      mimeType: 'application/pdf',
      bytes: Buffer.from(
        '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
          '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
      ),
    },
  ],
  [
    'photo.png',
    {
      mimeType: 'image/png',
      bytes: Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'),
    },
  ],
];

function ok(body: unknown): Answer {
  return { status: 200, body };
}

function failure(status: number, code: string, message: string): Answer {
  const body: ErrorBody = { error: { code, message } };
  return { status, body };
}

function send(res: ServerResponse, answer: Answer): void {
  if (res.destroyed || res.headersSent) return;
  // A string body is sent as is: that is how the malformed-JSON fault gets through. Bytes are a file.
  const text = typeof answer.body === 'string' || Buffer.isBuffer(answer.body) ? answer.body : JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...answer.headers,
  });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new BadRequest(413, 'body_too_large', `The body must be at most ${MAX_BODY_BYTES} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new BadRequest(400, 'invalid_json', 'The body is not valid JSON');
  }
}

function positiveInteger(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d{1,15}$/.test(text)) return undefined;
  const value = Number(text);
  return value >= 1 ? value : undefined;
}

function requiredInteger(url: URL, name: string): number {
  const value = positiveInteger(url.searchParams.get(name) ?? undefined);
  if (value === undefined) throw new BadRequest(400, 'invalid_query', `${name} must be a positive whole number`);
  return value;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Constant time, so the demo does not teach a timing leak. */
function sameDigest(a: Buffer, b: Buffer): boolean {
  return timingSafeEqual(a, b);
}
