import type { RuleName } from '../eslint-plugin/index.js';

/**
 * What the static part reports: the findings of the `serverless/*` lint rules, as ESLint gave them.
 * Shared by the static checks, the report and the recommendations.
 */

/** ESLint's level for the rule: `eslint.config.js` and the analyzer both use `error`. */
export type Severity = 'error' | 'warn';

/** A rule of tools/eslint-plugin, or `eslint` itself (a file it could not parse, an unknown rule in a comment). */
export type RuleId = RuleName | 'eslint';

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
}

/** A finding silenced by `// eslint-disable-next-line serverless/<rule> -- <reason>`. */
export interface SuppressedFinding {
  readonly finding: Finding;
  readonly reason: string;
}

/** Errors first, then by file and position: a stable order for reports and diffs. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    rank(a.severity) - rank(b.severity) ||
    a.file.localeCompare(b.file) ||
    a.line - b.line ||
    a.column - b.column ||
    a.rule.localeCompare(b.rule)
  );
}

function rank(severity: Severity): number {
  return severity === 'error' ? 0 : 1;
}

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warn: 0 };
  for (const finding of findings) counts[finding.severity] += 1;
  return counts;
}
