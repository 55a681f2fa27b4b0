import type { IncomingMessage, ServerResponse } from 'node:http';
import type { App } from '../app.js';
import { sendJson } from '../http/json.js';
import { bearerToken, secretsEqual } from '../http/secrets.js';
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

interface HealthReport {
  readonly ok: boolean;
  readonly version: string;
  readonly redis: Probe & { readonly kind: string };
  readonly backend: Probe;
}

export interface HealthEndpointOptions {
  /** How long one probe's result answers every caller (10 s by default). */
  readonly cacheMs?: number;
  readonly now?: () => number;
}

/**
 * `GET /api/health`: whether the store and the backend answer. Anyone gets `{ok}` (and 200 or 503),
 * which is all an uptime monitor needs; `Authorization: Bearer $CRON_SECRET` also gets the version
 * and each probe (the operator's secret, already held where Vercel's cron runs; a wrong one is 401).
 *
 * The probe runs at most once per `cacheMs` per instance, and one at a time: a crowd of anonymous
 * calls costs one backend read and one store round trip, not one each.
 */
export function createHealthEndpoint(deps: EndpointDeps, options: HealthEndpointOptions = {}) {
  const cacheMs = options.cacheMs ?? 10_000;
  const now = options.now ?? Date.now;
  // The latest probe, kept while it runs too: callers meanwhile share it (single flight).
  let latest: { readonly at: number; readonly report: Promise<HealthReport> } | undefined;

  const healthOf = (app: App): Promise<HealthReport> => {
    const at = now();
    if (latest !== undefined && at - latest.at < cacheMs) return latest.report;
    latest = { at, report: probeAll(app) };
    return latest.report;
  };

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'method not allowed: use GET' }, { allow: 'GET, HEAD' });
    const app = await appOrUnavailable(deps, res);
    if (!app) return;
    const presented = bearerToken(req);
    const expected = app.config.cronSecret;
    if (presented !== undefined && (expected === undefined || !secretsEqual(presented, expected))) return sendJson(res, 401, { error: 'unauthorized' });
    const report = await healthOf(app);
    sendJson(res, report.ok ? 200 : 503, presented === undefined ? { ok: report.ok } : report);
  };
}

async function probeAll(app: App): Promise<HealthReport> {
  const { store, backend } = app.deps;
  const [redis, backendProbe] = await Promise.all([
    probe(() => store.exec([{ op: 'get', key: 'health:probe' }])),
    // eslint-disable-next-line serverless/cache-bypass -- a health check must reach the backend itself, not the cache
    probe(() => backend.listRequestTypes()),
  ]);
  return { ok: redis.reachable && backendProbe.reachable, version: app.config.version, redis: { kind: store.kind, ...redis }, backend: backendProbe };
}
