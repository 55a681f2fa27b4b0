/**
 * What a static check reports. Shared by the rules, the report and the recommendations.
 */

/** `error` and `warn` fail `--strict`; `info` never does. */
export type Severity = 'error' | 'warn' | 'info';

export type RuleId =
  | 'client-per-request'
  | 'await-in-loop'
  | 'sync-io'
  | 'cache-bypass'
  | 'module-state'
  | 'json-in-loop'
  | 'analyzer-ignore';

export interface Finding {
  readonly rule: RuleId;
  readonly severity: Severity;
  /** Path relative to the analyzed root, with forward slashes. */
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
  /** What was found and why it costs (or breaks) something. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
  /**
   * Other lines an `analyzer-ignore` comment may sit above (e.g. the loop that holds the await);
   * the finding's own line always counts.
   */
  readonly anchorLines?: readonly number[];
}

/** A finding silenced by `// analyzer-ignore <rule>: <reason>`. */
export interface SuppressedFinding {
  readonly finding: Finding;
  readonly reason: string;
}

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { error: 0, warn: 1, info: 2 };

export function severityRank(severity: Severity): number {
  return SEVERITY_RANK[severity];
}

/** True for the findings that make `--strict` exit 1. */
export function failsStrict(finding: Finding): boolean {
  return finding.severity === 'error' || finding.severity === 'warn';
}

/** Most severe first, then by file and position: a stable order for reports and diffs. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    severityRank(a.severity) - severityRank(b.severity) ||
    a.file.localeCompare(b.file) ||
    a.line - b.line ||
    a.column - b.column ||
    a.rule.localeCompare(b.rule)
  );
}

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warn: 0, info: 0 };
  for (const finding of findings) counts[finding.severity] += 1;
  return counts;
}
