import { setImmediate as nextMacrotask } from 'node:timers/promises';
import ky, { HTTPError, TimeoutError, type KyResponse, type Options } from 'ky';
import { Agent } from 'undici';
import * as v from 'valibot';
import type { Logger } from '../../logger.js';
import type { Timed } from '../../metrics/timed.js';
import { count } from '../../metrics/update-scope.js';
import type { BackendPoolStats } from '../backend-client.js';
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
    const started = performance.now();
    let status: number | undefined;
    let response: KyResponse;
    try {
      response = await api(request.path, init);
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
    let text: string;
    try {
      text = await withTimeout(response.text(), timeoutMs);
    } catch (error) {
      throw new BackendError({ method, path: template, kind: 'timeout', status, detail: 'while reading the body', cause: error });
    }
    let json: unknown = null;
    if (text !== '') {
      try {
        json = JSON.parse(text);
      } catch (error) {
        throw new BackendError({ method, path: template, kind: 'invalid-response', status, detail: 'body is not JSON', cause: error });
      }
    }
    const parsed = v.safeParse(schema, json);
    if (!parsed.success) {
      const detail = parsed.issues.slice(0, 3).map((issue) => `${v.getDotPath(issue) ?? '(root)'}: expected ${issue.expected ?? 'a valid value'}`).join('; ');
      throw new BackendError({ method, path: template, kind: 'invalid-response', status, detail });
    }
    return parsed.output;
  }

  return {
    call(request, schema) {
      const run = () => attempt(request, schema);
      return options.timed ? options.timed(`backend.redmine ${request.method} ${request.template}`, run) : run();
    },
    poolStats() {
      const stats = agent.stats[origin];
      if (stats === undefined || !('free' in stats)) {
        return { connected: 0, free: 0, pending: 0, running: 0, size: 0, maxConnections: options.maxConnections };
      }
      const { connected, free, pending, running, size } = stats;
      return { connected, free, pending, running, size, maxConnections: options.maxConnections };
    },
    close() {
      closing ??= agent.close();
      return closing;
    },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no body within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

async function toBackendError(error: unknown, method: string, path: string, timeoutMs: number): Promise<BackendError> {
  if (error instanceof HTTPError) {
    const { status, statusText } = error.response;
    // Redmine's 422 names what it refused ({"errors": [...]}): short, and never what a person typed.
    const detail = status === 422 ? await error.response.text().catch(() => undefined) : undefined;
    error.message = error.message.replace(/\?[^\s#]*/g, '?[query]');
    return new BackendError({ method, path, kind: 'http', status, statusText, detail: detail?.slice(0, 200), cause: error });
  }
  if (error instanceof TimeoutError) return new BackendError({ method, path, kind: 'timeout', detail: `after ${timeoutMs} ms`, cause: error });
  const cause = error instanceof Error ? error.cause : undefined;
  const code = cause instanceof Error ? ((cause as Error & { code?: string }).code ?? cause.message) : undefined;
  return new BackendError({ method, path, kind: 'network', detail: code, cause: error });
}
