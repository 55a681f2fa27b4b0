import { describe, expect, test } from 'vitest';
import { parseArgs, USAGE, UsageError } from '../../../tools/analyzer/cli-args.js';

describe('parseArgs', () => {
  test('defaults', () => {
    expect(parseArgs([])).toEqual({ root: undefined, logs: undefined, strict: false, json: false, deps: true, runs: 5, help: false });
  });

  test('every flag, with separate or inline values', () => {
    expect(parseArgs(['--logs', 'a.log', '--strict', '--json', '--no-deps', '--root', '/r', '--runs', '3'])).toEqual({
      root: '/r',
      logs: 'a.log',
      strict: true,
      json: true,
      deps: false,
      runs: 3,
      help: false,
    });
    expect(parseArgs(['--logs=b.log', '--root=.', '--runs=1'])).toMatchObject({ logs: 'b.log', root: '.', runs: 1 });
    expect(parseArgs(['-h']).help).toBe(true);
  });

  test('mistakes are UsageErrors that say what is wrong', () => {
    expect(() => parseArgs(['--logs'])).toThrow(new UsageError('--logs needs a value'));
    expect(() => parseArgs(['--logs', '--strict'])).toThrow(new UsageError('--logs needs a value'));
    expect(() => parseArgs(['--logs='])).toThrow(new UsageError('--logs needs a value'));
    expect(() => parseArgs(['--strict=yes'])).toThrow(new UsageError('--strict takes no value'));
    expect(() => parseArgs(['--runs', '0'])).toThrow(/--runs must be a whole number from 1 to 100/);
    expect(() => parseArgs(['--runs', '2.5'])).toThrow(UsageError);
    expect(() => parseArgs(['--deps'])).toThrow(new UsageError('unknown argument: --deps'));
    expect(() => parseArgs(['logs.txt'])).toThrow(new UsageError('unknown argument: logs.txt'));
  });

  test('the usage text names every flag and the exit codes', () => {
    for (const flag of ['--logs FILE', '--strict', '--json', '--no-deps', '--runs N', '--root DIR', '--help']) expect(USAGE).toContain(flag);
    expect(USAGE).toContain('Exit codes: 0 done, 1 --strict and findings remain, 2 bad usage or unreadable input.');
  });
});
