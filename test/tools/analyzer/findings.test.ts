import { describe, expect, test } from 'vitest';
import { compareFindings, countBySeverity, failsStrict, type Finding } from '../../../tools/analyzer/findings.js';

const base: Finding = { rule: 'sync-io', severity: 'warn', file: 'lib/b.ts', line: 5, column: 1, message: 'm', fix: 'f' };

describe('findings', () => {
  test('error and warn fail --strict, info does not', () => {
    expect(failsStrict({ ...base, severity: 'error' })).toBe(true);
    expect(failsStrict({ ...base, severity: 'warn' })).toBe(true);
    expect(failsStrict({ ...base, severity: 'info' })).toBe(false);
  });

  test('sorted by severity, file, line, column', () => {
    const list: Finding[] = [
      { ...base, severity: 'info' },
      { ...base, file: 'lib/a.ts', line: 9 },
      { ...base, file: 'lib/a.ts', line: 2 },
      { ...base, severity: 'error', file: 'lib/z.ts' },
    ];
    expect(list.sort(compareFindings).map((f) => `${f.severity}:${f.file}:${f.line}`)).toEqual([
      'error:lib/z.ts:5',
      'warn:lib/a.ts:2',
      'warn:lib/a.ts:9',
      'info:lib/b.ts:5',
    ]);
    expect(countBySeverity(list)).toEqual({ error: 1, warn: 2, info: 1 });
  });
});
