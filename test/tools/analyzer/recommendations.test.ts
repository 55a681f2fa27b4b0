import { describe, expect, test } from 'vitest';
import type { DependencyReport, DependencyStats } from '../../../tools/analyzer/dependencies.js';
import type { Finding } from '../../../tools/analyzer/findings.js';
import { analyzeLogText } from '../../../tools/analyzer/log-analysis.js';
import { fmt, pct, recommend } from '../../../tools/analyzer/recommendations.js';
import type { StaticCheckResult } from '../../../tools/analyzer/static-checks.js';

function logOf(updates: Record<string, unknown>[]): string {
  return updates.map((u) => JSON.stringify({ level: 'info', msg: 'update', ...u })).join('\n');
}

/** 100 updates: 62% cache hits, 41 ms per backend call, 20% cold starts (500 ms vs 100 ms warm). */
function busyLog(): string {
  return logOf(
    Array.from({ length: 100 }, (_, i) => ({
      update_id: i,
      handler: 'nav',
      ms: i < 20 ? 500 : 100,
      cold_start: i < 20,
      cache_l1_hits: i < 62 ? 1 : 0,
      cache_l2_hits: 0,
      cache_misses: i < 62 ? 0 : 1,
      backend_calls: i < 62 ? 0 : 1,
      backend_ms: i < 62 ? 0 : 41,
      redis_round_trips: 2,
      redis_commands: 2,
      telegram_calls: 1,
    })),
  );
}

function finding(rule: Finding['rule'], file = 'api/x.ts', line = 1, severity: Finding['severity'] = 'error'): Finding {
  return { rule, severity, file, line, column: 1, message: 'm', fix: 'f' };
}

function staticResult(findings: Finding[]): StaticCheckResult {
  return { root: '/r', filesChecked: 1, perRequestFunctions: 1, findings, suppressed: [], durationMs: 1 };
}

function dep(name: string, ms: number | undefined): DependencyStats {
  return {
    name,
    range: '*',
    version: '1.0.0',
    sizeBytes: 1000,
    files: 1,
    closureSizeBytes: 1000,
    closurePackages: 1,
    importCost: { runsMs: ms === undefined ? [] : [ms], medianMs: ms, error: ms === undefined ? 'failed' : undefined },
  };
}

function deps(list: DependencyStats[], together?: number): DependencyReport {
  return {
    root: '/r',
    runs: 5,
    dependencies: list,
    totalClosureSizeBytes: 1,
    allTogether: together === undefined ? undefined : { runsMs: [together], medianMs: together, error: undefined },
    durationMs: 1,
  };
}

describe('recommend', () => {
  test('nothing given, nothing recommended', () => {
    expect(recommend({})).toEqual([]);
  });

  test('low cache hit rate: raise CATALOG_TTL_S, with the cost of a miss from the logs', () => {
    const items = recommend({ logs: analyzeLogText(busyLog()) });
    const cache = items.find((i) => i.id === 'cache-hit-rate');
    expect(cache?.title).toBe('Cache hit 62% < 90%: raise CATALOG_TTL_S, check the keys are shared across users');
    // misses per update 0.38, target 0.10 -> 0.28 x 41 ms
    expect(cache?.impactMs).toBeCloseTo(0.28 * 41, 6);
    expect(cache?.impact).toBe('~11 ms per update at 90% hits (each miss costs ~41 ms: 41 ms per backend call in the logs)');
    expect(cache?.priority).toBe('medium');
  });

  test('high cold-start rate: bundling, with the cold/warm difference from the logs', () => {
    const items = recommend({ logs: analyzeLogText(busyLog()) });
    const cold = items.find((i) => i.id === 'cold-starts');
    expect(cold?.title).toBe('Cold starts 20% of updates, 400 ms slower each: bundle the function, trim dependencies');
    expect(cold?.impactMs).toBeCloseTo(0.2 * 400, 6);
    expect(cold?.priority).toBe('high');
    expect(items[0]?.id).toBe('cold-starts'); // the biggest latency item first
  });

  test('a low cold-start rate with a small cost is not worth a recommendation', () => {
    const lines = Array.from({ length: 100 }, (_, i) => ({ update_id: i, handler: 'h', ms: i === 0 ? 300 : 100, cold_start: i === 0 }));
    expect(recommend({ logs: analyzeLogText(logOf(lines)) }).map((i) => i.id)).not.toContain('cold-starts');
    const costly = Array.from({ length: 100 }, (_, i) => ({ update_id: i, handler: 'h', ms: i < 8 ? 400 : 100, cold_start: i < 8 }));
    expect(recommend({ logs: analyzeLogText(logOf(costly)) }).map((i) => i.id)).toContain('cold-starts'); // 8% x 300 ms = 24 ms
  });

  test('a dependency over 50 ms to import: lazy-load it; weighted by the cold-start rate', () => {
    const items = recommend({ dependencies: deps([dep('telegraf', 84), dep('pino', 41), dep('broken', undefined)], 200) });
    const heavy = items.filter((i) => i.id.startsWith('heavy-import:'));
    expect(heavy.map((i) => i.id)).toEqual(['heavy-import:telegraf']);
    expect(heavy[0]?.title).toMatch(/^telegraf costs 84 ms to import: lazy-load it/);
    expect(heavy[0]?.impactMs).toBeCloseTo(84 * 0.05, 6); // assumed 5% cold starts without logs
    expect(heavy[0]?.impact).toMatch(/an assumed 5\.0% cold-start rate/);
    const bundle = items.find((i) => i.id === 'cold-starts');
    expect(bundle?.title).toMatch(/takes 200 ms per cold start: bundle/);
  });

  test('static findings: correctness first, then by estimated impact; parse errors are not recommendations', () => {
    const items = recommend({
      staticChecks: staticResult([
        finding('sync-io', 'api/a.ts', 3),
        finding('module-state', 'api/a.ts', 1),
        finding('client-per-request', 'api/a.ts', 5, 'error'),
        finding('client-per-request', 'api/b.ts', 6, 'error'),
        finding('await-in-loop', 'lib/c.ts', 9),
        finding('cache-bypass', 'lib/d.ts', 2),
        finding('require-disable-reason', 'lib/e.ts', 1),
        finding('eslint', 'lib/f.ts', 1),
      ]),
    });
    expect(items.map((i) => `${i.id}:${i.priority}`)).toEqual([
      'module-state:high',
      'client-per-request:high',
      'await-in-loop:high',
      'cache-bypass:high',
      'sync-io:medium',
      'require-disable-reason:low',
    ]);
    expect(items[1]?.impactMs).toBe(120);
    expect(items[1]?.where).toEqual(['api/a.ts:5', 'api/b.ts:6']);
    expect(items[0]?.kind).toBe('correctness');
  });

  test('log budgets: errors, upstash round trips and commands, Bot API calls, slow handlers', () => {
    const lines = [
      ...Array.from({ length: 10 }, (_, i) => ({
        update_id: i,
        handler: i < 5 ? 'fast' : 'slow',
        ms: i < 5 ? 50 : 900,
        error: i === 9,
        redis_round_trips: 4,
        redis_commands: 9,
        telegram_calls: 3,
      })),
    ];
    const text = `${logOf(lines)}\n${JSON.stringify({ level: 'error', msg: 'backend unavailable' })}`;
    const items = recommend({ logs: analyzeLogText(text) });
    const ids = items.map((i) => i.id);
    expect(ids[0]).toBe('log-errors');
    expect(items[0]?.title).toBe('Investigate 1 error line and 1 failed update in the logs');
    expect(items[0]?.detail).toMatch(/Most frequent errors: "backend unavailable" x1\. Failed updates by handler: slow x1\./);
    expect(ids).toEqual(expect.arrayContaining(['redis-round-trips', 'redis-commands', 'telegram-calls', 'slow-handler:slow']));
    expect(items.find((i) => i.id === 'redis-round-trips')?.impactMs).toBe(20);
    expect(items.find((i) => i.id === 'telegram-calls')?.impactMs).toBe(40);
    expect(items.find((i) => i.id === 'redis-commands')?.kind).toBe('cost');
    const impacts = items.filter((i) => i.kind === 'latency').map((i) => i.impactMs);
    expect(impacts).toEqual([...impacts].sort((a, b) => b - a));
  });

  test('formatting helpers', () => {
    expect(pct(0.62)).toBe('62%');
    expect(pct(0.05)).toBe('5.0%');
    expect(pct(0)).toBe('0%');
    expect(fmt(11.48)).toBe('11');
    expect(fmt(1.234, 2)).toBe('1.23');
  });
});
