import { setImmediate as nextMacrotask } from 'node:timers/promises';
import ky, { HTTPError, TimeoutError, type KyResponse, type Options } from 'ky';
import { Agent } from 'undici';
import type * as v from 'valibot';
import type { Logger } from '../../logger.js';
import type { Timed } from '../../metrics/timed.js';
import { count } from '../../metrics/update-scope.js';
import { networkReason, parseAnswer, poolStatsOf, readText, withoutQuery, type BackendPoolStats } from '../backend-answer.js';
import { BackendError } from '../backend-error.js';

export interface RedmineHttpOptions {
  readonly url: string;
  readonly apiKey: string;
  readonly timeoutMs: number;
  readonly maxConnections: number;
  readonly slowCallMs: number;
  readonly logger: Logger;
  readonly timed?: Timed;
  /** Retries of a GET after the first attempt (writes are never retried here: Redmine has no idempotency keys). */
  readonly retryLimit?: number;
}

/** One Redmine call: `template` names it in logs, metrics and errors (never the URL, which may carry a Telegram id). */
export interface RedmineCall {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly template: string;
  readonly path: string;
  readonly searchParams?: Record<string, string | number>;
  readonly json?: unknown;
  readonly body?: RequestInit['body'];
  readonly headers?: Record<string, string>;
}

export interface RedmineHttp {
  call<S extends v.GenericSchema>(request: RedmineCall, schema: S): Promise<v.InferOutput<S>>;
  poolStats(): BackendPoolStats;
  close(): Promise<void>;
}

const KEEP_ALIVE_TIMEOUT_MS = 30_000;

/**
 * The keep-alive client to one Redmine, built once per instance like the REST backend's: one undici
 * pool, one ky instance sending `X-Redmine-API-Key`, every answer read within the timeout, parsed and
 * validated; failures are `BackendError`s with the call's template.
 */
export function createRedmineHttp(options: RedmineHttpOptions): RedmineHttp {
  const { logger, timeoutMs, slowCallMs } = options;
  const prefixUrl = options.url.replace(/\/+$/, '') + '/';
  const origin = new URL(prefixUrl).origin;
  const agent = new Agent({ connections: options.maxConnections, keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS, keepAliveMaxTimeout: 60_000 });
  let closing: Promise<void> | undefined;

  const api = ky.create({
    prefixUrl,
    timeout: timeoutMs,
    headers: { accept: 'application/json', 'x-redmine-api-key': options.apiKey },
    dispatcher: agent as unknown as RequestInit['dispatcher'],
    retry: { limit: options.retryLimit ?? 2, methods: ['get'], statusCodes: [408, 429, 500, 502, 503, 504], backoffLimit: 2_000, retryOnTimeout: false },
  });

  async function attempt<S extends v.GenericSchema>(request: RedmineCall, schema: S): Promise<v.InferOutput<S>> {
    const { method, template } = request;
    // An `undefined` headers option would drop ky's defaults (the API key) altogether.
    const init: Options = { method, ...(request.headers !== undefined && { headers: request.headers }) };
    if (request.searchParams !== undefined) init.searchParams = request.searchParams;
    if (request.json !== undefined) init.json = request.json;
    if (request.body !== undefined) {
      init.body = request.body;
      // A streamed body (a person's file on its way from Telegram) needs half duplex in Node's fetch.
      if (request.body instanceof ReadableStream) (init as Options & { duplex: 'half' }).duplex = 'half';
    }
    // Same reason as the REST client: let the pool see its free connection before the next call.
    await nextMacrotask();
    // Aborted only when a body stalls after its headers arrived; ky's timeout covers the headers.
    const bodyAbort = new AbortController();
    const started = performance.now();
    let status: number | undefined;
    let response: KyResponse;
    try {
      response = await api(request.path, { ...init, signal: bodyAbort.signal });
      status = response.status;
    } catch (error) {
      if (error instanceof HTTPError) status = error.response.status;
      throw await toBackendError(error, method, template, timeoutMs);
    } finally {
      const ms = Math.round(performance.now() - started);
      count('backendCalls');
      count('backendMs', ms);
      const fields = { method, path: template, ms, status };
      if (ms >= slowCallMs) logger.warn({ ...fields, slowCallMs }, 'slow backend call');
      else logger.debug(fields, 'backend call');
    }
    const text = await readText(response, bodyAbort, timeoutMs, method, template);
    // Redmine answers an update with 204 and no body.
    return parseAnswer(text, schema, { method, path: template, status: response.status, statusText: response.statusText }, { empty: null });
  }

  return {
    call(request, schema) {
      const run = () => attempt(request, schema);
      return options.timed ? options.timed(`backend.redmine ${request.method} ${request.template}`, run) : run();
    },
    poolStats: () => poolStatsOf(agent, origin, options.maxConnections),
    close() {
      closing ??= agent.close();
      return closing;
    },
  };
}


async function toBackendError(error: unknown, method: string, path: string, timeoutMs: number): Promise<BackendError> {
  if (error instanceof HTTPError) {
    const { status, statusText } = error.response;
    // Redmine's 422 names what it refused ({"errors": [...]}): short, and never what a person typed.
    const detail = status === 422 ? await error.response.text().catch(() => undefined) : undefined;
    return new BackendError({ method, path, kind: 'http', status, statusText, detail: detail?.slice(0, 200), cause: withoutQuery(error) });
  }
  if (error instanceof TimeoutError) return new BackendError({ method, path, kind: 'timeout', detail: `after ${timeoutMs} ms`, cause: withoutQuery(error) });
  return new BackendError({ method, path, kind: 'network', detail: networkReason(error), cause: error });
}
