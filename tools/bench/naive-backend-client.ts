import ky, { HTTPError, TimeoutError, type Options } from 'ky';
import { Agent } from 'undici';
import * as v from 'valibot';
import { backendRoutes, contractCalls, type BackendClient, type BackendRoute } from '../../lib/backend/backend-client.js';
import { BackendError } from '../../lib/backend/backend-error.js';
import { count } from '../../lib/metrics/update-scope.js';

export interface NaiveBackendClientOptions {
  readonly baseUrl: string;
  readonly apiKey?: string;
  readonly timeoutMs: number;
}

/**
 * The seed's "before" (`async with httpx.AsyncClient() as client: await client.get(url)`):
 * every call builds a new HTTP client with its own connection pool, asks the server to close the
 * connection, and throws the client away. So every call opens a new TCP connection (and, against
 * a real backend, pays a TLS handshake). No retries, as in the seed. Answers are validated with
 * the product's schemas, so both modes do the same parsing work and render the same screens.
 */
export function createNaiveBackendClient(options: NaiveBackendClientOptions): BackendClient {
  const prefixUrl = options.baseUrl.replace(/\/+$/, '') + '/';
  const headers: Record<string, string> = { accept: 'application/json', connection: 'close' };
  if (options.apiKey !== undefined) headers.authorization = `Bearer ${options.apiKey}`;
  let calls = 0;

  async function call<S extends v.GenericSchema>(
    route: BackendRoute,
    input: string,
    schema: S,
    init: Options = {},
  ): Promise<{ data: v.InferOutput<S>; status: number }> {
    const { method, template } = backendRoutes[route];
    const agent = new Agent({ connections: 1, keepAliveTimeout: 1, keepAliveMaxTimeout: 1 });
    const client = ky.create({
      prefixUrl,
      timeout: options.timeoutMs,
      headers,
      retry: 0,
      // Same cast as the product client: undici 7's Agent for Node's bundled fetch.
      dispatcher: agent as unknown as RequestInit['dispatcher'],
    } as Options);
    calls += 1;
    const started = performance.now();
    try {
      const response = await client(input, { ...init, method });
      const text = await response.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (error) {
        throw new BackendError({ method, path: template, kind: 'invalid-response', status: response.status, detail: 'body is not JSON', cause: error });
      }
      const parsed = v.safeParse(schema, json);
      if (!parsed.success) {
        throw new BackendError({ method, path: template, kind: 'invalid-response', status: response.status, detail: 'unexpected shape' });
      }
      return { data: parsed.output, status: response.status };
    } catch (error) {
      if (error instanceof BackendError) throw error;
      if (error instanceof HTTPError) {
        throw new BackendError({ method, path: template, kind: 'http', status: error.response.status, cause: error });
      }
      if (error instanceof TimeoutError) throw new BackendError({ method, path: template, kind: 'timeout', cause: error });
      throw new BackendError({ method, path: template, kind: 'network', cause: error });
    } finally {
      count('backendCalls');
      count('backendMs', Math.round(performance.now() - started));
      await agent.close().catch(() => undefined);
    }
  }

  return {
    ...contractCalls(call),
    poolStats() {
      // No pool: a client per call. `size` reports the calls made so far.
      return { connected: 0, free: 0, pending: 0, running: 0, size: calls, maxConnections: 0 };
    },
    async close() {},
  };
}
