import { PER_REQUEST_DEFINITION } from '../eslint-plugin/per-request.js';
import type { DependencyReport } from './dependencies.js';
import { countBySeverity } from './findings.js';
import type { LogStats } from './log-analysis.js';
import type { Summary } from './percentiles.js';
import { fmt, pct, type Recommendation } from './recommendations.js';
import type { StaticCheckResult } from './static-checks.js';

/**
 * Everything one analysis found, and its rendering as text. `renderReport` is a pure function of
 * this data (the CLI prints it; `--json` prints the data itself).
 */
export interface AnalysisReport {
  readonly root: string;
  /** ISO time the analysis ran. */
  readonly generatedAt: string;
  readonly staticChecks: StaticCheckResult;
  /** Undefined with `--no-deps`. */
  readonly dependencies: DependencyReport | undefined;
  /** Undefined without `--logs FILE`. */
  readonly logs: LogStats | undefined;
  readonly recommendations: readonly Recommendation[];
}

/** Static findings that make `--strict` fail: every one (`npm run lint` fails on them too). */
export function strictFailures(report: AnalysisReport): number {
  return report.staticChecks.findings.length;
}

export function renderReport(report: AnalysisReport): string {
  const out: string[] = [];
  out.push(`Performance analysis of ${report.root} (${report.generatedAt})`);
  out.push('');
  out.push(...renderStatic(report.staticChecks));
  out.push('');
  out.push(...renderDependencies(report.dependencies));
  out.push('');
  out.push(...renderLogs(report.logs));
  out.push('');
  out.push(...renderRecommendations(report.recommendations));
  return `${out.join('\n')}\n`;
}

function heading(title: string): string {
  return `== ${title} ${'='.repeat(Math.max(3, 72 - title.length))}`;
}

function renderStatic(result: StaticCheckResult): string[] {
  const lines = [heading('Static checks')];
  const counts = countBySeverity(result.findings);
  lines.push(
    `${plural(result.filesChecked, 'file')} (${plural(result.perRequestFunctions, 'per-request function')}) checked by ESLint in ${fmt(result.durationMs)} ms: ` +
      `${plural(counts.error, 'error')}, ${plural(counts.warn, 'warning')}` +
      (result.suppressed.length > 0 ? `, ${result.suppressed.length} suppressed` : ''),
  );
  lines.push(...wrap(PER_REQUEST_DEFINITION, 100, ''));
  if (result.filesChecked === 0) lines.push('(no api/**/*.ts or lib/**/*.ts files to check yet)');
  for (const finding of result.findings) {
    lines.push('');
    lines.push(`  ${finding.severity.padEnd(5)}  ${finding.rule}  ${finding.file}:${finding.line}:${finding.column}`);
    lines.push(...wrap(finding.message, 100, '         '));
    lines.push(...wrap(`fix: ${finding.fix}`, 100, '         '));
  }
  if (result.suppressed.length > 0) {
    lines.push('');
    lines.push('Suppressed with eslint-disable comments:');
    for (const { finding, reason } of result.suppressed) {
      lines.push(`  ${finding.rule}  ${finding.file}:${finding.line}  - ${reason}`);
    }
  }
  return lines;
}

function renderDependencies(report: DependencyReport | undefined): string[] {
  const lines = [heading('Dependencies')];
  if (!report) {
    lines.push('(skipped: --no-deps)');
    return lines;
  }
  if (report.dependencies.length === 0) {
    lines.push('(package.json has no runtime dependencies)');
    return lines;
  }
  const measured = report.dependencies.some((d) => d.importCost !== undefined);
  const header = ['package', 'version', measured ? `import ms (median of ${report.runs})` : 'import ms', 'size', 'with its deps'];
  const rows = report.dependencies.map((d) => [
    d.name,
    d.version ?? '(not installed)',
    d.importCost === undefined ? '-' : d.importCost.medianMs === undefined ? `failed: ${d.importCost.error ?? '?'}` : fmt(d.importCost.medianMs, 1),
    d.sizeBytes === undefined ? '-' : bytes(d.sizeBytes),
    d.closureSizeBytes === undefined ? '-' : `${bytes(d.closureSizeBytes)} (${plural(d.closurePackages, 'pkg')})`,
  ]);
  lines.push(...table(header, rows, [false, false, true, true, true]));
  const together = report.allTogether;
  const summary: string[] = [];
  if (together?.medianMs !== undefined) summary.push(`all together: ${fmt(together.medianMs, 1)} ms to import`);
  else if (together?.error) summary.push(`all together: failed (${together.error})`);
  summary.push(`all runtime dependencies with theirs: ${bytes(report.totalClosureSizeBytes)} on disk`);
  summary.push(`measured in ${fmt(report.durationMs / 1000, 1)} s`);
  lines.push(summary.join('; '));
  return lines;
}

function renderLogs(logs: LogStats | undefined): string[] {
  const lines = [heading('Logs')];
  if (!logs) {
    lines.push('(no logs given: --logs FILE with JSON log lines exported from Vercel)');
    return lines;
  }
  lines.push(
    `${logs.file ?? '(text)'}: ${plural(logs.lines, 'line')}, ${plural(logs.updates, 'update')}; skipped ` +
      `${logs.skipped.notUpdate} other events, ${logs.skipped.notJson} not JSON, ${logs.skipped.invalidUpdate} update lines without ms; ` +
      `${plural(logs.errors, 'error line')}, ${plural(logs.failedUpdates, 'failed update')}`,
  );
  if (logs.updates === 0 || !logs.latency) {
    lines.push('(no update lines: expected JSON lines with msg "update")');
    return lines;
  }
  lines.push(`latency ms: ${summaryText(logs.latency)}`);
  lines.push(
    `cold starts: ${pct(logs.coldStartRate)} (${logs.coldStarts})` +
      (logs.coldLatency ? `; cold p50 ${fmt(logs.coldLatency.p50)} ms` : '') +
      (logs.warmLatency ? `, warm p50 ${fmt(logs.warmLatency.p50)} ms` : ''),
  );
  const cache = logs.cache;
  lines.push(
    `cache: ${cache.hitRate === undefined ? 'no lookups' : `hit ${pct(cache.hitRate)}`} ` +
      `(L1 ${cache.l1Hits}, Redis ${cache.l2Hits}, misses ${cache.misses}; ${fmt(cache.lookupsPerUpdate, 2)} lookups per update)`,
  );
  lines.push(
    `backend: ${fmt(logs.backend.callsPerUpdate, 2)} calls per update, ` +
      (logs.backend.msPerCall === undefined ? 'no calls' : `${fmt(logs.backend.msPerCall, 1)} ms per call on average`),
  );
  lines.push(
    `upstash: ${fmt(logs.redis.roundTripsPerUpdate, 2)} round trips and ${fmt(logs.redis.commandsPerUpdate, 2)} commands per update; ` +
      `telegram: ${fmt(logs.telegram.callsPerUpdate, 2)} Bot API calls per update`,
  );
  if (logs.memory) {
    lines.push(
      `memory: rss max ${fmt(logs.memory.rssMbMax)} MB (p95 ${fmt(logs.memory.rssMbP95)} MB), heap max ${fmt(logs.memory.heapMbMax)} MB`,
    );
  }
  if (logs.errors > 0) {
    lines.push(`errors: ${logs.topErrors.map((e) => `"${e.msg}" x${e.count}`).join(', ')}`);
  }
  lines.push('');
  lines.push('per handler (slowest p95 first):');
  lines.push(
    ...table(
      ['handler', 'updates', 'p50', 'p95', 'p99', 'max', 'cold', 'failed', 'backend/update'],
      logs.perHandler.map((h) => [
        h.handler,
        String(h.latency.count),
        fmt(h.latency.p50),
        fmt(h.latency.p95),
        fmt(h.latency.p99),
        fmt(h.latency.max),
        String(h.coldStarts),
        String(h.failed),
        fmt(h.backendCallsPerUpdate, 2),
      ]),
      [false, true, true, true, true, true, true, true, true],
    ),
  );
  lines.push('');
  lines.push('slowest updates:');
  lines.push(
    ...table(
      ['update_id', 'handler', 'ms', 'cold'],
      logs.slowest.map((s) => [String(s.updateId ?? '-'), s.handler, fmt(s.ms), s.coldStart ? 'yes' : 'no']),
      [true, false, true, false],
    ),
  );
  return lines;
}

function renderRecommendations(items: readonly Recommendation[]): string[] {
  const lines = [heading('Recommendations')];
  if (items.length === 0) {
    lines.push('Nothing to recommend from the data given.');
    return lines;
  }
  items.forEach((item, index) => {
    const prefix = `${index + 1}. `;
    const indent = ' '.repeat(prefix.length);
    lines.push(`${prefix}[${item.priority}${item.kind === 'latency' ? '' : `, ${item.kind}`}] ${item.title}`);
    lines.push(...wrap(item.detail, 100, indent));
    lines.push(...wrap(`impact: ${item.impact}`, 100, indent));
    if (item.where.length > 0) lines.push(`${indent}where: ${item.where.join(', ')}`);
  });
  return lines;
}

function summaryText(summary: Summary): string {
  return `p50 ${fmt(summary.p50)}, p95 ${fmt(summary.p95)}, p99 ${fmt(summary.p99)}, max ${fmt(summary.max)}, mean ${fmt(summary.mean, 1)}`;
}

export function table(header: readonly string[], rows: readonly (readonly string[])[], rightAlign: readonly boolean[]): string[] {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    `  ${cells
      .map((cell, column) => (rightAlign[column] ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0)))
      .join('  ')}`.trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} kB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** Word-wraps `text` to `width` columns, each line prefixed by `indent`. */
export function wrap(text: string, width: number, indent: string): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let current = '';
  for (const word of words) {
    if (current !== '' && indent.length + current.length + 1 + word.length > width) {
      lines.push(indent + current);
      current = word;
    } else {
      current = current === '' ? word : `${current} ${word}`;
    }
  }
  if (current !== '') lines.push(indent + current);
  return lines;
}
