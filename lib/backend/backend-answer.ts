// How any backend's HTTP answer is read, checked and named, whichever backend it is (the REST
// contract's, Redmine's): the body within the timeout, JSON validated at the edge, failures as
// `BackendError`s that carry no URL query and no received value (either may hold personal data).
import type { Agent } from 'undici';
import * as v from 'valibot';
import { BackendError, type BackendErrorKind } from './backend-error.js';

/** The backend pool as undici sees it; zeros until the first request opens the pool. */
export interface BackendPoolStats {
  readonly connected: number;
  readonly free: number;
  readonly pending: number;
  readonly running: number;
  readonly size: number;
  readonly maxConnections: number;
}

/** The pool of one origin in `agent`, as `BackendPoolStats`. */
export function poolStatsOf(agent: Agent, origin: string, maxConnections: number): BackendPoolStats {
  const stats = agent.stats[origin];
  if (stats === undefined) return { connected: 0, free: 0, pending: 0, running: 0, size: 0, maxConnections };
  if ('free' in stats) {
    const { connected, free, pending, running, size } = stats;
    return { connected, free, pending, running, size, maxConnections };
  }
  // With maxConnections 1 undici uses a single Client, whose stats have no `free`.
  const connected = stats.connected ? 1 : 0;
  const free = stats.connected && stats.running === 0 ? 1 : 0;
  return { connected, free, pending: stats.pending, running: stats.running, size: stats.size, maxConnections: 1 };
}

/** Reads the whole body; a body that stalls past the timeout is aborted (through `abort`) and reported as one. */
export async function readText(response: Response, abort: AbortController, timeoutMs: number, method: string, path: string): Promise<string> {
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    return await response.text();
  } catch (error) {
    const kind: BackendErrorKind = abort.signal.aborted ? 'timeout' : 'network';
    const { status, statusText } = response;
    throw new BackendError({ method, path, kind, status, statusText, detail: 'while reading the body', cause: error });
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The body as JSON, validated by `schema`. `empty` stands for an empty body where the backend answers
 * one (Redmine's 204); without it an empty body is not JSON.
 */
export function parseAnswer<S extends v.GenericSchema>(
  text: string,
  schema: S,
  call: { readonly method: string; readonly path: string; readonly status: number; readonly statusText?: string },
  options: { readonly empty?: unknown } = {},
): v.InferOutput<S> {
  const invalid = { ...call, kind: 'invalid-response' } as const;
  let json: unknown;
  if (text === '' && 'empty' in options) json = options.empty;
  else {
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new BackendError({ ...invalid, detail: 'body is not JSON', cause: error });
    }
  }
  const parsed = v.safeParse(schema, json);
  if (!parsed.success) throw new BackendError({ ...invalid, detail: describeIssues(parsed.issues) });
  return parsed.output;
}

/** ky puts the full URL in its messages; a query may hold a Telegram user id. */
export function withoutQuery<E extends Error>(error: E): E {
  const redact = (text: string) => text.replace(/\?[^\s#]*/g, '?[query]');
  error.message = redact(error.message);
  if (error.stack !== undefined) error.stack = redact(error.stack);
  return error;
}

/** `ECONNREFUSED` and the like, from a fetch failure's cause. */
export function networkReason(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const cause: unknown = error.cause;
  if (cause instanceof Error) {
    const code = (cause as Error & { code?: unknown }).code;
    return typeof code === 'string' ? code : cause.message;
  }
  return error.message;
}

function describeIssues(issues: readonly v.BaseIssue<unknown>[]): string {
  // Paths and expectations only: received values could be personal data.
  const shown = issues.slice(0, 3).map((issue) => {
    const path = v.getDotPath(issue) ?? '(root)';
    // A missing key is reported with received `undefined`; its `expected` is the key's own name.
    return issue.received === 'undefined' ? `${path}: missing` : `${path}: expected ${issue.expected ?? 'a valid value'}`;
  });
  const more = issues.length > shown.length ? `; ${issues.length - shown.length} more` : '';
  return shown.join('; ') + more;
}
