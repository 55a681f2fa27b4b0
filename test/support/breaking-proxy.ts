// A backend that breaks one rule of the contract: a proxy in front of the demo backend that
// rewrites one kind of request or answer, so the conformance check can be shown to catch it.
import { createServer, type Server } from 'node:http';
import { closeServer, listen, readBody } from './http.js';

export interface ProxiedRequest {
  readonly method: string;
  /** The path without the query. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: Readonly<Record<string, string>>;
  /** The parsed JSON body, if any. */
  readonly body: unknown;
}

export interface ProxiedAnswer {
  readonly status: number;
  /** Parsed JSON, or the text when it is not JSON. */
  readonly body: unknown;
}

/** Calls the real (demo) backend, e.g. to look up a request's owner. */
export type Upstream = (request: ProxiedRequest) => Promise<ProxiedAnswer>;

export interface Breakage {
  /** Changes what the backend receives. */
  readonly request?: (request: ProxiedRequest, upstream: Upstream) => ProxiedRequest | Promise<ProxiedRequest>;
  /** Changes what the check receives. */
  readonly answer?: (request: ProxiedRequest, answer: ProxiedAnswer, upstream: Upstream) => ProxiedAnswer | Promise<ProxiedAnswer>;
}

export interface BreakingProxy {
  readonly url: string;
  close(): Promise<void>;
}

export async function startBreakingProxy(upstreamUrl: string, breakage: Breakage): Promise<BreakingProxy> {
  const upstream: Upstream = async (request) => {
    const query = request.query.toString();
    const response = await fetch(`${upstreamUrl}${request.path}${query === '' ? '' : `?${query}`}`, {
      method: request.method,
      headers: { ...request.headers, ...(request.body !== undefined && { 'content-type': 'application/json' }) },
      ...(request.body !== undefined && { body: JSON.stringify(request.body) }),
    });
    const text = await response.text();
    return { status: response.status, body: parseOrText(text) };
  };
  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://proxy.invalid');
      const text = (await readBody(req)).toString('utf8');
      const headers: Record<string, string> = {};
      for (const name of ['authorization', 'idempotency-key', 'accept-language', 'accept']) {
        const value = req.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      let request: ProxiedRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers, body: text === '' ? undefined : parseOrText(text) };
      request = (await breakage.request?.(request, upstream)) ?? request;
      let answer = await upstream(request);
      answer = (await breakage.answer?.(request, answer, upstream)) ?? answer;
      const body = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
      res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    })().catch(() => res.destroy());
  });
  const url = await listen(server);
  return { url, close: () => closeServer(server) };
}

function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
