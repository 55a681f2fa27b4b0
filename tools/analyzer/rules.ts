import type { RuleId, Severity } from './findings.js';

/**
 * The static rules: what each one looks for, why it matters on Vercel functions, and the fix.
 * `static-checks.ts` finds the places; this catalogue holds the words and default severities,
 * so the report, `--json` consumers and the docs read the same text.
 */
export interface RuleInfo {
  readonly id: RuleId;
  readonly severity: Severity;
  readonly summary: string;
  readonly why: string;
  readonly fix: string;
}

export const RULES: Readonly<Record<RuleId, RuleInfo>> = {
  'client-per-request': {
    id: 'client-per-request',
    severity: 'error',
    summary: 'an HTTP agent, connection pool or client is built inside per-request code',
    why:
      'every update then pays a new TCP/TLS handshake (tens of ms) and a fresh client setup, ' +
      'and the pool never gets reused - the mistake the seed bot fixed with connection pooling',
    fix:
      'build it once per instance: at module scope or in a memoized factory ' +
      '(`let x; export const getX = () => (x ??= new X(...))`) and pass it in',
  },
  'await-in-loop': {
    id: 'await-in-loop',
    severity: 'warn',
    summary: 'a call is awaited inside a loop body',
    why: 'the iterations run one after another, so the update pays the sum of the round trips instead of the longest one',
    fix:
      'start the calls together (`await Promise.all(items.map(...))`, in chunks if there are many), ' +
      'or batch them into one request (a Redis pipeline, a bulk backend call)',
  },
  'sync-io': {
    id: 'sync-io',
    severity: 'warn',
    summary: 'a synchronous (blocking) file, process, crypto or compression call in per-request code',
    why: 'it blocks the event loop, and on Fluid compute that stalls every other update the instance is serving',
    fix:
      'use the async API (fs/promises, crypto.pbkdf2/scrypt with a callback or promisify, zlib streams), ' +
      'or do the work once at module scope (e.g. read a file at cold start)',
  },
  'cache-bypass': {
    id: 'cache-bypass',
    severity: 'warn',
    summary: 'a backend catalogue call outside the cached catalogue module (lib/catalog/)',
    why: 'catalogue data changes rarely; calling the backend directly costs a backend round trip on every update',
    fix: 'read the catalogue through lib/catalog/ (the L1 + Redis cache, CATALOG_TTL_S) instead of the backend client',
  },
  'module-state': {
    id: 'module-state',
    severity: 'warn',
    summary: 'module-scope state is written by per-request code',
    why:
      'one warm instance serves many updates at once (Fluid compute), so module-scope variables are shared by ' +
      'concurrent updates: one chat can see or overwrite another chat\'s data, and the state vanishes on the next cold start',
    fix:
      'keep per-update data in local variables, the update context or the Redis-backed session; ' +
      'if the module-scope state is deliberate (an instance-wide cache), say why with ' +
      '`// analyzer-ignore module-state: <reason>` on the line above the declaration',
  },
  'json-in-loop': {
    id: 'json-in-loop',
    severity: 'info',
    summary: 'JSON.parse/JSON.stringify inside a loop in per-request code',
    why: 'serializing inside a loop is CPU the update pays per item and is often a sign of per-item storage round trips',
    fix: 'serialize once outside the loop (one document / one pipeline), or use structuredClone for deep copies',
  },
  'analyzer-ignore': {
    id: 'analyzer-ignore',
    severity: 'warn',
    summary: 'a malformed or unused `analyzer-ignore` comment',
    why: 'a suppression must name a known rule and say why, or it hides problems without telling the next reader',
    fix: 'write `// analyzer-ignore <rule-id>: <reason>` on the line above the finding, or remove the comment',
  },
};

export const RULE_IDS = Object.keys(RULES) as RuleId[];

export function isRuleId(value: string): value is RuleId {
  return Object.hasOwn(RULES, value);
}
