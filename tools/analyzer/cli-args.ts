/**
 * The analyzer's command line: `npm run analyze -- [--logs FILE] [--strict] [--json] [--no-deps] [--root DIR] [--runs N]`.
 */
export interface CliOptions {
  /** Project root to analyze. Default: the current directory. */
  readonly root: string | undefined;
  /** JSON log lines to analyze (a Vercel export). */
  readonly logs: string | undefined;
  /** Exit 1 when any finding of the lint rules remains. */
  readonly strict: boolean;
  /** Print the report data as JSON instead of text. */
  readonly json: boolean;
  /** Skip the dependency analysis (sizes and spawned imports). */
  readonly deps: boolean;
  /** Fresh processes per dependency import measurement. */
  readonly runs: number;
  readonly help: boolean;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const USAGE = `Usage: npm run analyze -- [options]
       (or: npx tsx tools/analyzer/main.ts [options])

Performance analysis of the bot: the serverless lint rules over api/ and lib/ (through ESLint),
runtime dependency costs, statistics from exported JSON logs, and ranked recommendations.

Options:
  --logs FILE   analyze JSON log lines (one object per line, as exported from Vercel)
  --strict      exit 1 when a finding of the lint rules remains (for CI)
  --json        print the report data as JSON
  --no-deps     skip the dependency analysis (no processes spawned; fast)
  --runs N      fresh processes per dependency import measurement (default 5)
  --root DIR    project root to analyze (default: current directory)
  -h, --help    show this help

Exit codes: 0 done, 1 --strict and findings remain, 2 bad usage or unreadable input.
`;

export function parseArgs(argv: readonly string[]): CliOptions {
  let root: string | undefined;
  let logs: string | undefined;
  let strict = false;
  let json = false;
  let deps = true;
  let runs = 5;
  let help = false;
  for (let index = 0; index < argv.length; index += 1) {
    const raw = argv[index] as string;
    const equals = raw.startsWith('--') ? raw.indexOf('=') : -1;
    const flag = equals > 0 ? raw.slice(0, equals) : raw;
    const inline = equals > 0 ? raw.slice(equals + 1) : undefined;
    const value = (): string => {
      if (inline !== undefined) {
        if (inline === '') throw new UsageError(`${flag} needs a value`);
        return inline;
      }
      const next = argv[index + 1];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`${flag} needs a value`);
      index += 1;
      return next;
    };
    const noValue = (): void => {
      if (inline !== undefined) throw new UsageError(`${flag} takes no value`);
    };
    switch (flag) {
      case '--logs':
        logs = value();
        break;
      case '--root':
        root = value();
        break;
      case '--runs': {
        const text = value();
        const parsed = Number(text);
        if (!Number.isInteger(parsed) || parsed < 1 || parsed > 100) {
          throw new UsageError(`--runs must be a whole number from 1 to 100, got ${text}`);
        }
        runs = parsed;
        break;
      }
      case '--strict':
        noValue();
        strict = true;
        break;
      case '--json':
        noValue();
        json = true;
        break;
      case '--no-deps':
        noValue();
        deps = false;
        break;
      case '--help':
      case '-h':
        help = true;
        break;
      default:
        throw new UsageError(`unknown argument: ${raw}`);
    }
  }
  return { root, logs, strict, json, deps, runs, help };
}
