// Compiles what the benchmark runs in child processes. Bot processes run JavaScript, never
// through tsx, so their CPU, memory and start-up are those of the deployed code:
// - `artifacts`: the Build Output API directory that ships (tools/build, what `vercel build`
//   uploads), in the shipped format and in the alternatives the choice was made against; the
//   product runs from there, started as Vercel's Node launcher starts it;
// - `unbundled`: every module compiled on its own, imports left as they are: the harness (bot
//   process, cold entries, launcher), the seed's "before", and what @vercel/node deploys when it
//   compiles api/*.ts file by file (the shape before tools/build).
import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { build, type BuildOptions } from 'esbuild';
import { buildOutput, FORMATS, SHIPPED_FORMAT, type BundleFormat } from '../build/build-output.js';

export interface FunctionArtifact {
  /** What it is, for tables: `shipped (esm-split)`, `cjs`, … */
  readonly name: string;
  readonly format: BundleFormat | 'external';
  /** The `api/telegram.func` directory. */
  readonly funcDir: string;
  /** Its `.vc-config.json` `environment`: Vercel starts the process with it (NODE_OPTIONS included). */
  readonly environment: Record<string, string>;
}

export interface BenchBuild {
  readonly dir: string;
  /** Compiled `tools/bench/child/bot-process.ts` (warm instances). */
  readonly botProcess: string;
  /** Cold-start entries: compiled, not bundled. `product` imports api/telegram compiled per file. */
  readonly cold: { readonly product: string; readonly naive: string; readonly floor: string; readonly launcher: string };
  /** `api/telegram.func` as it ships (first) and in the other formats. */
  readonly artifacts: readonly FunctionArtifact[];
  /** `api/telegram.ts` compiled per file (no harness), for import-cost measurements. */
  readonly apiUnbundled: string;
  /**
   * npm packages that importing `api/telegram.ts` loads (static imports and requires, followed
   * through every module); what the app imports with `import()` on first use is not among them.
   */
  readonly apiStaticPackages: readonly string[];
  readonly buildMs: number;
  cleanup(): Promise<void>;
}

const CHILD_ENTRIES = [
  'tools/bench/child/bot-process.ts',
  'tools/bench/cold/product.ts',
  'tools/bench/cold/naive.ts',
  'tools/bench/cold/floor.ts',
  'tools/bench/cold/vercel-launcher.ts',
];
const API_ENTRY = 'api/telegram.ts';

const COMMON: BuildOptions = { format: 'esm', platform: 'node', target: 'node20', logLevel: 'silent', legalComments: 'none' };

export async function buildBench(root: string, options: { readonly externalArtifact?: string } = {}): Promise<BenchBuild> {
  const started = performance.now();
  const dir = await mkdtemp(join(tmpdir(), 'service-desk-bench-'));
  // Also on an early exit (Ctrl-C in main.ts exits through process.exit).
  const removeOnExit = (): void => rmSync(dir, { recursive: true, force: true });
  process.once('exit', removeOnExit);
  // Compiled files are ES modules and find the project's dependencies through this link.
  await writeFile(join(dir, 'package.json'), '{ "type": "module", "private": true }\n');
  await symlink(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');

  const files = await sourceClosure(root, [...CHILD_ENTRIES, API_ENTRY]);
  const unbundledDir = join(dir, 'unbundled');
  await build({ ...COMMON, entryPoints: files.map((file) => join(root, file)), outdir: unbundledDir, outbase: root, bundle: false });

  // The shipped format first: the product rows run it.
  const formats = [SHIPPED_FORMAT, ...FORMATS.filter((format) => format !== SHIPPED_FORMAT)];
  const artifacts: FunctionArtifact[] = [];
  for (const format of formats) {
    // Outside the build directory's package.json ("type": "module"), as on Vercel.
    const outDir = join(dir, 'artifacts', format, 'output');
    await writeFile(join(await ensureDir(join(dir, 'artifacts', format)), 'package.json'), '{}\n');
    await buildOutput({ root, outDir, format, functions: [{ entry: API_ENTRY, route: 'api/telegram', maxDuration: 60 }], page: false });
    const funcDir = join(outDir, 'functions', 'api', 'telegram.func');
    artifacts.push({ name: format === SHIPPED_FORMAT ? `shipped (${format})` : format, format, funcDir, environment: await environmentOf(funcDir) });
  }
  if (options.externalArtifact) {
    const funcDir = resolve(options.externalArtifact, 'functions', 'api', 'telegram.func');
    artifacts.push({ name: 'given (--artifact)', format: 'external', funcDir, environment: await environmentOf(funcDir) });
  }

  const apiStaticPackages = await staticPackages(root, API_ENTRY);
  const js = (file: string) => join(unbundledDir, file.replace(/\.ts$/, '.js'));
  return {
    dir,
    botProcess: js('tools/bench/child/bot-process.ts'),
    cold: {
      product: js('tools/bench/cold/product.ts'),
      naive: js('tools/bench/cold/naive.ts'),
      floor: js('tools/bench/cold/floor.ts'),
      launcher: js('tools/bench/cold/vercel-launcher.ts'),
    },
    artifacts,
    apiUnbundled: js(API_ENTRY),
    apiStaticPackages,
    buildMs: performance.now() - started,
    cleanup: async () => {
      process.off('exit', removeOnExit);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The npm packages a cold start loads by importing `entry`: esbuild's module graph followed through
 * static imports and requires only. Packages behind an `import()` (loaded on first use) are left out.
 */
export async function staticPackages(root: string, entry: string): Promise<string[]> {
  const result = await build({ ...COMMON, entryPoints: [join(root, entry)], bundle: true, write: false, metafile: true, outdir: join(root, '.unused') });
  const inputs = result.metafile.inputs;
  const entryKey = Object.keys(inputs).find((path) => resolve(path) === resolve(root, entry) || path.endsWith(entry));
  const seen = new Set<string>();
  const queue = entryKey === undefined ? [] : [entryKey];
  while (queue.length > 0) {
    const path = queue.pop() as string;
    if (seen.has(path)) continue;
    seen.add(path);
    for (const edge of inputs[path]?.imports ?? []) {
      if (edge.kind === 'import-statement' || edge.kind === 'require-call') queue.push(edge.path);
    }
  }
  const packages = [...seen].filter((path) => path.includes('node_modules/')).map((path) => {
    const [first, second] = (path.split('node_modules/').at(-1) ?? '').split('/');
    return first?.startsWith('@') ? `${first}/${second}` : first;
  });
  return [...new Set(packages.filter((name): name is string => name !== undefined))].sort();
}

async function environmentOf(funcDir: string): Promise<Record<string, string>> {
  const config = JSON.parse(await readFile(join(funcDir, '.vc-config.json'), 'utf8')) as { environment?: Record<string, string> };
  return config.environment ?? {};
}

async function ensureDir(path: string): Promise<string> {
  await mkdir(path, { recursive: true });
  return path;
}

/**
 * The project's TypeScript files reachable from `entries` through relative value imports
 * (static, dynamic and side-effect imports; type-only imports are skipped, as the compiler
 * erases them). Paths are relative to `root`. Only these are compiled, so work in progress
 * elsewhere in the tree cannot break the benchmark.
 */
export async function sourceClosure(root: string, entries: readonly string[]): Promise<string[]> {
  const seen = new Set<string>();
  const queue = entries.map((entry) => resolve(root, entry));
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const specifier of relativeImports(await readFile(file, 'utf8'))) {
      const target = resolve(dirname(file), specifier).replace(/\.js$/, '.ts');
      if (!seen.has(target)) queue.push(target);
    }
  }
  return [...seen].map((file) => relative(root, file)).sort();
}

/** Relative specifiers of value imports and re-exports in one module's source. */
export function relativeImports(source: string): string[] {
  const found = new Set<string>();
  const patterns = [
    // import x from './a.js'; import { y } from './a.js'; export { z } from './a.js'; export * from './a.js'
    /^\s*(import|export)\s+(?!type\s)([^'";]*?)\s+from\s+['"](\.{1,2}\/[^'"]+)['"]/gm,
    // import './a.js'
    /^\s*import\s+['"](\.{1,2}\/[^'"]+)['"]/gm,
    // await import('./a.js')
    /\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) {
    for (const match of source.matchAll(pattern)) {
      const specifier = match[match.length - 1] as string;
      const clause = match.length === 4 ? (match[2] ?? '') : '';
      // `import { type A, type B } from` is erased too.
      if (/^\{\s*(type\s+[\w$]+\s*,?\s*)+\}$/.test(clause.trim())) continue;
      found.add(specifier);
    }
  }
  return [...found];
}
