// `npm run build`: writes `.vercel/output` (Build Output API v3), one bundle per function.
// `vercel build` runs it (vercel.json `builds`); run alone it shows what would ship.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildOutput, FORMATS, lastPage, SHIPPED_FORMAT, shown, type BundleFormat } from './build-output.js';
import { FIRST_SCREEN_BUDGET_BYTES } from './mini-app-page.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));

function parse(argv: readonly string[]): { format: BundleFormat; outDir: string } {
  let format: BundleFormat = SHIPPED_FORMAT;
  let outDir = resolve(root, '.vercel/output');
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--format') {
      const value = argv[++i];
      if (!(FORMATS as readonly (string | undefined)[]).includes(value)) throw new Error(`--format must be one of ${FORMATS.join(', ')}`);
      format = value as BundleFormat;
    } else if (arg === '--out') {
      const value = argv[++i];
      if (!value) throw new Error('--out needs a directory');
      outDir = resolve(process.cwd(), value);
    } else {
      throw new Error(`unknown argument ${String(arg)} (use --format ${FORMATS.join('|')}, --out DIR)`);
    }
  }
  return { format, outDir };
}

try {
  const { format, outDir } = parse(process.argv.slice(2));
  const started = performance.now();
  const built = await buildOutput({ root, outDir, format });
  for (const fn of built) {
    console.log(`${shown(root, fn.dir)}: ${fn.handler}, ${(fn.bytes / 1024).toFixed(0)} KiB (${fn.packages.length} packages)`);
  }
  if (lastPage) {
    const { html, script, firstScreen } = lastPage.gzipBytes;
    console.log(
      `static${lastPage.script.path}: Mini App page, first screen ${(firstScreen / 1024).toFixed(1)} KiB gzipped ` +
        `(HTML ${(html / 1024).toFixed(1)} + script ${(script / 1024).toFixed(1)}; budget ${FIRST_SCREEN_BUDGET_BYTES / 1024} KiB)`,
    );
  }
  console.log(`Build Output API v3 (${format}) written to ${shown(root, outDir)} in ${(performance.now() - started).toFixed(0)} ms`);
} catch (error) {
  console.error(`build failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
