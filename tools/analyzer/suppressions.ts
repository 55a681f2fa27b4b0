import ts from 'typescript';
import type { Finding, RuleId, SuppressedFinding } from './findings.js';
import { RULES, isRuleId } from './rules.js';

/**
 * `// analyzer-ignore <rule-id>[, <rule-id>...]: <reason>` silences those rules for one line:
 * the next code line when the comment stands on its own line (other comment lines between are fine),
 * or its own line when it trails code. The reason is required. A comment that names an unknown
 * rule, gives no reason, or silences nothing is itself reported (rule `analyzer-ignore`).
 */
export interface Suppression {
  readonly rules: readonly string[];
  readonly reason: string;
  /** 1-based line of the comment. */
  readonly commentLine: number;
  /** 1-based line it applies to. */
  readonly targetLine: number;
}

const IGNORE_PATTERN = /^(?:\/\/|\/\*)\s*analyzer-ignore\s+([\w-]+(?:\s*,\s*[\w-]+)*)\s*(?::([\s\S]*?))?\s*(?:\*\/)?\s*$/;

/** Every `analyzer-ignore` comment in the file (comments inside strings are not comments). */
export function parseSuppressions(sourceFile: ts.SourceFile): Suppression[] {
  const text = sourceFile.text;
  const lines = text.split(/\r?\n/);
  const seen = new Set<number>();
  const suppressions: Suppression[] = [];
  const take = (ranges: ts.CommentRange[] | undefined): void => {
    for (const range of ranges ?? []) {
      if (seen.has(range.pos)) continue;
      seen.add(range.pos);
      const comment = text.slice(range.pos, range.end).trim();
      const match = IGNORE_PATTERN.exec(comment);
      if (!match) continue;
      const commentLine = sourceFile.getLineAndCharacterOfPosition(range.pos).line + 1;
      const before = (lines[commentLine - 1] ?? '').slice(0, sourceFile.getLineAndCharacterOfPosition(range.pos).character);
      const ownLine = before.trim() === '';
      suppressions.push({
        rules: (match[1] ?? '').split(',').map((rule) => rule.trim()),
        reason: (match[2] ?? '').replace(/\*\/\s*$/, '').trim(),
        commentLine,
        targetLine: ownLine ? nextCodeLine(lines, commentLine) : commentLine,
      });
    }
  };
  const visit = (node: ts.Node): void => {
    take(ts.getLeadingCommentRanges(text, node.pos));
    take(ts.getTrailingCommentRanges(text, node.end));
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  take(ts.getLeadingCommentRanges(text, sourceFile.endOfFileToken.pos));
  return suppressions.sort((a, b) => a.commentLine - b.commentLine);
}

/** The first line after `line` (1-based) that is neither blank nor only a comment. */
function nextCodeLine(lines: readonly string[], line: number): number {
  let inBlock = false;
  for (let index = line; index < lines.length; index += 1) {
    const trimmed = (lines[index] ?? '').trim();
    if (inBlock) {
      if (trimmed.includes('*/')) inBlock = false;
      continue;
    }
    if (trimmed === '' || trimmed.startsWith('//')) continue;
    if (trimmed.startsWith('/*')) {
      if (!trimmed.includes('*/')) inBlock = true;
      continue;
    }
    return index + 1;
  }
  return line + 1;
}

export interface SuppressionResult {
  readonly findings: Finding[];
  readonly suppressed: SuppressedFinding[];
}

/**
 * Splits findings into kept and suppressed, and adds `analyzer-ignore` findings for malformed
 * or unused comments in `file`.
 */
export function applySuppressions(
  file: string,
  findings: readonly Finding[],
  suppressions: readonly Suppression[],
): SuppressionResult {
  const kept: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  const used = new Set<Suppression>();
  const valid = suppressions.filter((s) => s.reason !== '' && s.rules.every(isRuleId));
  for (const finding of findings) {
    const lines = [finding.line, ...(finding.anchorLines ?? [])];
    const match = valid.find((s) => s.rules.includes(finding.rule) && lines.includes(s.targetLine));
    if (match) {
      used.add(match);
      suppressed.push({ finding, reason: match.reason });
    } else {
      kept.push(finding);
    }
  }
  for (const suppression of suppressions) {
    const problem = suppressionProblem(suppression, used.has(suppression));
    if (problem) kept.push(problem(file));
  }
  return { findings: kept, suppressed };
}

function suppressionProblem(suppression: Suppression, used: boolean): ((file: string) => Finding) | undefined {
  const unknown = suppression.rules.filter((rule) => !isRuleId(rule));
  let message: string | undefined;
  let severity = RULES['analyzer-ignore'].severity;
  if (unknown.length > 0) {
    message = `analyzer-ignore names unknown rule${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; known: ${Object.keys(RULES).join(', ')}`;
  } else if (suppression.reason === '') {
    message = `analyzer-ignore ${suppression.rules.join(', ')} has no reason, so it silences nothing: say why the code is fine`;
  } else if (!used) {
    severity = 'info';
    message = `analyzer-ignore ${suppression.rules.join(', ')} silences nothing on line ${suppression.targetLine}: remove it or move it above the finding`;
  }
  if (message === undefined) return undefined;
  const text = message;
  return (file) => ({
    rule: 'analyzer-ignore' satisfies RuleId,
    severity,
    file,
    line: suppression.commentLine,
    column: 1,
    message: text,
    fix: RULES['analyzer-ignore'].fix,
  });
}
