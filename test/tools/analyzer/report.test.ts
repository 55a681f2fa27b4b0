import { describe, expect, test } from 'vitest';
import { analyzeLogText } from '../../../tools/analyzer/log-analysis.js';
import { recommend } from '../../../tools/analyzer/recommendations.js';
import { bytes, renderReport, strictFailures, table, wrap, type AnalysisReport } from '../../../tools/analyzer/report.js';
import type { StaticCheckResult } from '../../../tools/analyzer/static-checks.js';

const staticChecks: StaticCheckResult = {
  root: '/project',
  filesChecked: 3,
  perRequestFunctions: 4,
  durationMs: 12.3,
  findings: [
    {
      rule: 'client-per-request',
      severity: 'error',
      file: 'api/telegram.ts',
      line: 7,
      column: 15,
      message: 'new Telegraf(...) runs in per-request code (handler: default export of an api/ file): costly',
      fix: 'build it once per instance',
    },
    { rule: 'json-in-loop', severity: 'warn', file: 'lib/x.ts', line: 2, column: 1, message: 'JSON.parse() in a loop', fix: 'parse once' },
  ],
  suppressed: [
    {
      finding: { rule: 'module-state', severity: 'error', file: 'lib/cache.ts', line: 4, column: 1, message: 'm', fix: 'f' },
      reason: 'bounded L1 cache',
    },
  ],
};

const logs = analyzeLogText(
  [
    { update_id: 1, handler: 'start', ms: 30, cold_start: true, cache_l1_hits: 1, backend_calls: 1, backend_ms: 40, rss_mb: 90, heap_mb: 30 },
    { update_id: 2, handler: 'nav', ms: 10, cache_l1_hits: 2, rss_mb: 95, heap_mb: 31 },
    { update_id: 3, handler: 'nav', ms: 20, cache_misses: 1, backend_calls: 1, backend_ms: 60, rss_mb: 96, heap_mb: 32 },
  ]
    .map((u) => JSON.stringify({ level: 'info', msg: 'update', ...u }))
    .join('\n'),
  'logs.jsonl',
);

const report: AnalysisReport = {
  root: '/project',
  generatedAt: '2025-01-01T00:00:00.000Z',
  staticChecks,
  dependencies: {
    root: '/project',
    runs: 5,
    dependencies: [
      {
        name: 'telegraf',
        range: '^4',
        version: '4.16.3',
        sizeBytes: 689_218,
        files: 168,
        closureSizeBytes: 1_873_272,
        closurePackages: 17,
        importCost: { runsMs: [84], medianMs: 84.04, error: undefined },
      },
      {
        name: 'types-only',
        range: '1',
        version: '1.0.0',
        sizeBytes: 100,
        files: 1,
        closureSizeBytes: 100,
        closurePackages: 1,
        importCost: { runsMs: [], medianMs: undefined, error: 'ERR_PACKAGE_PATH_NOT_EXPORTED: no default entry point' },
      },
    ],
    totalClosureSizeBytes: 2_000_000,
    allTogether: { runsMs: [190], medianMs: 190, error: undefined },
    durationMs: 4000,
  },
  logs,
  recommendations: [],
};

describe('renderReport', () => {
  const full = { ...report, recommendations: recommend({ staticChecks, dependencies: report.dependencies, logs }) };
  const text = renderReport(full);

  test('is a pure function of the data', () => {
    expect(renderReport(full)).toBe(text);
  });

  test('has the four sections in order', () => {
    const positions = ['== Static checks', '== Dependencies', '== Logs', '== Recommendations'].map((h) => text.indexOf(h));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(text.startsWith('Performance analysis of /project (2025-01-01T00:00:00.000Z)\n')).toBe(true);
  });

  test('static section: counts, definition, findings with file:line:col and fix, suppressions', () => {
    expect(text.split('\n')[3]).toBe('3 files (4 per-request functions) checked by ESLint in 12 ms: 1 error, 1 warning, 1 suppressed');
    expect(text).toContain('Per-request code =');
    expect(text).toContain('tools/eslint-plugin/per-request.js');
    expect(text).toContain('  error  client-per-request  api/telegram.ts:7:15\n         new Telegraf(...) runs in per-request code');
    expect(text).toContain('         fix: build it once per instance');
    expect(text).toContain('Suppressed with eslint-disable comments:\n  module-state  lib/cache.ts:4  - bounded L1 cache');
  });

  test('dependencies section: table sorted as given, failures explained, totals', () => {
    expect(text).toMatch(/package\s+version\s+import ms \(median of 5\)\s+size\s+with its deps/);
    expect(text).toMatch(/telegraf\s+4\.16\.3\s+84\.0\s+673\.1 kB\s+1\.8 MB \(17 pkgs\)/);
    expect(text).toContain('failed: ERR_PACKAGE_PATH_NOT_EXPORTED: no default entry point');
    expect(text).toContain('all together: 190.0 ms to import; all runtime dependencies with theirs: 1.9 MB on disk; measured in 4.0 s');
  });

  test('logs section: latency, cold starts, cache, backend, memory, handlers, slowest', () => {
    expect(text).toContain('logs.jsonl: 3 lines, 3 updates; skipped 0 other events, 0 not JSON, 0 update lines without ms; 0 error lines, 0 failed updates');
    expect(text).toContain('latency ms: p50 20, p95 30, p99 30, max 30, mean 20.0');
    expect(text).toContain('cold starts: 33% (1); cold p50 30 ms, warm p50 10 ms');
    expect(text).toContain('cache: hit 75% (L1 3, Redis 0, misses 1; 1.33 lookups per update)');
    expect(text).toContain('backend: 0.67 calls per update, 50.0 ms per call on average');
    expect(text).toContain('memory: rss max 96 MB (p95 96 MB), heap max 32 MB');
    expect(text).toMatch(/handler\s+updates\s+p50\s+p95\s+p99\s+max\s+cold\s+failed\s+backend\/update/);
    expect(text).toMatch(/start\s+1\s+30\s+30\s+30\s+30\s+1\s+0\s+1\.00/);
    expect(text).toMatch(/update_id\s+handler\s+ms\s+cold\n.*\n\s+1\s+start\s+30\s+yes/);
  });

  test('recommendations are numbered with priority, impact and places', () => {
    expect(text).toMatch(/1\. \[high\] Build clients once per instance, not per request \(1 place\)/);
    expect(text).toContain('   where: api/telegram.ts:7');
    expect(text).toMatch(/impact: up to ~60 ms per update/);
  });

  test('skipped parts say so', () => {
    const bare = renderReport({
      ...report,
      staticChecks: { ...staticChecks, filesChecked: 0, findings: [], suppressed: [] },
      dependencies: undefined,
      logs: undefined,
    });
    expect(bare).toContain('(no api/**/*.ts or lib/**/*.ts files to check yet)');
    expect(bare).toContain('(skipped: --no-deps)');
    expect(bare).toContain('(no logs given: --logs FILE');
    expect(bare).toContain('Nothing to recommend from the data given.');
  });
});

describe('helpers', () => {
  test('strictFailures counts every finding (npm run lint fails on each)', () => {
    expect(strictFailures(report)).toBe(2);
    expect(strictFailures({ ...report, staticChecks: { ...staticChecks, findings: [] } })).toBe(0);
  });

  test('table aligns columns', () => {
    expect(table(['a', 'n'], [['xx', '1'], ['y', '22']], [false, true])).toEqual(['  a    n', '  --  --', '  xx   1', '  y   22']);
  });

  test('wrap and bytes', () => {
    expect(wrap('one two three four', 12, '  ')).toEqual(['  one two', '  three four']);
    expect(bytes(512)).toBe('512 B');
    expect(bytes(2048)).toBe('2.0 kB');
    expect(bytes(3 * 1024 * 1024)).toBe('3.0 MB');
  });
});
