import ky, { TimeoutError } from 'ky';
import * as v from 'valibot';
import { backendRoutes, contractCalls, type BackendClient, type ContractCall } from '../../../lib/backend/backend-client.js';

/**
 * The product's contract calls (the same paths, query parameters, bodies, headers and schemas as
 * the bot: `contractCalls` of lib/backend/backend-client.ts) over a client that does not retry and
 * keeps what came back, so a check can say exactly what the backend answered.
 */

/** One request and its answer, as a check reports it. */
export interface Exchange {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly text: string;
}

/** A 4xx/5xx answer. */
export class HttpAnswerError extends Error {
  override readonly name = 'HttpAnswerError';
  constructor(readonly exchange: Exchange) {
    super(`${exchange.method} ${exchange.path} answered ${describeAnswer(exchange)}`);
  }
}

/** A 2xx answer that is not JSON or not the contract's shape. */
export class ShapeError extends Error {
  override readonly name = 'ShapeError';
  constructor(
    readonly exchange: Exchange,
    readonly problems: string,
  ) {
    super(`${exchange.method} ${exchange.path} answered ${exchange.status} not in the contract's shape (${problems}): ${excerpt(exchange.text)}`);
  }
}

/** No answer: refused, reset, timed out. */
export class NoAnswerError extends Error {
  override readonly name = 'NoAnswerError';
}

export type ContractClient = Omit<BackendClient, 'poolStats' | 'close'>;

export interface ProbeClient {
  readonly calls: ContractClient;
  /** The latest exchange of this client (statuses the product's methods do not return, e.g. 201 of a rating). */
  last(): Exchange | undefined;
}

export interface ProbeClientOptions {
  readonly baseUrl: string;
  /** Sent as `Authorization: Bearer …`; none when undefined. */
  readonly apiKey: string | undefined;
  readonly timeoutMs: number;
}

export function createProbeClient(options: ProbeClientOptions): ProbeClient {
  const prefixUrl = options.baseUrl.replace(/\/+$/, '') + '/';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.apiKey !== undefined) headers.authorization = `Bearer ${options.apiKey}`;
  const api = ky.create({ prefixUrl, headers, timeout: options.timeoutMs, retry: 0, throwHttpErrors: false });
  let latest: Exchange | undefined;

  const call: ContractCall = async (route, input, schema, init = {}) => {
    const { method } = backendRoutes[route];
    const query = init.searchParams === undefined ? '' : `?${new URLSearchParams(init.searchParams as Record<string, string>).toString()}`;
    const path = `/${input}${query}`;
    let response: Response;
    try {
      response = await api(input, { ...init, method });
    } catch (error) {
      const reason = error instanceof TimeoutError ? `no answer within ${options.timeoutMs} ms` : `no answer (${networkReason(error)})`;
      throw new NoAnswerError(`${method} ${path}: ${reason}`, { cause: error });
    }
    const exchange: Exchange = { method, path, status: response.status, text: await response.text() };
    latest = exchange;
    if (!response.ok) throw new HttpAnswerError(exchange);
    let json: unknown;
    try {
      json = JSON.parse(exchange.text);
    } catch {
      throw new ShapeError(exchange, 'not JSON');
    }
    const parsed = v.safeParse(schema, json);
    if (!parsed.success) throw new ShapeError(exchange, describeIssues(parsed.issues));
    return { data: parsed.output, status: response.status };
  };

  return { calls: contractCalls(call), last: () => latest };
}

/** `201 {"id":"…"}`: the status and the start of the body. */
export function describeAnswer(exchange: Exchange): string {
  const body = exchange.text.trim();
  return body === '' ? `${exchange.status} with no body` : `${exchange.status} ${excerpt(body)}`;
}

export function excerpt(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

export function describeIssues(issues: readonly v.BaseIssue<unknown>[]): string {
  const shown = issues.slice(0, 3).map((issue) => {
    const path = v.getDotPath(issue) ?? '(root)';
    return issue.received === 'undefined' ? `${path} missing` : `${path}: expected ${issue.expected ?? 'a valid value'}, got ${issue.received}`;
  });
  return shown.join('; ') + (issues.length > shown.length ? `; ${issues.length - shown.length} more` : '');
}

function networkReason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause: unknown = error.cause;
  if (cause instanceof Error) return (cause as Error & { code?: string }).code ?? cause.message;
  return error.message;
}
