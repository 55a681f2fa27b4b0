import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../http/json.js';
import { appOrUnavailable, type EndpointDeps } from './endpoint-deps.js';

const PROBE_TIMEOUT_MS = 2000;

interface Probe {
  readonly reachable: boolean;
  readonly ms: number;
  readonly error?: string;
}

async function probe(check: () => Promise<unknown>): Promise<Probe> {
  const started = performance.now();
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer in ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS).unref()),
    ]);
    return { reachable: true, ms: Math.round(performance.now() - started) };
  } catch (error) {
    // The error's class only: messages can carry URLs, and this answer is public.
    const name = error instanceof Error ? error.name : 'Error';
    return { reachable: false, ms: Math.round(performance.now() - started), error: name };
  }
}

/** `GET /api/health`: version and whether the store and the backend answer. No secrets, no config. */
export function createHealthEndpoint(deps: EndpointDeps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'method not allowed: use GET' }, { allow: 'GET, HEAD' });
    const app = await appOrUnavailable(deps, res);
    if (!app) return;
    const { store, backend } = app.deps;
    const [redis, backendProbe] = await Promise.all([
      probe(() => store.exec([{ op: 'get', key: 'health:probe' }])),
      // eslint-disable-next-line serverless/cache-bypass -- a health check must reach the backend itself, not the cache
      probe(() => backend.listRequestTypes()),
    ]);
    const ok = redis.reachable && backendProbe.reachable;
    sendJson(res, ok ? 200 : 503, { ok, version: app.config.version, redis: { kind: store.kind, ...redis }, backend: backendProbe });
  };
}
