// The Mini App's page: web/mini-app bundled by esbuild into one script (Preact and the bot's own
// en/ru strings inside), and one HTML file that carries the styles inline. The first screen is the
// HTML, this script and one API call: the budget below is checked by every build.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, transform } from 'esbuild';

/** What the first screen may download before the list shows, gzipped (the HTML with its styles, and the script). */
export const FIRST_SCREEN_BUDGET_BYTES = 40 * 1024;

/** Where the page is served; its script lives under `${MINI_APP_PATH}/assets/`. */
export const MINI_APP_PATH = '/app';

/**
 * The page's Content-Security-Policy: its own scripts (the script file, and the small inline boot
 * script by its hash) and Telegram's telegram-web-app.js, nothing else; calls only to its own origin;
 * images from its own API (signed links). Styles may be inline: the page's own, and whatever
 * telegram-web-app.js sets.
 */
export function miniAppCsp(bootScriptHash: string): string {
  return [
    "default-src 'none'",
    `script-src 'self' 'sha256-${bootScriptHash}' https://telegram.org/js/telegram-web-app.js`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    // Telegram Web shows a Mini App in a frame; the phone and desktop apps use a web view.
    'frame-ancestors https://web.telegram.org',
  ].join('; ');
}

/** Headers of the HTML: the policy, and no caching (a new deployment's script is named by its hash). */
function htmlHeaders(csp: string): Readonly<Record<string, string>> {
  return { 'content-security-policy': csp, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };
}

/** A script's name carries its hash: it may be cached for good. */
export const MINI_APP_ASSET_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'public, max-age=31536000, immutable',
  'x-content-type-options': 'nosniff',
};

export interface PageFile {
  /** URL path, e.g. `/app/assets/app-1a2b3c4d.js`. */
  readonly path: string;
  readonly body: Buffer;
  readonly contentType: string;
  readonly headers: Readonly<Record<string, string>>;
}

export interface BuiltPage {
  /** The Content-Security-Policy the HTML is served with. */
  readonly csp: string;
  readonly html: PageFile;
  readonly script: PageFile;
  /** Gzipped bytes (level 9) of each, and of the first screen (both). */
  readonly gzipBytes: { readonly html: number; readonly script: number; readonly firstScreen: number };
}

export async function buildMiniAppPage(options: { readonly root: string; readonly minify?: boolean }): Promise<BuiltPage> {
  const dir = join(options.root, 'web/mini-app');
  const minify = options.minify ?? true;
  const bundled = await build({
    entryPoints: [join(dir, 'main.tsx')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    // Telegram's web views on phones a few years old.
    target: ['es2020', 'chrome87', 'safari15'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify,
    // Russian strings as UTF-8, not \uXXXX escapes: a third of the size before gzip.
    charset: 'utf8',
    legalComments: 'none',
    logLevel: 'warning',
    outfile: 'app.js',
  });
  const code = Buffer.from(bundled.outputFiles[0]?.contents ?? new Uint8Array());
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 10);
  const scriptPath = `${MINI_APP_PATH}/assets/app-${hash}.js`;
  const css = (await transform(await readFile(join(dir, 'styles.css'), 'utf8'), { loader: 'css', minify })).code.trim();
  const boot = (await transform(await readFile(join(dir, 'boot.ts'), 'utf8'), { loader: 'ts', minify: true, target: 'es2020' })).code.trim();
  const bootHash = createHash('sha256').update(boot).digest('base64');
  const csp = miniAppCsp(bootHash);
  const template = await readFile(join(dir, 'index.html'), 'utf8');
  const html = Buffer.from(template.replace('/*STYLES*/', () => css).replace('/*BOOT*/', () => boot).replace('/*SCRIPT*/', scriptPath));
  const gzipped = (body: Buffer) => gzipSync(body, { level: 9 }).length;
  const gzipBytes = { html: gzipped(html), script: gzipped(code), firstScreen: 0 };
  gzipBytes.firstScreen = gzipBytes.html + gzipBytes.script;
  if (gzipBytes.firstScreen > FIRST_SCREEN_BUDGET_BYTES) {
    throw new Error(`the Mini App's first screen is ${gzipBytes.firstScreen} bytes gzipped, over its budget of ${FIRST_SCREEN_BUDGET_BYTES}`);
  }
  return {
    csp,
    html: { path: MINI_APP_PATH, body: html, contentType: 'text/html; charset=utf-8', headers: htmlHeaders(csp) },
    script: { path: scriptPath, body: code, contentType: 'text/javascript; charset=utf-8', headers: MINI_APP_ASSET_HEADERS },
    gzipBytes,
  };
}

/**
 * The Build Output API routes that serve the page at /app with its headers: the HTML's policy on
 * every path under /app, long caching for the hashed script, and /app itself rewritten to the file.
 */
export function miniAppRoutes(page: BuiltPage): object[] {
  return [
    { src: `^${MINI_APP_PATH}/assets/(.*)$`, headers: MINI_APP_ASSET_HEADERS, continue: true },
    { src: `^${MINI_APP_PATH}/?$`, headers: page.html.headers, dest: `${MINI_APP_PATH}/index.html` },
    { src: `^${MINI_APP_PATH}/index\\.html$`, headers: page.html.headers, continue: true },
  ];
}
