import type { IncomingMessage, ServerResponse } from 'node:http';
import { readJsonBody, sendJson } from '../http/json.js';
import { header } from '../http/secrets.js';
import { langFromCode } from '../i18n/index.js';
import { emptyCounters, withUpdateCounters } from '../metrics/update-scope.js';
import { failure, type AppAnswer, type AppCall, type MiniAppDeps } from './deps.js';
import { createAddComment } from './handlers/add-comment.js';
import { createCatalogue } from './handlers/catalogue.js';
import { createCreateRequest } from './handlers/create-request.js';
import { createDownloadFile } from './handlers/download-file.js';
import { createLifecycle } from './handlers/lifecycle.js';
import { createListRequests } from './handlers/list-requests.js';
import { createRequestDetails } from './handlers/request-details.js';
import { createUploadFile } from './handlers/upload-file.js';
import type { SignedDataProblem } from './init-data.js';

/** A JSON body of the app is a comment or a request: small. */
const MAX_JSON_BYTES = 64 * 1024;

type Handler = (call: AppCall) => Promise<AppAnswer>;

interface Route {
  readonly method: 'GET' | 'POST';
  /** `requests/:id/comments`, for the log line (ids never reach logs). */
  readonly name: string;
  readonly pattern: RegExp;
  readonly handler: Handler;
  /** Reads its own body (an upload); otherwise a POST body is JSON. */
  readonly rawBody?: boolean;
  /** Authorized by its signed link, not by initData: an `<img>` and Telegram's downloader send no header. */
  readonly signedLink?: boolean;
}

/**
 * The Mini App's API under `/api/app/`: one router, so one warm instance answers the page's every
 * call. Every call but a signed file link carries `Authorization: tma <initData>`; the person is
 * taken from Telegram's signed data only, and each call writes one log line with its costs.
 */
export function createMiniAppApi(deps: MiniAppDeps): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const routes: Route[] = [
    { method: 'GET', name: 'requests', pattern: /^requests$/, handler: createListRequests(deps) },
    { method: 'POST', name: 'requests', pattern: /^requests$/, handler: createCreateRequest(deps) },
    { method: 'GET', name: 'requests/:id', pattern: /^requests\/([^/]+)$/, handler: createRequestDetails(deps) },
    { method: 'POST', name: 'requests/:id/comments', pattern: /^requests\/([^/]+)\/comments$/, handler: createAddComment(deps) },
    ...(['cancel', 'confirm', 'reopen', 'rating'] as const).map(
      (action): Route => ({ method: 'POST', name: `requests/:id/${action}`, pattern: new RegExp(`^requests/([^/]+)/${action}$`), handler: createLifecycle(deps, action) }),
    ),
    { method: 'GET', name: 'catalog', pattern: /^catalog$/, handler: createCatalogue(deps) },
    { method: 'POST', name: 'uploads', pattern: /^uploads$/, handler: createUploadFile(deps), rawBody: true },
    { method: 'GET', name: 'files/:link', pattern: /^files\/([^/]+)$/, handler: createDownloadFile(deps) as Handler, signedLink: true },
  ];

  return (req, res) => {
    const counters = emptyCounters();
    return withUpdateCounters(counters, async () => {
      const started = performance.now();
      const { path, query } = appPath(req);
      const method = req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET');
      const matching = routes.filter((route) => route.pattern.test(path));
      const route = matching.find((candidate) => candidate.method === method);
      const log = deps.logger.child({ route: route ? `${route.method} ${route.name}` : 'unknown' });
      let result: AppAnswer;
      try {
        result = await serve(req, res, route, matching.length > 0, path, query, log);
      } catch (error) {
        log.error({ err: error }, 'the app call failed');
        result = failure(500, 'internal', 'something went wrong on our side, retry later');
      }
      if (!('streamed' in result)) sendJson(res, result.status, result.body, result.status === 401 ? { 'www-authenticate': 'tma' } : {});
      log.info(
        {
          status: res.statusCode,
          ms: Math.round(performance.now() - started),
          backend_calls: counters.backendCalls,
          redis_round_trips: counters.redisRoundTrips,
          telegram_calls: counters.telegramCalls,
        },
        'app call',
      );
    });
  };

  async function serve(
    req: IncomingMessage,
    res: ServerResponse,
    route: Route | undefined,
    pathKnown: boolean,
    path: string,
    query: URLSearchParams,
    log: AppCall['log'],
  ): Promise<AppAnswer> {
    if (!route) return pathKnown ? failure(405, 'method_not_allowed', `use ${req.method === 'GET' ? 'POST' : 'GET'} here`) : failure(404, 'not_found', `no such route: ${path}`);
    const params = (route.pattern.exec(path) ?? []).slice(1).map(decode);
    if (route.signedLink) return route.handler({ params, query, log, body: undefined, req, res } as unknown as AppCall);

    const checked = deps.verifier.initData(tmaData(req));
    if (!checked.ok) {
      log.info({ problem: checked.problem }, 'app call refused: initData');
      return unauthorized(checked.problem);
    }
    let body: unknown;
    if (req.method === 'POST' && !route.rawBody) {
      const read = await readJsonBody(req, MAX_JSON_BYTES);
      if (!read.ok) return failure(read.status, read.status === 413 ? 'too_large' : 'invalid_json', read.error);
      body = read.value;
    }
    return route.handler({ user: checked.data.user, initData: checked.data, lang: langFromCode(checked.data.user.languageCode), params, query, log, body, req, res });
  }
}

/** `Authorization: tma <initData>`, Telegram's convention for Mini Apps. */
function tmaData(req: IncomingMessage): string | undefined {
  const match = /^tma\s+(.+)$/is.exec(header(req, 'authorization') ?? '');
  return match?.[1]?.trim();
}

function unauthorized(problem: SignedDataProblem): AppAnswer {
  switch (problem) {
    case 'missing':
      return failure(401, 'init_data_missing', 'Open this from Telegram: the call carries no Telegram initData (Authorization: tma <initData>)');
    case 'stale':
      return failure(401, 'init_data_expired', 'Telegram\'s initData is too old: close the app and open it again from the chat');
    case 'forged':
    case 'malformed':
      return failure(401, 'init_data_invalid', 'Telegram\'s initData is not valid for this bot: open this from Telegram');
  }
}

/**
 * The path under `/api/app/` and the query. On Vercel the router function may see the rewritten URL
 * (`/api/app/[...path]?path=requests/42`) rather than the one the page asked for: both are read.
 */
export function appPath(req: IncomingMessage): { path: string; query: URLSearchParams } {
  const url = new URL(req.url ?? '/', 'http://app.invalid');
  const query = new URLSearchParams(url.searchParams);
  const direct = /^\/api\/app\/(.*?)\/?$/.exec(url.pathname)?.[1];
  const rewritten = direct === undefined || direct === '[...path]' || direct === '%5B...path%5D';
  const path = rewritten ? (query.get('path') ?? '') : direct;
  if (rewritten) query.delete('path');
  return { path: path.replace(/^\/+|\/+$/g, ''), query };
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
