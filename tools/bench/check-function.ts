// `npm run check:function [-- .vercel/output]`: starts the built `api/telegram.func` the way
// Vercel's Node launcher does, on Node 24, sends it a `/start` and checks that it answers and
// shows the main menu. CI runs it after `vercel build`, so a deploy that would not start fails.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { coldSample } from './cold.js';
import { startFakes } from './fakes.js';
import { currentNode, findNode24 } from './node-binaries.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

async function main(): Promise<number> {
  const outputDir = resolve(process.cwd(), process.argv[2] ?? join(root, '.vercel/output'));
  const funcDir = join(outputDir, 'functions', 'api', 'telegram.func');
  const node = findNode24({ install: true, progress: (line) => console.log(line) }) ?? currentNode();
  const dir = await mkdtemp(join(tmpdir(), 'check-function-'));
  const fakes = await startFakes({ backendMs: 0, backendConnectMs: 0, redisMs: 0, telegramMs: 0 });
  try {
    const launcher = join(dir, 'vercel-launcher.mjs');
    await build({
      entryPoints: [join(root, 'tools/bench/cold/vercel-launcher.ts')],
      outfile: launcher,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'warning',
    });
    // Vercel starts the process with the function's own environment (NODE_OPTIONS included).
    const { environment = {} } = JSON.parse(await readFile(join(funcDir, '.vc-config.json'), 'utf8')) as { environment?: Record<string, string> };
    const sample = await coldSample({ script: launcher, args: [funcDir], node: node.path, env: environment }, fakes.env(), fakes);
    const sent = fakes.telegram.callsOf('sendMessage');
    const menu = sent.find((call) => JSON.stringify(call.payload).includes('callback_data'));
    if (sample.status !== 200 || !menu) {
      console.error(`api/telegram.func on Node ${node.version}: answered ${sample.status}; sendMessage calls: ${sent.length}, none with the menu`);
      return 1;
    }
    console.log(
      `api/telegram.func answered /start through the launcher on Node ${node.version}: ${sample.status} in ${sample.answerMs.toFixed(0)} ms ` +
        `from a fresh process, and sent the main menu`,
    );
    return 0;
  } finally {
    await fakes.close();
    await rm(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('check:function failed:', error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
