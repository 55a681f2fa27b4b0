import { describe, expect, test } from 'vitest';
import { parseSource } from '../../../tools/analyzer/ast.js';
import type { Finding } from '../../../tools/analyzer/findings.js';
import { applySuppressions, parseSuppressions } from '../../../tools/analyzer/suppressions.js';

function finding(line: number, rule: Finding['rule'] = 'sync-io', anchorLines?: number[]): Finding {
  return { rule, severity: 'warn', file: 'lib/x.ts', line, column: 1, message: 'm', fix: 'f', ...(anchorLines ? { anchorLines } : {}) };
}

describe('parseSuppressions', () => {
  test('reads rules, reason and the line it applies to', () => {
    const text = [
      '// analyzer-ignore sync-io: read once', // 1 -> 2
      "readFileSync('x');",
      "readFileSync('y'); // analyzer-ignore sync-io, await-in-loop: trailing", // 3 -> 3
      '// analyzer-ignore module-state: explained', // 4 -> 7 (skips comments and blanks)
      '// more words about it',
      '',
      'const cache = new Map();',
      '/* analyzer-ignore json-in-loop: block form */', // 8 -> 9
      'x();',
      '// analyzer-ignore sync-io', // 10: no reason
      'y();',
      "const s = '// analyzer-ignore sync-io: inside a string is not a comment';",
    ].join('\n');
    const suppressions = parseSuppressions(parseSource('lib/x.ts', text));
    expect(suppressions).toEqual([
      { rules: ['sync-io'], reason: 'read once', commentLine: 1, targetLine: 2 },
      { rules: ['sync-io', 'await-in-loop'], reason: 'trailing', commentLine: 3, targetLine: 3 },
      { rules: ['module-state'], reason: 'explained', commentLine: 4, targetLine: 7 },
      { rules: ['json-in-loop'], reason: 'block form', commentLine: 8, targetLine: 9 },
      { rules: ['sync-io'], reason: '', commentLine: 10, targetLine: 11 },
    ]);
  });
});

describe('applySuppressions', () => {
  const suppression = { rules: ['sync-io'], reason: 'fine here', commentLine: 1, targetLine: 2 };

  test('silences only the named rule on the target line (or an anchor line)', () => {
    const result = applySuppressions('lib/x.ts', [finding(2), finding(2, 'await-in-loop'), finding(3)], [suppression]);
    expect(result.suppressed).toEqual([{ finding: finding(2), reason: 'fine here' }]);
    expect(result.findings.map((f) => `${f.rule}@${f.line}`)).toEqual(['await-in-loop@2', 'sync-io@3']);

    const anchored = applySuppressions('lib/x.ts', [finding(5, 'await-in-loop', [2])], [{ ...suppression, rules: ['await-in-loop'] }]);
    expect(anchored.findings).toEqual([]);
  });

  test('reports unknown rules and missing reasons as warnings, unused suppressions as info', () => {
    const result = applySuppressions(
      'lib/x.ts',
      [finding(2)],
      [
        { rules: ['sync-io'], reason: '', commentLine: 1, targetLine: 2 },
        { rules: ['no-such-rule'], reason: 'why', commentLine: 5, targetLine: 6 },
        { rules: ['sync-io'], reason: 'stale', commentLine: 8, targetLine: 9 },
      ],
    );
    const meta = result.findings.filter((f) => f.rule === 'analyzer-ignore');
    expect(meta.map((f) => [f.line, f.severity])).toEqual([
      [1, 'warn'],
      [5, 'warn'],
      [8, 'info'],
    ]);
    expect(meta[0]?.message).toMatch(/has no reason/);
    expect(meta[1]?.message).toMatch(/unknown rule no-such-rule/);
    expect(meta[2]?.message).toMatch(/silences nothing on line 9/);
    expect(result.findings.some((f) => f.rule === 'sync-io')).toBe(true);
  });
});
