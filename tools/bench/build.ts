// Compiles what the benchmark runs in child processes. Bot processes run compiled JavaScript,
// never through tsx, so their CPU, memory and start-up are those of the deployed code:
// - `unbundled`: every module compiled on its own, imports left as they are (what Vercel's
//   Node builder deploys by default: files traced, not bundled);
// - `bundled` / `bundledMin`: the webhook entry and its dependencies in one file (esbuild);
// - `bundledSplit`: the same with code splitting, so what the app loads lazily (the backend
//   client: ky + undici) stays in a chunk of its own until first use.
import { rmSync } from 'node:fs';
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { build, type BuildOptions } from 'esbuild';

export interface BenchBuild {
  readonly dir: string;
  /** Compiled `tools/bench/child/bot-process.js` (warm instances). */
  readonly botProcess: string;
  /** Cold-start entries: compiled, not bundled. */
  readonly cold: { readonly product: string; readonly naive: string; readonly floor: string };
  /** The product's cold-start entry bundled into one file, plain and minified. */
  readonly bundled: string;
  readonly bundledMin: string;
  /** `api/telegram.ts` alone (no harness), for import-cost measurements. */
  readonly apiUnbundled: string;
  readonly apiBundled: string;
  /** The product bundled with code splitting: lazily imported modules stay in their own chunks. */
  readonly bundledSplit: string;
  /**
   * npm packages that importing `api/telegram.ts` loads (static imports and requires, followed
   * through every module); what the app imports with `import()` on first use is not among them.
   */
  readonly apiStaticPackages: readonly string[];
  readonly buildMs: number;
  cleanup(): Promise<void>;
}

const CHILD_ENTRIES = ['tools/bench/child/bot-process.ts', 'tools/bench/cold/product.ts', 'tools/bench/cold/naive.ts', 'tools/bench/cold/floor.ts'];
const PRODUCT_ENTRY = 'tools/bench/cold/product.ts';
const API_ENTRY = 'api/telegram.ts';

// Bundled ESM needs `require` for the CommonJS dependencies (telegraf, pino) it inlines.
const REQUIRE_BANNER = "import { createRequire as __benchRequire } from 'node:module'; const require = __benchRequire(import.meta.url);";

const COMMON: BuildOptions = { format: 'esm', platform: 'node', target: 'node20', logLevel: 'silent', legalComments: 'none' };

export async function buildBench(root: string): Promise<BenchBuild> {
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

  const bundle = async (entry: string, outfile: string, extra: BuildOptions = {}): Promise<void> => {
    await build({ ...COMMON, entryPoints: [entry], outfile, bundle: true, banner: { js: REQUIRE_BANNER }, ...extra });
  };
  const bundled = join(dir, 'bundled', 'product.mjs');
  const bundledMin = join(dir, 'bundled-min', 'product.mjs');
  const apiBundled = join(dir, 'api-bundled', 'telegram.mjs');
  await Promise.all([
    bundle(join(root, PRODUCT_ENTRY), bundled),
    bundle(join(root, PRODUCT_ENTRY), bundledMin, { minify: true }),
    bundle(join(root, API_ENTRY), apiBundled),
  ]);

  // Code splitting keeps the backend client in a chunk of its own, loaded on first use.
  const splitDir = join(dir, 'bundled-split');
  await build({
    ...COMMON,
    entryPoints: [join(root, PRODUCT_ENTRY)],
    outdir: splitDir,
    bundle: true,
    splitting: true,
    outExtension: { '.js': '.mjs' },
    banner: { js: REQUIRE_BANNER },
  });
  const apiStaticPackages = await staticPackages(root, API_ENTRY);
  const js = (file: string) => join(unbundledDir, file.replace(/\.ts$/, '.js'));
  return {
    dir,
    botProcess: js('tools/bench/child/bot-process.ts'),
    cold: { product: js('tools/bench/cold/product.ts'), naive: js('tools/bench/cold/naive.ts'), floor: js('tools/bench/cold/floor.ts') },
    bundled,
    bundledMin,
    apiUnbundled: js(API_ENTRY),
    apiBundled,
    bundledSplit: join(splitDir, 'product.mjs'),
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
