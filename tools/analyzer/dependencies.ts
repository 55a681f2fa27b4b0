import { execFile } from 'node:child_process';
import { lstat, readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { median } from './percentiles.js';
import { processEnv } from '../../lib/config.js';

/**
 * What each runtime dependency costs a cold start: bytes on disk (what the function bundle carries)
 * and the time a fresh Node process takes to `import()` it (what every cold start pays before the
 * first update is handled).
 */

export interface ImportCost {
  /** Every run's measurement, in the order measured. */
  readonly runsMs: readonly number[];
  /** Median of `runsMs`; undefined when the import failed. */
  readonly medianMs: number | undefined;
  /** Why the import failed (e.g. a types-only package or one without a default entry). */
  readonly error: string | undefined;
}

export interface DependencyStats {
  readonly name: string;
  /** The range written in package.json. */
  readonly range: string;
  /** From node_modules/<name>/package.json; undefined when not installed. */
  readonly version: string | undefined;
  /** node_modules/<name> including its own nested node_modules; undefined when not installed. */
  readonly sizeBytes: number | undefined;
  readonly files: number;
  /** The package and every package it depends on (each counted once). */
  readonly closureSizeBytes: number | undefined;
  readonly closurePackages: number;
  readonly importCost: ImportCost | undefined;
}

export interface DependencyReport {
  readonly root: string;
  readonly runs: number;
  /** Sorted by median import cost, most expensive first; failed or unmeasured imports last. */
  readonly dependencies: readonly DependencyStats[];
  /** All runtime dependencies and their dependencies, each package counted once. */
  readonly totalClosureSizeBytes: number;
  /** Median time to import every runtime dependency in one fresh process (shared sub-dependencies load once). */
  readonly allTogether: ImportCost | undefined;
  readonly durationMs: number;
}

export interface DependencyOptions {
  /** Fresh processes per package (the median is reported). Default 5. */
  readonly runs?: number;
  /** Skip the spawned imports (sizes only). Default true. */
  readonly measureImports?: boolean;
  /** Also time importing all dependencies together. Default true. */
  readonly measureAllTogether?: boolean;
  /** Per spawned process. Default 60 s. */
  readonly timeoutMs?: number;
  /** The node binary. Default: the one running this process. */
  readonly nodePath?: string;
  /** Progress lines (the CLI passes stderr). */
  readonly onProgress?: (line: string) => void;
}

export class DependencyError extends Error {
  override readonly name = 'DependencyError';
}

export async function analyzeDependencies(root: string, options: DependencyOptions = {}): Promise<DependencyReport> {
  const started = performance.now();
  const runs = Math.max(1, Math.floor(options.runs ?? 5));
  const manifest = await readManifest(path.join(root, 'package.json'));
  const ranges = manifest.dependencies;
  const names = Object.keys(ranges).sort();
  const closureAll = new Set<string>();
  const stats: DependencyStats[] = [];
  for (const name of names) {
    const dir = path.join(root, 'node_modules', name);
    const installed = await isDirectory(dir);
    const size = installed ? await directorySize(dir) : undefined;
    const closure = installed ? await dependencyClosure(root, dir) : new Set<string>();
    for (const packageDir of closure) closureAll.add(packageDir);
    let importCost: ImportCost | undefined;
    if (options.measureImports !== false) {
      options.onProgress?.(`measuring import('${name}') x${runs}`);
      importCost = installed
        ? await measureImportCost([name], { cwd: root, runs, timeoutMs: options.timeoutMs, nodePath: options.nodePath })
        : { runsMs: [], medianMs: undefined, error: 'not installed (run npm install)' };
    }
    stats.push({
      name,
      range: ranges[name] ?? '',
      version: installed ? await packageVersion(dir) : undefined,
      sizeBytes: size?.bytes,
      files: size?.files ?? 0,
      closureSizeBytes: installed ? await ownSizeOf(closure) : undefined,
      closurePackages: closure.size,
      importCost,
    });
  }
  let allTogether: ImportCost | undefined;
  const importable = stats.filter((s) => s.importCost?.medianMs !== undefined).map((s) => s.name);
  if (options.measureImports !== false && options.measureAllTogether !== false && importable.length > 1) {
    options.onProgress?.(`measuring all ${importable.length} imports together x${runs}`);
    allTogether = await measureImportCost(importable, { cwd: root, runs, timeoutMs: options.timeoutMs, nodePath: options.nodePath });
  }
  return {
    root,
    runs,
    dependencies: stats.sort(byImportCost),
    totalClosureSizeBytes: await ownSizeOf(closureAll),
    allTogether,
    durationMs: performance.now() - started,
  };
}

function byImportCost(a: DependencyStats, b: DependencyStats): number {
  const am = a.importCost?.medianMs;
  const bm = b.importCost?.medianMs;
  if (am !== undefined && bm !== undefined && am !== bm) return bm - am;
  if (am !== undefined && bm === undefined) return -1;
  if (am === undefined && bm !== undefined) return 1;
  return (b.sizeBytes ?? -1) - (a.sizeBytes ?? -1) || a.name.localeCompare(b.name);
}

async function readManifest(file: string): Promise<{ dependencies: Record<string, string> }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new DependencyError(`cannot read ${file}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new DependencyError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  const dependencies = (parsed as { dependencies?: unknown }).dependencies;
  if (dependencies === undefined) return { dependencies: {} };
  if (typeof dependencies !== 'object' || dependencies === null || Array.isArray(dependencies)) {
    throw new DependencyError(`${file}: "dependencies" is not an object`);
  }
  const result: Record<string, string> = {};
  for (const [name, range] of Object.entries(dependencies)) result[name] = String(range);
  return { dependencies: result };
}

async function isDirectory(dir: string): Promise<boolean> {
  try {
    const info = await lstat(dir);
    return info.isDirectory() || info.isSymbolicLink();
  } catch {
    return false;
  }
}

async function packageVersion(dir: string): Promise<string | undefined> {
  try {
    const manifest = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as { version?: unknown };
    return typeof manifest.version === 'string' ? manifest.version : undefined;
  } catch {
    return undefined;
  }
}

export interface DirectorySize {
  readonly bytes: number;
  readonly files: number;
}

/**
 * Bytes of every regular file under `dir` (apparent size, so it does not depend on the file
 * system's block size), nested node_modules included. Symbolic links are not followed.
 * `skipNodeModules` leaves out `dir/node_modules` (the package's own files only).
 */
export async function directorySize(dir: string, skipNodeModules = false): Promise<DirectorySize> {
  let bytes = 0;
  let files = 0;
  const stack = [dir];
  while (stack.length > 0) {
    const current = stack.pop() as string;
    let entries;
    try {
      entries = await readdir(current, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) {
        if (skipNodeModules && current === dir && entry.name === 'node_modules') continue;
        stack.push(full);
      } else if (entry.isFile()) {
        bytes += (await lstat(full)).size;
        files += 1;
      }
    }
  }
  return { bytes, files };
}

/**
 * The directories of `packageDir` and of every package it depends on (dependencies and
 * optionalDependencies, resolved the way Node does: nearest node_modules first, then up to `root`).
 */
export async function dependencyClosure(root: string, packageDir: string): Promise<Set<string>> {
  const seen = new Set<string>();
  const queue = [path.resolve(packageDir)];
  const rootResolved = path.resolve(root);
  while (queue.length > 0) {
    const dir = queue.pop() as string;
    if (seen.has(dir)) continue;
    seen.add(dir);
    let manifest: { dependencies?: Record<string, unknown>; optionalDependencies?: Record<string, unknown> };
    try {
      manifest = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as typeof manifest;
    } catch {
      continue;
    }
    const names = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.optionalDependencies ?? {})]);
    for (const name of names) {
      const resolved = await resolvePackageDir(rootResolved, dir, name);
      if (resolved && !seen.has(resolved)) queue.push(resolved);
    }
  }
  return seen;
}

async function resolvePackageDir(root: string, from: string, name: string): Promise<string | undefined> {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (await isDirectory(candidate)) return candidate;
    if (dir === root || path.dirname(dir) === dir || !dir.startsWith(root)) return undefined;
  }
}

async function ownSizeOf(dirs: ReadonlySet<string>): Promise<number> {
  let total = 0;
  for (const dir of dirs) total += (await directorySize(dir, true)).bytes;
  return total;
}

export interface MeasureOptions {
  /** Where the import resolves from (the project root). */
  readonly cwd: string;
  readonly runs?: number;
  readonly timeoutMs?: number | undefined;
  readonly nodePath?: string | undefined;
}

/**
 * Imports `specifiers` (in order) in `runs` fresh Node processes, one after another so they do not
 * compete for the CPU, and returns each run's time and the median. The time is taken inside the child
 * (`performance.now()` around `await import()`), so Node's own start-up is not counted.
 */
export async function measureImportCost(specifiers: readonly string[], options: MeasureOptions): Promise<ImportCost> {
  const runs = Math.max(1, Math.floor(options.runs ?? 5));
  const list = JSON.stringify(specifiers);
  const script =
    `const names = ${list}; const t = performance.now(); ` +
    `for (const name of names) await import(name); ` +
    `console.log(performance.now() - t);`;
  const runsMs: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const result = await runNode(script, options);
    if ('error' in result) return { runsMs, medianMs: runsMs.length > 0 ? median(runsMs) : undefined, error: result.error };
    runsMs.push(result.ms);
  }
  return { runsMs, medianMs: median(runsMs), error: undefined };
}

function runNode(script: string, options: MeasureOptions): Promise<{ ms: number } | { error: string }> {
  const env = { ...processEnv() };
  // A loader from the parent (tsx, a coverage hook) would be timed as part of every import.
  delete env['NODE_OPTIONS'];
  return new Promise((resolve) => {
    execFile(
      options.nodePath ?? process.execPath,
      ['--input-type=module', '-e', script],
      { cwd: options.cwd, env, timeout: options.timeoutMs ?? 60_000, maxBuffer: 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          resolve({ error: describeImportError(String(stderr), error) });
          return;
        }
        const last = String(stdout).trim().split('\n').pop() ?? '';
        const ms = Number(last);
        resolve(Number.isFinite(ms) ? { ms } : { error: `unexpected output: ${last.slice(0, 200)}` });
      },
    );
  });
}

function describeImportError(stderr: string, error: Error & { killed?: boolean; signal?: NodeJS.Signals | null }): string {
  if (error.killed || error.signal) return `import timed out or was killed (${error.signal ?? 'timeout'})`;
  const code = /\b(ERR_[A-Z_]+)\b/.exec(stderr)?.[1];
  const hints: Record<string, string> = {
    ERR_PACKAGE_PATH_NOT_EXPORTED: 'no default entry point (only subpaths are exported)',
    ERR_MODULE_NOT_FOUND: 'module or its entry file not found',
    ERR_UNSUPPORTED_DIR_IMPORT: 'no importable entry point',
  };
  const firstLine = stderr
    .split('\n')
    .map((line) => line.trim())
    .find((line) => /Error/.test(line)) ?? stderr.trim().split('\n')[0] ?? error.message;
  if (code) return `${code}: ${hints[code] ?? firstLine.slice(0, 200)}`;
  return firstLine.slice(0, 200) || error.message;
}
