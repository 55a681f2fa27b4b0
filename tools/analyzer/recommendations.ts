import type { DependencyReport } from './dependencies.js';
import type { Finding, RuleId } from './findings.js';
import type { LogStats } from './log-analysis.js';
import type { StaticCheckResult } from './static-checks.js';

/**
 * Turns findings, dependency costs and log statistics into a ranked to-do list. Each item carries an
 * estimate of what it costs the average update (`impactMs`) and how the estimate was made; where the
 * logs do not give a number, the assumptions below (from the design's performance model) are used
 * and named in the text. Correctness problems (shared per-request state, errors) rank first, then
 * the rest by estimated ms per update.
 */

export type RecommendationKind = 'correctness' | 'latency' | 'cost' | 'hygiene';
export type Priority = 'high' | 'medium' | 'low';

export interface Recommendation {
  readonly id: string;
  readonly kind: RecommendationKind;
  readonly priority: Priority;
  /** What to do, one line. */
  readonly title: string;
  /** Why, with the evidence. */
  readonly detail: string;
  /** The estimate in words, with its basis. */
  readonly impact: string;
  /** Estimated ms saved per average update; 0 when it is not about latency. */
  readonly impactMs: number;
  /** Up to a few `file:line` places. */
  readonly where: readonly string[];
}

export interface Assumptions {
  /** A new TCP + TLS connection to the backend (design §5: e.g. 60 ms). */
  readonly handshakeMs: number;
  /** One backend request when the logs do not say (design §5: e.g. 40 ms). */
  readonly backendCallMs: number;
  /** One Upstash REST round trip. */
  readonly redisRoundTripMs: number;
  /** One outbound Bot API call (design §5: e.g. 20 ms). */
  readonly telegramCallMs: number;
  /** Cold-start rate when there are no logs. */
  readonly coldStartRate: number;
  /** Event-loop block of one synchronous I/O or crypto call. */
  readonly syncIoMs: number;
  /** Items an awaited loop typically walks. */
  readonly loopIterations: number;
}

export const DEFAULT_ASSUMPTIONS: Assumptions = {
  handshakeMs: 60,
  backendCallMs: 40,
  redisRoundTripMs: 10,
  telegramCallMs: 20,
  coldStartRate: 0.05,
  syncIoMs: 5,
  loopIterations: 3,
};

/** Thresholds the recommendations test against. */
export const TARGETS = {
  cacheHitRate: 0.9,
  redisRoundTripsPerUpdate: 2,
  backendCallsPerUpdate: 1,
  telegramCallsPerUpdate: 1.5,
  /** Above this rate, or when cold starts cost the average update 5 ms or more, bundling is recommended. */
  coldStartRate: 0.1,
  heavyImportMs: 50,
  bundleImportMs: 150,
  redisCommandsPerUpdate: 6,
} as const;

export interface RecommendationInput {
  readonly staticChecks?: StaticCheckResult | undefined;
  readonly dependencies?: DependencyReport | undefined;
  readonly logs?: LogStats | undefined;
  readonly assumptions?: Partial<Assumptions>;
}

export function recommend(input: RecommendationInput): Recommendation[] {
  const a: Assumptions = { ...DEFAULT_ASSUMPTIONS, ...input.assumptions };
  const logs = input.logs && input.logs.updates > 0 ? input.logs : undefined;
  const backendMs = logs?.backend.msPerCall ?? a.backendCallMs;
  const backendBasis =
    logs?.backend.msPerCall !== undefined ? `${fmt(backendMs)} ms per backend call in the logs` : `~${a.backendCallMs} ms per backend call (assumed)`;
  const coldRate = logs ? logs.coldStartRate : a.coldStartRate;
  const coldBasis = logs ? `a ${pct(coldRate)} cold-start rate in the logs` : `an assumed ${pct(coldRate)} cold-start rate`;
  const items: Omit<Recommendation, 'priority'>[] = [];

  // ---- static findings ----
  const findings = input.staticChecks?.findings ?? [];
  const byRule = (rule: RuleId): Finding[] => findings.filter((f) => f.rule === rule);

  const shared = byRule('module-state');
  if (shared.length > 0) {
    items.push({
      id: 'module-state',
      kind: 'correctness',
      title: `Move per-update state out of module scope (${count(shared.length, 'place')})`,
      detail:
        'Concurrent updates on one warm instance share module-scope variables: one chat can read or overwrite ' +
        "another's data. Keep it in locals, the update context or the Redis-backed session.",
      impact: 'correctness: wrong answers under concurrency, not a latency cost',
      impactMs: 0,
      where: places(shared),
    });
  }
  const clients = byRule('client-per-request');
  if (clients.length > 0) {
    const ms = clients.length * a.handshakeMs;
    items.push({
      id: 'client-per-request',
      kind: 'latency',
      title: `Build clients once per instance, not per request (${count(clients.length, 'place')})`,
      detail:
        'A client, agent or pool built per request opens new connections every update and never reuses them. ' +
        'Move it to module scope or a memoized factory.',
      impact: `up to ~${fmt(ms)} ms per update that reaches them (~${a.handshakeMs} ms per new TCP+TLS handshake, assumed), plus set-up CPU`,
      impactMs: ms,
      where: places(clients),
    });
  }
  const bypass = byRule('cache-bypass');
  if (bypass.length > 0) {
    const ms = bypass.length * backendMs;
    items.push({
      id: 'cache-bypass',
      kind: 'latency',
      title: `Read the catalogue through lib/catalog/ (${count(bypass.length, 'direct backend call')})`,
      detail: 'Catalogue data changes rarely; the cached module answers from L1/Redis without a backend round trip.',
      impact: `~${fmt(ms)} ms per update that reaches them (${backendBasis})`,
      impactMs: ms,
      where: places(bypass),
    });
  }
  const loops = byRule('await-in-loop');
  if (loops.length > 0) {
    const saved = (a.loopIterations - 1) * backendMs;
    items.push({
      id: 'await-in-loop',
      kind: 'latency',
      title: `Run awaited calls in loops together or batch them (${count(loops.length, 'loop')})`,
      detail: 'Each iteration waits for the previous one. Use Promise.all (in chunks), a Redis pipeline or a bulk call.',
      impact: `~${fmt(saved)} ms per loop of ${a.loopIterations} items (${a.loopIterations - 1} round trips saved at ${backendBasis})`,
      impactMs: saved * loops.length,
      where: places(loops),
    });
  }
  const sync = byRule('sync-io');
  if (sync.length > 0) {
    items.push({
      id: 'sync-io',
      kind: 'latency',
      title: `Replace blocking calls in per-request code with async ones (${count(sync.length, 'call')})`,
      detail: 'A synchronous call blocks the event loop for every update the instance is serving at that moment.',
      impact: `~${fmt(sync.length * a.syncIoMs)} ms of blocked event loop per update (~${a.syncIoMs} ms per call, assumed; more for big files or key derivation)`,
      impactMs: sync.length * a.syncIoMs,
      where: places(sync),
    });
  }
  const json = byRule('json-in-loop');
  if (json.length > 0) {
    items.push({
      id: 'json-in-loop',
      kind: 'latency',
      title: `Serialize once instead of per loop item (${count(json.length, 'loop')})`,
      detail: 'JSON work per item is CPU the update pays and often hides per-item storage writes.',
      impact: 'small (~1 ms per loop) unless the items are large',
      impactMs: json.length,
      where: places(json),
    });
  }
  const reasonless = byRule('require-disable-reason');
  if (reasonless.length > 0) {
    items.push({
      id: 'require-disable-reason',
      kind: 'hygiene',
      title: `Say why in the suppression comments that give no reason (${reasonless.length})`,
      detail: 'A suppression needs a reason: `// eslint-disable-next-line serverless/<rule> -- <why the code is fine>`.',
      impact: 'none at run time; keeps the lint (and --strict) meaningful',
      impactMs: 0,
      where: places(reasonless),
    });
  }

  // ---- logs ----
  if (logs) {
    if (logs.errors > 0 || logs.failedUpdates > 0) {
      const top = logs.topErrors.map((e) => `"${e.msg}" x${e.count}`).join(', ');
      const failing = logs.perHandler.filter((h) => h.failed > 0).map((h) => `${h.handler} x${h.failed}`).join(', ');
      items.push({
        id: 'log-errors',
        kind: 'correctness',
        title: `Investigate ${count(logs.errors, 'error line')} and ${count(logs.failedUpdates, 'failed update')} in the logs`,
        detail:
          (top ? `Most frequent errors: ${top}. ` : '') +
          (failing ? `Failed updates by handler: ${failing}. ` : '') +
          "People saw an apology instead of an answer; an update answered non-2xx is retried and holds back that chat's queue.",
        impact: 'correctness: failed updates, retries and a blocked per-chat queue',
        impactMs: 0,
        where: [],
      });
    }
    const hitRate = logs.cache.hitRate;
    if (hitRate !== undefined && hitRate < TARGETS.cacheHitRate) {
      const missesPerUpdate = logs.cache.misses / logs.updates;
      const targetMisses = logs.cache.lookupsPerUpdate * (1 - TARGETS.cacheHitRate);
      const saved = Math.max(0, missesPerUpdate - targetMisses) * backendMs;
      items.push({
        id: 'cache-hit-rate',
        kind: 'latency',
        title: `Cache hit ${pct(hitRate)} < ${pct(TARGETS.cacheHitRate)}: raise CATALOG_TTL_S, check the keys are shared across users`,
        detail:
          `${logs.cache.misses} misses against ${logs.cache.l1Hits} L1 and ${logs.cache.l2Hits} Redis hits. ` +
          'Catalogue keys must not contain user ids; a longer TTL (CATALOG_TTL_S, default 600 s) and a larger L1 ' +
          '(CACHE_MAX_ENTRIES) keep more answers warm.',
        impact: `~${fmt(saved)} ms per update at ${pct(TARGETS.cacheHitRate)} hits (each miss costs ~${fmt(backendMs)} ms: ${backendBasis})`,
        impactMs: saved,
        where: [],
      });
    }
    if (logs.backend.callsPerUpdate > TARGETS.backendCallsPerUpdate) {
      const saved = (logs.backend.callsPerUpdate - TARGETS.backendCallsPerUpdate) * backendMs;
      items.push({
        id: 'backend-calls',
        kind: 'latency',
        title: `${fmt(logs.backend.callsPerUpdate, 2)} backend calls per update: cache reads, batch or parallelize the rest`,
        detail: 'Warm catalogue navigation should cost 0 backend requests; only submissions and status views need the backend.',
        impact: `~${fmt(saved)} ms per update above 1 call per update (${backendBasis})`,
        impactMs: saved,
        where: [],
      });
    }
    if (logs.redis.roundTripsPerUpdate > TARGETS.redisRoundTripsPerUpdate) {
      const extra = logs.redis.roundTripsPerUpdate - TARGETS.redisRoundTripsPerUpdate;
      items.push({
        id: 'redis-round-trips',
        kind: 'latency',
        title: `${fmt(logs.redis.roundTripsPerUpdate, 2)} Upstash round trips per update > ${TARGETS.redisRoundTripsPerUpdate}: pipeline them`,
        detail:
          'Budget: one pipelined read (de-dup marker + session) at the start and one pipelined write at the end; ' +
          'catalogue taps can carry their position in callback_data and skip the session.',
        impact: `~${fmt(extra * a.redisRoundTripMs)} ms per update (~${a.redisRoundTripMs} ms per round trip, assumed)`,
        impactMs: extra * a.redisRoundTripMs,
        where: [],
      });
    }
    if (logs.redis.commandsPerUpdate > TARGETS.redisCommandsPerUpdate) {
      items.push({
        id: 'redis-commands',
        kind: 'cost',
        title: `${fmt(logs.redis.commandsPerUpdate, 2)} Upstash commands per update: Upstash bills every command, pipelined or not`,
        detail: 'Skip writes when nothing changed, and keep metrics counters in one hash (HINCRBY) per update.',
        impact: 'cost per update, not latency',
        impactMs: 0,
        where: [],
      });
    }
    if (logs.telegram.callsPerUpdate > TARGETS.telegramCallsPerUpdate) {
      const extra = logs.telegram.callsPerUpdate - 1;
      items.push({
        id: 'telegram-calls',
        kind: 'latency',
        title: `${fmt(logs.telegram.callsPerUpdate, 2)} Bot API calls per update: answer callbacks in the webhook reply, merge edits`,
        detail: 'answerCallbackQuery can ride in the webhook reply; editing one message beats delete + send.',
        impact: `~${fmt(extra * a.telegramCallMs)} ms per update (~${a.telegramCallMs} ms per Bot API call, assumed)`,
        impactMs: extra * a.telegramCallMs,
        where: [],
      });
    }
    for (const handler of slowHandlers(logs)) {
      const share = handler.latency.count / logs.updates;
      const excess = handler.latency.mean - (logs.latency?.mean ?? 0);
      items.push({
        id: `slow-handler:${handler.handler}`,
        kind: 'latency',
        title: `Bottleneck: handler "${handler.handler}" p50 ${fmt(handler.latency.p50)} ms, p95 ${fmt(handler.latency.p95)} ms`,
        detail:
          `${handler.latency.count} updates (${pct(share)}), ${fmt(handler.backendCallsPerUpdate, 2)} backend calls per update, ` +
          `${handler.cacheMisses} cache misses; overall p50 is ${fmt(logs.latency?.p50 ?? 0)} ms. Profile this path first.`,
        impact: `~${fmt(Math.max(0, excess) * share)} ms per average update (its excess over the mean x its share)`,
        impactMs: Math.max(0, excess) * share,
        where: [],
      });
    }
  }

  // ---- cold starts and dependencies ----
  const coldDelta =
    logs?.coldLatency && logs.warmLatency ? logs.coldLatency.p50 - logs.warmLatency.p50 : undefined;
  const together = input.dependencies?.allTogether?.medianMs;
  const coldCost = coldDelta !== undefined ? coldDelta * coldRate : 0;
  const coldFromLogs = logs !== undefined && coldDelta !== undefined && coldDelta > 0 && (coldRate > TARGETS.coldStartRate || coldCost >= 5);
  if (coldFromLogs || (!logs && together !== undefined && together > TARGETS.bundleImportMs)) {
    const perCold = coldDelta ?? together ?? 0;
    items.push({
      id: 'cold-starts',
      kind: 'latency',
      title: logs
        ? `Cold starts ${pct(coldRate)} of updates, ${fmt(perCold)} ms slower each: bundle the function, trim dependencies`
        : `Importing the runtime dependencies takes ${fmt(perCold)} ms per cold start: bundle the function`,
      detail:
        (coldDelta !== undefined ? `A cold update's p50 is ${fmt(coldDelta)} ms above a warm one's. ` : '') +
        (together !== undefined ? `All runtime dependencies import in ${fmt(together)} ms together. ` : '') +
        'Bundling (esbuild, one file) roughly halves import time; set Telegraf botInfo to skip getMe; keep instances warm with steady traffic.',
      impact: `~${fmt(perCold * coldRate)} ms per average update (${fmt(perCold)} ms per cold start at ${coldBasis})`,
      impactMs: perCold * coldRate,
      where: [],
    });
  }
  for (const dependency of input.dependencies?.dependencies ?? []) {
    const ms = dependency.importCost?.medianMs;
    if (ms === undefined || ms <= TARGETS.heavyImportMs) continue;
    items.push({
      id: `heavy-import:${dependency.name}`,
      kind: 'latency',
      title: `${dependency.name} costs ${fmt(ms)} ms to import: lazy-load it where only some updates need it`,
      detail:
        `Cold import median over ${input.dependencies?.runs ?? 0} fresh processes. Use \`await import('${dependency.name}')\` ` +
        'inside the code path that needs it, or a lighter alternative; if every update needs it, bundling is the lever.',
      impact: `~${fmt(ms * coldRate)} ms per average update (${fmt(ms)} ms per cold start at ${coldBasis})`,
      impactMs: ms * coldRate,
      where: [],
    });
  }

  return items
    .map((item) => ({ ...item, priority: priorityOf(item) }))
    .sort((x, y) => rank(x) - rank(y) || y.impactMs - x.impactMs || x.id.localeCompare(y.id));
}

/** Handlers whose median is at least twice the overall median (with at least 3 updates): at most 3. */
function slowHandlers(logs: LogStats): LogStats['perHandler'] {
  const overall = logs.latency?.p50;
  if (overall === undefined || logs.perHandler.length < 2) return [];
  return logs.perHandler
    .filter((h) => h.latency.count >= 3 && h.latency.p50 >= 2 * overall)
    .slice(0, 3);
}

function priorityOf(item: Omit<Recommendation, 'priority'>): Priority {
  if (item.kind === 'correctness') return 'high';
  if (item.kind === 'hygiene') return 'low';
  if (item.impactMs >= 20) return 'high';
  if (item.impactMs >= 5 || item.kind === 'cost') return 'medium';
  return 'low';
}

function rank(item: Recommendation): number {
  if (item.kind === 'correctness') return 0;
  return { high: 1, medium: 2, low: 3 }[item.priority];
}

function places(findings: readonly Finding[]): string[] {
  const shown = findings.slice(0, 3).map((f) => `${f.file}:${f.line}`);
  if (findings.length > 3) shown.push(`and ${findings.length - 3} more`);
  return shown;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

export function pct(ratio: number): string {
  return `${(ratio * 100).toFixed(ratio * 100 < 10 && ratio > 0 ? 1 : 0)}%`;
}

export function fmt(value: number, digits = 0): string {
  return value.toFixed(digits);
}
