import { setImmediate as nextMacrotask } from 'node:timers/promises';
import ky, { HTTPError, TimeoutError, type KyResponse, type Options } from 'ky';
import { Agent } from 'undici';
import * as v from 'valibot';
import type { Logger } from '../logger.js';
import type { Timed } from '../metrics/timed.js';
import { count } from '../metrics/update-scope.js';
import { networkReason, parseAnswer, poolStatsOf, readText, withoutQuery, type BackendPoolStats } from './backend-answer.js';
import { BackendError } from './backend-error.js';

export type { BackendPoolStats } from './backend-answer.js';
import {
  CreatedCommentSchema,
  EditedCommentSchema,
  CreatedRequestSchema,
  ErrorBodySchema,
  RequestDetailsSchema,
  RequestPageSchema,
  RequestTypeListSchema,
  ServiceCategoryListSchema,
  SideListSchema,
  type CreatedComment,
  type EditComment,
  type EditedComment,
  type CancelReason,
  type CancelRequest,
  type ConfirmResolution,
  type CreatedRequest,
  type NewComment,
  type NewRequest,
  type RateRequest,
  type RatingComment,
  type ReopenRequest,
  type RequestDetails,
  type RequestPage,
  type RequestSummary,
  type RequestType,
  type ServiceCategory,
  type Side,
} from './schemas.js';

export interface BackendClientOptions {
  /** Base URL of the backend REST API, e.g. `https://backend.example.com/v1`. */
  readonly baseUrl: string;
  /** Sent as `Authorization: Bearer …` when set. */
  readonly apiKey?: string;
  /** Per attempt: waiting for the answer's headers, then again for its body. */
  readonly timeoutMs: number;
  /** Size of the connection pool to the backend origin. */
  readonly maxConnections: number;
  /** An attempt slower than this is logged as a warning. */
  readonly slowCallMs: number;
  readonly logger: Logger;
  /** Retries after the first attempt; 2 when omitted, 0 turns retrying off. */
  readonly retry?: { readonly limit: number };
  /** Records each contract call (retries included) as `backend.<call>` in the aggregated metrics. */
  readonly timed?: Timed;
}

/**
 * One method per call of the backend contract (DESIGN.md section 4). Build it once per
 * instance, outside the handlers, so its keep-alive pool lives as long as the instance.
 * Every method resolves with validated data or rejects with a `BackendError`.
 */
/**
 * How a read is asked for. `language` (a BCP 47 tag such as `ru`) goes out as `Accept-Language`:
 * a backend may answer names (request types, sides, services) and status comments in it, and one
 * that ignores it answers as before. Implementations that know no languages may leave it out.
 */
export interface ReadOptions {
  readonly language?: string;
}

export interface BackendClient {
  listRequestTypes(options?: ReadOptions): Promise<RequestType[]>;
  listSides(requestTypeId: number, options?: ReadOptions): Promise<Side[]>;
  listServiceCategories(requestTypeId: number, sideId: number, options?: ReadOptions): Promise<ServiceCategory[]>;
  /**
   * Creates a request. Retrying with the same `idempotencyKey` never creates a second one:
   * `created` is false when the backend answered with a request it already had (200).
   */
  createRequest(body: NewRequest, idempotencyKey: string): Promise<{ request: CreatedRequest; created: boolean }>;
  /** The user's requests, newest first (the first page only, when the backend pages). */
  listRequests(telegramUserId: number, limit?: number, options?: ReadOptions): Promise<RequestSummary[]>;
  /**
   * One page of the user's requests, newest first; `nextCursor` names the next (older) page.
   * Backends that do not page answer a plain array: that is the only page.
   */
  listRequestPage(telegramUserId: number, page: RequestPageQuery, options?: ReadOptions): Promise<RequestPage>;
  /** Rejects with a `BackendError` of status 404 when there is no such request. */
  getRequest(id: string, options?: ReadOptions): Promise<RequestDetails>;
  /**
   * Adds a comment to the person's request. The same `idempotencyKey` never adds a second one.
   * Rejects with status 404 (not the person's request) or 409 (it no longer takes comments).
   */
  addComment(requestId: string, body: NewComment, idempotencyKey: string): Promise<{ comment: CreatedComment; created: boolean }>;
  /**
   * The lifecycle calls: each answers the request as it stands after the change. Retrying with the
   * same `idempotencyKey` never acts twice; a change the request's status does not allow (or a
   * second rating, or one reopen too many) rejects with a `BackendError` of status 409.
   */
  cancelRequest(id: string, body: CancelRequest, idempotencyKey: string): Promise<RequestDetails>;
  confirmResolution(id: string, body: ConfirmResolution, idempotencyKey: string): Promise<RequestDetails>;
  reopenRequest(id: string, body: ReopenRequest, idempotencyKey: string): Promise<RequestDetails>;
  rateRequest(id: string, body: RateRequest, idempotencyKey: string): Promise<RequestDetails>;
  /**
   * The follow-ups of an act done at the tap: the reason of a cancellation, the comment of a rating
   * (PATCH, idempotent by key like the lifecycle calls). A backend written before them answers
   * 404 or 405; the caller then adds the text as an ordinary comment.
   */
  attachCancelReason(id: string, body: CancelReason, idempotencyKey: string): Promise<RequestDetails>;
  /**
   * The person edited a comment they sent (`PATCH /requests/{id}/comments/{comment_id}`, idempotent
   * by key). A backend without edits answers 404 or 405; the caller then adds the new text as a
   * comment with `correction_of` naming the earlier one.
   */
  editComment(requestId: string, commentId: string, body: EditComment, idempotencyKey: string): Promise<EditedComment>;
  attachRatingComment(id: string, body: RatingComment, idempotencyKey: string): Promise<RequestDetails>;
  poolStats(): BackendPoolStats;
  /** Closes the pool's connections; later calls fail with kind `network`. */
  close(): Promise<void>;
}

export interface RequestPageQuery {
  readonly limit: number;
  /** The `next_cursor` of the page before; the newest page without it. */
  readonly cursor?: string;
  /** Only requests that are not closed, rejected or cancelled. */
  readonly openOnly?: boolean;
}

/**
 * The contract's routes. Logs and errors name the `template`, never the real URL: the user
 * listing carries a Telegram user id in its query.
 */
export const backendRoutes = {
  listRequestTypes: { method: 'GET', template: '/request-types', pattern: /^\/request-types$/ },
  listSides: { method: 'GET', template: '/request-types/:id/sides', pattern: /^\/request-types\/[^/]+\/sides$/ },
  listServiceCategories: {
    method: 'GET',
    template: '/service-categories?request_type_id=:id&side_id=:id',
    pattern: /^\/service-categories$/,
  },
  createRequest: { method: 'POST', template: '/requests', pattern: /^\/requests$/ },
  listRequests: { method: 'GET', template: '/requests?telegram_user_id=:id&limit=:n', pattern: /^\/requests$/ },
  getRequest: { method: 'GET', template: '/requests/:id', pattern: /^\/requests\/[^/]+$/ },
  addComment: { method: 'POST', template: '/requests/:id/comments', pattern: /^\/requests\/[^/]+\/comments$/ },
  cancelRequest: { method: 'POST', template: '/requests/:id/cancel', pattern: /^\/requests\/[^/]+\/cancel$/ },
  confirmResolution: { method: 'POST', template: '/requests/:id/confirm', pattern: /^\/requests\/[^/]+\/confirm$/ },
  reopenRequest: { method: 'POST', template: '/requests/:id/reopen', pattern: /^\/requests\/[^/]+\/reopen$/ },
  rateRequest: { method: 'POST', template: '/requests/:id/rating', pattern: /^\/requests\/[^/]+\/rating$/ },
  attachCancelReason: { method: 'PATCH', template: '/requests/:id/cancel', pattern: /^\/requests\/[^/]+\/cancel$/ },
  attachRatingComment: { method: 'PATCH', template: '/requests/:id/rating', pattern: /^\/requests\/[^/]+\/rating$/ },
  editComment: { method: 'PATCH', template: '/requests/:id/comments/:comment_id', pattern: /^\/requests\/[^/]+\/comments\/[^/]+$/ },
} as const;

export type BackendRoute = keyof typeof backendRoutes;

/** The template of the route a request went to; unknown paths keep their path and lose their query. */
export function routeTemplate(method: string, pathname: string): string {
  const upper = method.toUpperCase();
  for (const route of Object.values(backendRoutes)) {
    if (route.method === upper && route.pattern.test(pathname)) return route.template;
  }
  return pathname;
}

// Retry-After beyond this means "not now": failing fast beats holding the chat's update queue.
const MAX_RETRY_AFTER_MS = 3_000;
const RETRY_BACKOFF_LIMIT_MS = 2_000;
const RETRY_STATUS_CODES = [408, 429, 500, 502, 503, 504];
const KEEP_ALIVE_TIMEOUT_MS = 30_000;
const KEEP_ALIVE_MAX_TIMEOUT_MS = 60_000;

/** Sends one contract call and validates its answer: the product's pooled client and the benchmark's naive one differ only here. */
export type ContractCall = <S extends v.GenericSchema>(
  route: BackendRoute,
  input: string,
  schema: S,
  init?: Options,
) => Promise<{ data: v.InferOutput<S>; status: number }>;

/** The contract's calls (paths, query parameters, schemas) on top of a way to send one. */
export function contractCalls(call: ContractCall): Omit<BackendClient, 'poolStats' | 'close'> {
  return {
    async listRequestTypes(options) {
      return (await call('listRequestTypes', 'request-types', RequestTypeListSchema, inLanguage(options))).data;
    },
    async listSides(requestTypeId, options) {
      return (await call('listSides', `request-types/${requestTypeId}/sides`, SideListSchema, inLanguage(options))).data;
    },
    async listServiceCategories(requestTypeId, sideId, options) {
      const searchParams = { request_type_id: requestTypeId, side_id: sideId };
      return (await call('listServiceCategories', 'service-categories', ServiceCategoryListSchema, { searchParams, ...inLanguage(options) })).data;
    },
    async createRequest(body, idempotencyKey) {
      const { data, status } = await call('createRequest', 'requests', CreatedRequestSchema, {
        json: body,
        headers: { 'idempotency-key': idempotencyKey },
      });
      return { request: data, created: status === 201 };
    },
    async listRequests(telegramUserId, limit = 10, options) {
      const searchParams = { telegram_user_id: telegramUserId, limit };
      return (await call('listRequests', 'requests', RequestPageSchema, { searchParams, ...inLanguage(options) })).data.items;
    },
    async listRequestPage(telegramUserId, page, options) {
      const searchParams: Record<string, string | number> = { telegram_user_id: telegramUserId, limit: page.limit };
      if (page.cursor !== undefined) searchParams.cursor = page.cursor;
      if (page.openOnly === true) searchParams.status = 'open';
      // Same route as listRequests: one call of the contract, logged and measured as one.
      return (await call('listRequests', 'requests', RequestPageSchema, { searchParams, ...inLanguage(options) })).data;
    },
    async getRequest(id, options) {
      return (await call('getRequest', `requests/${encodeURIComponent(id)}`, RequestDetailsSchema, inLanguage(options))).data;
    },
    async addComment(requestId, body, idempotencyKey) {
      const { data, status } = await call('addComment', `requests/${encodeURIComponent(requestId)}/comments`, CreatedCommentSchema, {
        json: body,
        headers: { 'idempotency-key': idempotencyKey },
      });
      return { comment: data, created: status === 201 };
    },
    cancelRequest: (id, body, key) => lifecycle('cancelRequest', id, 'cancel', body, key),
    confirmResolution: (id, body, key) => lifecycle('confirmResolution', id, 'confirm', body, key),
    reopenRequest: (id, body, key) => lifecycle('reopenRequest', id, 'reopen', body, key),
    rateRequest: (id, body, key) => lifecycle('rateRequest', id, 'rating', body, key),
    attachCancelReason: (id, body, key) => lifecycle('attachCancelReason', id, 'cancel', body, key),
    attachRatingComment: (id, body, key) => lifecycle('attachRatingComment', id, 'rating', body, key),
    async editComment(requestId, commentId, body, idempotencyKey) {
      const path = `requests/${encodeURIComponent(requestId)}/comments/${encodeURIComponent(commentId)}`;
      return (await call('editComment', path, EditedCommentSchema, { json: body, headers: { 'idempotency-key': idempotencyKey } })).data;
    },
  };

  /** `Accept-Language` when a language is asked for; nothing otherwise (the backend's default). */
  function inLanguage(options: ReadOptions | undefined): Options {
    return options?.language === undefined ? {} : { headers: { 'accept-language': options.language } };
  }

  /** A lifecycle POST or PATCH: idempotent thanks to its key, so retried like the submission. */
  async function lifecycle(route: BackendRoute, id: string, action: string, body: object, idempotencyKey: string): Promise<RequestDetails> {
    const init = { json: body, headers: { 'idempotency-key': idempotencyKey } };
    return (await call(route, `requests/${encodeURIComponent(id)}/${action}`, RequestDetailsSchema, init)).data;
  }
}

/**
 * Builds the backend client: one undici pool and one ky instance for the life of the instance.
 * GETs, and the POST thanks to its `Idempotency-Key`, are retried with backoff on network
 * errors and 408/429/5xx, honouring `Retry-After`. Timeouts are not retried.
 */
export function createBackendClient(options: BackendClientOptions): BackendClient {
  const { logger, timeoutMs, slowCallMs } = options;
  const prefixUrl = options.baseUrl.replace(/\/+$/, '') + '/';
  const base = new URL(prefixUrl);
  const basePath = base.pathname.replace(/\/$/, '');

  const agent = new Agent({
    connections: options.maxConnections,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    keepAliveMaxTimeout: KEEP_ALIVE_MAX_TIMEOUT_MS,
  });

  const routeOf = (method: string, url: string): string => {
    const pathname = new URL(url).pathname;
    return routeTemplate(method, pathname.startsWith(basePath) ? pathname.slice(basePath.length) : pathname);
  };

  /** Times one attempt (ky calls it once per try), feeds the update's counters, warns when slow. */
  const timedFetch = async (input: Parameters<typeof fetch>[0], init?: RequestInit): Promise<Response> => {
    // ky always passes a Request; the fallbacks only satisfy fetch's signature.
    const method = input instanceof Request ? input.method : (init?.method ?? 'GET');
    const url = input instanceof Request ? input.url : String(input);
    const started = performance.now();
    let status: number | undefined;
    let failure: string | undefined;
    try {
      const response = await globalThis.fetch(input, init);
      status = response.status;
      return response;
    } catch (error) {
      failure = error instanceof Error && error.name === 'AbortError' ? 'aborted' : 'network';
      throw error;
    } finally {
      const ms = Math.round(performance.now() - started);
      count('backendCalls');
      count('backendMs', ms);
      const fields = { method, path: routeOf(method, url), ms, status, failure };
      if (ms >= slowCallMs) logger.warn({ ...fields, slowCallMs }, 'slow backend call');
      else logger.debug(fields, 'backend call');
    }
  };

  let closing: Promise<void> | undefined;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.apiKey !== undefined) headers.authorization = `Bearer ${options.apiKey}`;

  const api = ky.create({
    prefixUrl,
    timeout: timeoutMs,
    headers,
    fetch: timedFetch,
    // ky hands options it does not know to fetch: the global fetch then uses our pool. The cast
    // bridges undici 7's types and those of the undici bundled in Node (same Dispatcher API).
    dispatcher: agent as unknown as RequestInit['dispatcher'],
    retry: {
      limit: options.retry?.limit ?? 2,
      // POST and PATCH carry an Idempotency-Key: a retry never acts twice.
      methods: ['get', 'post', 'patch'],
      statusCodes: RETRY_STATUS_CODES,
      afterStatusCodes: [429, 503],
      maxRetryAfter: MAX_RETRY_AFTER_MS,
      backoffLimit: RETRY_BACKOFF_LIMIT_MS,
      // ±20 %: instances that failed together should not retry in lockstep.
      jitter: (delay) => delay * (0.8 + Math.random() * 0.4),
      retryOnTimeout: false,
      shouldRetry: ({ error }) => {
        // ky would wait MAX_RETRY_AFTER_MS and try again; a backend asking for longer is down.
        if (error instanceof HTTPError && retryAfterMs(error.response) > MAX_RETRY_AFTER_MS) return false;
        return undefined;
      },
    },
    hooks: {
      beforeRetry: [
        async ({ request, error, retryCount }) => {
          // Read the failed answer to its end so its keep-alive connection goes back to the pool.
          if (error instanceof HTTPError) await error.response.arrayBuffer().catch(() => undefined);
          const path = routeOf(request.method, request.url);
          logger.debug({ method: request.method, path, retry: retryCount, reason: reasonOf(error) }, 'backend retry');
        },
      ],
    },
  });

  /** One contract call, timed as a whole when a `timed` wrapper was given. */
  function call<S extends v.GenericSchema>(
    route: BackendRoute,
    input: string,
    schema: S,
    init: Options = {},
  ): Promise<{ data: v.InferOutput<S>; status: number }> {
    const run = () => attempt(route, input, schema, init);
    return options.timed ? options.timed(`backend.${route}`, run) : run();
  }

  /** Send, read the body within the timeout, parse JSON, validate. */
  async function attempt<S extends v.GenericSchema>(
    route: BackendRoute,
    input: string,
    schema: S,
    init: Options,
  ): Promise<{ data: v.InferOutput<S>; status: number }> {
    const { method, template } = backendRoutes[route];
    // Aborted only when a body stalls after its headers arrived; ky's timeout covers the headers.
    const bodyAbort = new AbortController();
    // undici's pool learns that a connection is free again in a microtask that can run after the
    // caller's next request is dispatched; it then opens a second connection for back-to-back
    // calls. One macrotask hop lets it catch up, so sequential calls share one connection.
    await nextMacrotask();
    let response: KyResponse;
    try {
      response = await api(input, { ...init, method, signal: bodyAbort.signal });
    } catch (error) {
      throw await toBackendError(error, method, template);
    }
    const text = await readText(response, bodyAbort, timeoutMs, method, template);
    const { status, statusText } = response;
    return { data: parseAnswer(text, schema, { method, path: template, status, statusText }), status };
  }

  async function toBackendError(error: unknown, method: string, path: string): Promise<BackendError> {
    if (error instanceof BackendError) return error;
    if (error instanceof HTTPError) {
      const { status, statusText } = error.response;
      const code = await errorCode(error.response, timeoutMs);
      return new BackendError({ method, path, kind: 'http', status, statusText, code, cause: withoutQuery(error) });
    }
    if (error instanceof TimeoutError) {
      const detail = `after ${timeoutMs} ms`;
      return new BackendError({ method, path, kind: 'timeout', detail, cause: withoutQuery(error) });
    }
    return new BackendError({ method, path, kind: 'network', detail: networkReason(error), cause: error });
  }

  return {
    ...contractCalls(call),
    poolStats: () => poolStatsOf(agent, base.origin, options.maxConnections),
    close() {
      // Idempotent: a shutdown hook and a test teardown may both close.
      closing ??= agent.close();
      return closing;
    },
  };
}

/** The `code` of a contract error body, if the answer has one; never throws. */
async function errorCode(response: Response, timeoutMs: number): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(resolve, timeoutMs, undefined);
  });
  try {
    const text = await Promise.race([response.text(), late]);
    if (text === undefined) return undefined;
    const parsed = v.safeParse(ErrorBodySchema, JSON.parse(text));
    return parsed.success ? parsed.output.error.code : undefined;
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

function retryAfterMs(response: Response): number {
  const header = response.headers.get('retry-after');
  if (header === null) return 0;
  const seconds = Number(header);
  if (!Number.isNaN(seconds)) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? 0 : date - Date.now();
}

function reasonOf(error: Error): string {
  if (error instanceof HTTPError) return String(error.response.status);
  if (error instanceof TimeoutError) return 'timeout';
  return networkReason(error) ?? error.name;
}

