import { stat } from 'node:fs/promises';
import path from 'node:path';
import { analyzeDependencies } from './dependencies.js';
import { analyzeLogFile, LogFileError } from './log-analysis.js';
import { recommend } from './recommendations.js';
import type { AnalysisReport } from './report.js';
import { runStaticChecks } from './static-checks.js';

/**
 * Runs the analyses the options ask for and gathers them into one report: the lint rules
 * (through ESLint) always, dependencies unless `deps` is false, logs when a file is given.
 */
export interface AnalyzeOptions {
  readonly root: string;
  readonly logs?: string | undefined;
  readonly deps?: boolean;
  readonly runs?: number;
  readonly onProgress?: (line: string) => void;
  /** For reproducible output in tests. */
  readonly now?: () => Date;
}

export class InputError extends Error {
  override readonly name = 'InputError';
}

export async function analyze(options: AnalyzeOptions): Promise<AnalysisReport> {
  const root = path.resolve(options.root);
  await requireDirectory(root);
  // Check the logs file before the slow parts, so a typo fails in milliseconds.
  if (options.logs !== undefined) await requireFile(options.logs);
  const generatedAt = (options.now ?? (() => new Date()))().toISOString();
  const staticChecks = await runStaticChecks(root);
  const dependencies =
    options.deps === false
      ? undefined
      : await analyzeDependencies(root, { runs: options.runs ?? 5, onProgress: options.onProgress });
  let logs;
  try {
    logs = options.logs === undefined ? undefined : await analyzeLogFile(options.logs);
  } catch (error) {
    if (error instanceof LogFileError) throw new InputError(error.message);
    throw error;
  }
  return { root, generatedAt, staticChecks, dependencies, logs, recommendations: recommend({ staticChecks, dependencies, logs }) };
}

async function requireDirectory(dir: string): Promise<void> {
  try {
    if ((await stat(dir)).isDirectory()) return;
  } catch {
    throw new InputError(`root directory not found: ${dir}`);
  }
  throw new InputError(`root is not a directory: ${dir}`);
}

async function requireFile(file: string): Promise<void> {
  try {
    if ((await stat(file)).isFile()) return;
  } catch {
    throw new InputError(`logs file not found: ${file}`);
  }
  throw new InputError(`logs file is not a regular file: ${file}`);
}
