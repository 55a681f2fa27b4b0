// The build that ships: every function in api/ bundled on its own with esbuild and written as a
// Vercel Build Output API v3 directory (`.vercel/output`). `vercel build` runs it through the
// `builds` entry of vercel.json (see docs/architecture.md, "What ships"), so `vercel deploy` (remote build) and
// `vercel deploy --prebuilt` ship the same files. `npm start`, `npm test` and the dev server still
// run the TypeScript sources.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { buildMiniAppPage, miniAppRoutes, type BuiltPage } from './mini-app-page.js';

/** One Vercel function: its source entry, its route under `functions/`, and its time limit. */
export interface FunctionSpec {
  readonly entry: string;
  readonly route: string;
  /** Seconds (`maxDuration` in `.vc-config.json`); under Fluid compute the default is 300. */
  readonly maxDuration: number;
  /** The function streams its answer (a file download): Vercel would otherwise buffer it, up to 4.5 MB. */
  readonly streaming?: boolean;
}

/** What deploys. Memory is not set here: under Fluid compute it is a project setting (dashboard). */
export const FUNCTIONS: readonly FunctionSpec[] = [
  { entry: 'api/telegram.ts', route: 'api/telegram', maxDuration: 60 },
  // An agent's comment may carry files the bot downloads and uploads: up to a minute.
  { entry: 'api/notify.ts', route: 'api/notify', maxDuration: 60 },
  { entry: 'api/files/[id].ts', route: 'api/files/[id]', maxDuration: 60, streaming: true },
  { entry: 'api/health.ts', route: 'api/health', maxDuration: 10 },
  { entry: 'api/cron/report.ts', route: 'api/cron/report', maxDuration: 60 },
  // Drains due reminders in bounded batches, stopping after 40 s (lib/notify/drain-reminders.ts).
  { entry: 'api/cron/remind.ts', route: 'api/cron/remind', maxDuration: 60 },
  // BACKEND_KIND=redmine: reads what changed in Redmine and tells people, stopping after 40 s (lib/backend/redmine/poll.ts).
  { entry: 'api/cron/poll.ts', route: 'api/cron/poll', maxDuration: 60 },
  // The Mini App's API: one router (one cold start per person's visit); a download streams.
  { entry: 'api/app/[...path].ts', route: 'api/app/[...path]', maxDuration: 60, streaming: true },
];

/**
 * - `esm-split`: ES modules with code splitting: what the app imports lazily (the backend client
 *   with ky and undici, @upstash/ratelimit) sits in chunks that are read on first use. What ships:
 *   it loads fastest (docs/performance.md: how the way was chosen).
 * - `cjs`: one CommonJS file per function; lazily imported modules stay unevaluated until first
 *   use (esbuild wraps them), but their source is parsed with the rest.
 * - `esm`: one ES module per function, the same lazy wrapping.
 */
export const FORMATS = ['esm-split', 'cjs', 'esm'] as const;
export type BundleFormat = (typeof FORMATS)[number];
export const SHIPPED_FORMAT: BundleFormat = 'esm-split';

export interface BuildOutputOptions {
  readonly root: string;
  /** The Build Output directory (`.vercel/output`). Replaced whole. */
  readonly outDir: string;
  readonly format?: BundleFormat;
  readonly functions?: readonly FunctionSpec[];
  readonly minify?: boolean;
  /** Vercel's runtime id for `.vc-config.json`. */
  readonly runtime?: string;
  /** Package replacements (esbuild `alias`); SHIMS by default, `{}` for none. */
  readonly alias?: Record<string, string>;
  /** Write the Mini App's page into `static/` (true by default). */
  readonly page?: boolean;
}

/**
 * Environment of every function (`.vc-config.json` `environment`). V8 lets the young generation
 * grow to 2 × 64 MB semi-spaces on Node 24 under the bot's allocation churn, though the live heap
 * stays near 15 MB: the 10k-update soak peaked at 225 MB RSS, and 120 MB with 2 MB semi-spaces,
 * at the same CPU per update (docs/performance.md, "Memory"). Only NODE_OPTIONS reaches V8 before the heap is
 * set up (v8.setFlagsFromString at run time changes nothing).
 */
export const FUNCTION_ENVIRONMENT: Readonly<Record<string, string>> = { NODE_OPTIONS: '--max-semi-space-size=2' };

/** Dependencies replaced in the bundle by what they are used for (see each shim's comment). */
export const SHIMS: Record<string, string> = {
  'whatwg-url': fileURLToPath(new URL('./shims/whatwg-url.ts', import.meta.url)),
  '@vercel/functions': fileURLToPath(new URL('./shims/vercel-functions.ts', import.meta.url)),
};

export interface BuiltFunction {
  readonly route: string;
  /** The `.func` directory. */
  readonly dir: string;
  readonly handler: string;
  /** Bytes of JavaScript written for this function (all chunks). */
  readonly bytes: number;
  /** npm packages inside the bundle, from esbuild's metafile. */
  readonly packages: readonly string[];
}

// Bundled ESM has no `require` for the CommonJS dependencies (telegraf, pino) it inlines.
const REQUIRE_BANNER = "import { createRequire as __vcRequire } from 'node:module'; const require = __vcRequire(import.meta.url);";

export async function buildOutput(options: BuildOutputOptions): Promise<BuiltFunction[]> {
  const format = options.format ?? SHIPPED_FORMAT;
  const functions = options.functions ?? FUNCTIONS;
  await rm(options.outDir, { recursive: true, force: true });
  await mkdir(join(options.outDir, 'functions'), { recursive: true });
  // Crons come from vercel.json: `vercel build` merges them into this file. A `[param]` route is a
  // dynamic segment: the path is rewritten to the function with the segment as `?param=`.
  const page = (options.page ?? true) ? await writePage(options.root, options.outDir) : undefined;
  const routes = [...(page ? miniAppRoutes(page) : []), ...functions.flatMap((spec) => dynamicRoute(spec.route))];
  await writeFile(join(options.outDir, 'config.json'), `${JSON.stringify({ version: 3, ...(routes.length > 0 && { routes }) }, null, 2)}\n`);

  const built: BuiltFunction[] = [];
  for (const spec of functions) {
    const dir = join(options.outDir, 'functions', `${spec.route}.func`);
    const handler = format === 'cjs' ? 'index.cjs' : 'index.mjs';
    const common: BuildOptions = {
      entryPoints: [join(options.root, spec.entry)],
      bundle: true,
      platform: 'node',
      // Vercel runs Node 24; the bench also starts the same files on Node 20.
      target: 'node20',
      minify: options.minify ?? false,
      // Stack traces in the logs name our functions; no source maps are shipped or loaded.
      keepNames: false,
      legalComments: 'none',
      logLevel: 'warning',
      metafile: true,
      // The `.func` directory is the whole function: nothing is resolved from node_modules at run time.
      packages: 'bundle',
      alias: options.alias ?? SHIMS,
    };
    let result;
    if (format === 'cjs') {
      result = await build({ ...common, format: 'cjs', outfile: join(dir, handler) });
    } else if (format === 'esm') {
      result = await build({ ...common, format: 'esm', outfile: join(dir, handler), banner: { js: REQUIRE_BANNER } });
    } else {
      result = await build({
        ...common,
        format: 'esm',
        outdir: dir,
        splitting: true,
        entryNames: 'index',
        chunkNames: 'chunks/[name]-[hash]',
        outExtension: { '.js': '.mjs' },
        banner: { js: REQUIRE_BANNER },
      });
    }
    const metafile: Metafile = result.metafile ?? { inputs: {}, outputs: {} };
    await writeFile(
      join(dir, '.vc-config.json'),
      `${JSON.stringify(
        {
          runtime: options.runtime ?? 'nodejs24.x',
          handler,
          launcherType: 'Nodejs',
          // The webhook reads the raw body itself and works with or without Vercel's helpers;
          // they stay on, as @vercel/node sets them, so the request is what the tests see.
          shouldAddHelpers: true,
          supportsResponseStreaming: spec.streaming === true,
          maxDuration: spec.maxDuration,
          environment: FUNCTION_ENVIRONMENT,
        },
        null,
        2,
      )}\n`,
    );
    const outputs = Object.entries(metafile.outputs);
    built.push({
      route: spec.route,
      dir,
      handler,
      bytes: outputs.reduce((total, [, output]) => total + output.bytes, 0),
      packages: packagesOf(metafile),
    });
  }
  return built;
}

/** The page written by the last build, for its report: sizes gzipped. */
export let lastPage: BuiltPage | undefined;

/** The Mini App's page as static files: `static/app/index.html` and its hashed script. */
async function writePage(root: string, outDir: string): Promise<BuiltPage> {
  const page = await buildMiniAppPage({ root });
  for (const file of [page.script, { ...page.html, path: `${page.html.path}/index.html` }]) {
    const target = join(outDir, 'static', file.path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, file.body);
  }
  lastPage = page;
  return page;
}

/**
 * `api/files/[id]` → `^/api/files/([^/]+)$` rewritten to `/api/files/[id]?id=$1`; a catch-all
 * `api/app/[...path]` takes the rest of the path (`(.+)`); none for a static route.
 */
export function dynamicRoute(route: string): { readonly src: string; readonly dest: string }[] {
  const params = [...route.matchAll(/\[(?:\.\.\.)?([A-Za-z0-9_]+)\]/g)].map((match) => match[1] as string);
  if (params.length === 0) return [];
  const src = `^/${route.replace(/\[\.\.\.[A-Za-z0-9_]+\]/g, '(.+)').replace(/\[[A-Za-z0-9_]+\]/g, '([^/]+)')}$`;
  const query = params.map((param, i) => `${param}=$${i + 1}`).join('&');
  return [{ src, dest: `/${route}?${query}` }];
}

/** Names of the npm packages whose files went into a bundle. */
export function packagesOf(metafile: Metafile): string[] {
  const names = new Set<string>();
  for (const input of Object.keys(metafile.inputs)) {
    const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
    if (match) names.add(match[1] as string);
  }
  return [...names].sort();
}

/** The `.vc-config.json` of a function directory. */
export interface VcConfig {
  readonly handler: string;
  readonly runtime?: string;
  readonly launcherType?: string;
  readonly shouldAddHelpers?: boolean;
  readonly maxDuration?: number;
  readonly environment?: Record<string, string>;
}

export async function readVcConfig(funcDir: string): Promise<VcConfig> {
  const config = JSON.parse(await readFile(join(funcDir, '.vc-config.json'), 'utf8')) as VcConfig;
  if (typeof config.handler !== 'string') throw new Error(`${join(funcDir, '.vc-config.json')} names no handler`);
  return config;
}

/** For messages: a path relative to the project root. */
export function shown(root: string, path: string): string {
  return relative(root, path) || '.';
}
