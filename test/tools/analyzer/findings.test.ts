import { describe, expect, test } from 'vitest';
import { compareFindings, countBySeverity, type Finding } from '../../../tools/analyzer/findings.js';

const base: Finding = { rule: 'sync-io', severity: 'error', file: 'lib/b.ts', line: 5, column: 1, message: 'm', fix: 'f' };

describe('findings', () => {
  test('sorted by severity, file, line, column', () => {
    const list: Finding[] = [
      { ...base, severity: 'warn' },
      { ...base, file: 'lib/a.ts', line: 9 },
      { ...base, file: 'lib/a.ts', line: 2 },
      { ...base, file: 'lib/z.ts' },
    ];
    expect(list.sort(compareFindings).map((f) => `${f.severity}:${f.file}:${f.line}`)).toEqual([
      'error:lib/a.ts:2',
      'error:lib/a.ts:9',
      'error:lib/z.ts:5',
      'warn:lib/b.ts:5',
    ]);
    expect(countBySeverity(list)).toEqual({ error: 3, warn: 1 });
  });
});
