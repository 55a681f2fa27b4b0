import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyze, InputError } from './analyze.js';
import { parseArgs, USAGE, UsageError } from './cli-args.js';
import { DependencyError } from './dependencies.js';
import { renderReport, strictFailures } from './report.js';

/**
 * `npm run analyze` (= `tsx tools/analyzer/main.ts`): prints the performance report.
 * Exit codes: 0 done, 1 `--strict` with lint findings left, 2 bad usage or unreadable input.
 */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
}

const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
};

export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  let options;
  try {
    options = parseArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`analyze: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
  if (options.help) {
    io.stdout(USAGE);
    return 0;
  }
  const root = path.resolve(io.cwd, options.root ?? '.');
  try {
    const report = await analyze({
      root,
      logs: options.logs === undefined ? undefined : path.resolve(io.cwd, options.logs),
      deps: options.deps,
      runs: options.runs,
      onProgress: (line) => io.stderr(`analyze: ${line}\n`),
    });
    const failures = strictFailures(report);
    if (options.json) {
      io.stdout(`${JSON.stringify({ ...report, strict: { enabled: options.strict, failures } }, null, 2)}\n`);
    } else {
      io.stdout(renderReport(report));
    }
    if (options.strict && failures > 0) {
      io.stderr(`analyze: --strict: ${failures} finding${failures === 1 ? '' : 's'} of the serverless lint rules\n`);
      return 1;
    }
    return 0;
  } catch (error) {
    if (error instanceof InputError || error instanceof DependencyError) {
      io.stderr(`analyze: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (invokedDirectly) {
  runCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error('analyze: unexpected failure:', error);
      process.exitCode = 3;
    },
  );
}
