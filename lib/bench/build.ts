// Compiles what the benchmark runs in child processes. Bot processes run compiled JavaScript,
// never through tsx, so their CPU, memory and start-up are those of the deployed code:
// - `unbundled`: every module compiled on its own, imports left as they are (what Vercel's
//   Node builder deploys by default: files traced, not bundled);
// - `bundled` / `bundledMin`: the webhook entry and its dependencies in one file (esbuild);
// - `lazy*`: a scratch copy of the app where the backend client (ky + undici) loads on first use.
import { rmSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { build, type BuildOptions } from 'esbuild';

export interface BenchBuild {
  readonly dir: string;
  /** Compiled `lib/bench/child/bot-process.js` (warm instances). */
  readonly botProcess: string;
  /** Cold-start entries: compiled, not bundled. */
  readonly cold: { readonly product: string; readonly naive: string; readonly floor: string };
  /** The product's cold-start entry bundled into one file, plain and minified. */
  readonly bundled: string;
  readonly bundledMin: string;
  /** `api/telegram.ts` alone (no harness), for import-cost measurements. */
  readonly apiUnbundled: string;
  readonly apiBundled: string;
  /** The lazy-backend-client experiment; undefined (with the reason) when the patch no longer applies. */
  readonly lazy: { readonly unbundled: string; readonly bundled: string; readonly apiBundled: string } | undefined;
  readonly lazySkipped: string | undefined;
  readonly buildMs: number;
  cleanup(): Promise<void>;
}

const CHILD_ENTRIES = ['lib/bench/child/bot-process.ts', 'lib/bench/cold/product.ts', 'lib/bench/cold/naive.ts', 'lib/bench/cold/floor.ts'];
const PRODUCT_ENTRY = 'lib/bench/cold/product.ts';
const API_ENTRY = 'api/telegram.ts';
const LAZY_MODULE = 'lib/bench/lazy/lazy-backend-client.ts';

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

  const lazy = await buildLazyVariant(root, dir, files);
  const js = (file: string) => join(unbundledDir, file.replace(/\.ts$/, '.js'));
  return {
    dir,
    botProcess: js('lib/bench/child/bot-process.ts'),
    cold: { product: js('lib/bench/cold/product.ts'), naive: js('lib/bench/cold/naive.ts'), floor: js('lib/bench/cold/floor.ts') },
    bundled,
    bundledMin,
    apiUnbundled: js(API_ENTRY),
    apiBundled,
    lazy: lazy.ok ? lazy.paths : undefined,
    lazySkipped: lazy.ok ? undefined : lazy.reason,
    buildMs: performance.now() - started,
    cleanup: async () => {
      process.off('exit', removeOnExit);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

type LazyResult =
  | { ok: true; paths: { unbundled: string; bundled: string; apiBundled: string } }
  | { ok: false; reason: string };

/**
 * The scratch copy: `lib/app.ts` builds its backend client through `lazyBackendClient`, with
 * `./backend/backend-client.js` behind a dynamic import. Nothing in the real tree changes.
 */
async function buildLazyVariant(root: string, dir: string, files: readonly string[]): Promise<LazyResult> {
  const scratch = join(dir, 'scratch-lazy');
  for (const file of [...files, LAZY_MODULE]) {
    await mkdir(dirname(join(scratch, file)), { recursive: true });
    await cp(join(root, file), join(scratch, file));
  }
  const appPath = join(scratch, 'lib/app.ts');
  const patched = patchAppForLazyBackend(await readFile(appPath, 'utf8'));
  if (!patched.ok) return patched;
  await writeFile(appPath, patched.source);

  const unbundledDir = join(dir, 'lazy-unbundled');
  const lazyFiles = await sourceClosure(scratch, [PRODUCT_ENTRY, API_ENTRY]);
  await build({ ...COMMON, entryPoints: lazyFiles.map((file) => join(scratch, file)), outdir: unbundledDir, outbase: scratch, bundle: false });
  // Code splitting keeps the backend client in a chunk of its own, loaded on first use.
  const bundledDir = join(dir, 'lazy-bundled');
  const apiDir = join(dir, 'lazy-api-bundled');
  const split = (entry: string, outdir: string) =>
    build({
      ...COMMON,
      entryPoints: [join(scratch, entry)],
      outdir,
      bundle: true,
      splitting: true,
      outExtension: { '.js': '.mjs' },
      banner: { js: REQUIRE_BANNER },
    });
  await Promise.all([split(PRODUCT_ENTRY, bundledDir), split(API_ENTRY, apiDir)]);
  return {
    ok: true,
    paths: {
      unbundled: join(unbundledDir, PRODUCT_ENTRY.replace(/\.ts$/, '.js')),
      bundled: join(bundledDir, 'product.mjs'),
      apiBundled: join(apiDir, 'telegram.mjs'),
    },
  };
}

/** The change measured by the lazy variant, as a text patch of lib/app.ts. */
export function patchAppForLazyBackend(source: string): { ok: true; source: string } | { ok: false; reason: string } {
  const importLine = /^import \{ createBackendClient, type BackendClient \} from '\.\/backend\/backend-client\.js';$/m;
  if (!importLine.test(source)) return { ok: false, reason: 'lib/app.ts no longer imports { createBackendClient, type BackendClient } from ./backend/backend-client.js' };
  const start = source.indexOf('createBackendClient(');
  const open = start + 'createBackendClient'.length;
  const close = start === -1 ? -1 : matchingParen(source, open);
  if (start === -1 || close === -1 || source.indexOf('createBackendClient(', close) !== -1) {
    return { ok: false, reason: 'lib/app.ts no longer calls createBackendClient(...) exactly once' };
  }
  const args = source.slice(open + 1, close);
  const call = `lazyBackendClient(() => import('./backend/backend-client.js').then((m) => m.createBackendClient(${args})), config.backend.maxConnections)`;
  const patched = (source.slice(0, start) + call + source.slice(close + 1)).replace(
    importLine,
    "import type { BackendClient } from './backend/backend-client.js';\nimport { lazyBackendClient } from './bench/lazy/lazy-backend-client.js';",
  );
  return { ok: true, source: patched };
}

/** Index of the parenthesis closing the one at `open` (strings and comments are not expected inside). */
function matchingParen(source: string, open: number): number {
  let depth = 0;
  for (let i = open; i < source.length; i++) {
    const c = source[i];
    if (c === '(') depth += 1;
    else if (c === ')') {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  return -1;
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
