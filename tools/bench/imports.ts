// Import cost per dependency: each measurement is a fresh Node process that times one dynamic
// import (or a group of them), so nothing is cached by an earlier import in the same process.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BenchBuild } from './build.js';
import { summarize, type Summary } from './stats.js';

/** The product's runtime dependencies: `dependencies` of package.json. */
export function runtimeDependencies(root: string): string[] {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  return Object.keys(manifest.dependencies ?? {});
}

export interface ImportProbe {
  readonly name: string;
  /** A runtime dependency of package.json (the other probes are groups and the app itself). */
  readonly dependency?: boolean;
  /** Run first, not timed. */
  readonly setup: string;
  /** Timed. */
  readonly timed: string;
}

export interface ImportResult {
  readonly name: string;
  readonly ms: Summary;
  /** Node's own start-up in that process: ms from process start to our first line. */
  readonly bootMs: Summary;
  readonly errors: string[];
  /** For a dependency: whether importing api/telegram loads it (else it loads on first use, or never). */
  readonly atColdStart?: boolean;
}

const importAll = (specifiers: readonly string[]) => specifiers.map((s) => `await import(${JSON.stringify(s)});`).join(' ');

export function importProbes(build: BenchBuild, dependencies: readonly string[]): ImportProbe[] {
  const file = (path: string) => pathToFileURL(path).href;
  const probes: ImportProbe[] = dependencies.map((dependency) => ({ name: dependency, dependency: true, setup: '', timed: importAll([dependency]) }));
  probes.push(
    // Node builds its own fetch (an internal undici) on first use; ky and @upstash/redis pay it.
    { name: 'global fetch, first use (Node built-in)', setup: '', timed: "new Response('x');" },
    { name: 'all dependencies together', setup: '', timed: importAll(dependencies) },
    { name: "the app's own modules (dependencies already loaded)", setup: importAll(dependencies), timed: importAll([file(build.apiUnbundled)]) },
    { name: 'api/telegram: compiled per file (@vercel/node\'s shape)', setup: '', timed: importAll([file(build.apiUnbundled)]) },
    ...build.artifacts.map((artifact) => ({
      name: `api/telegram.func, ${artifact.name}: its handler`,
      setup: '',
      timed: importAll([file(join(artifact.funcDir, handlerOf(artifact.funcDir)))]),
    })),
  );
  return probes;
}

function handlerOf(funcDir: string): string {
  return (JSON.parse(readFileSync(join(funcDir, '.vc-config.json'), 'utf8')) as { handler: string }).handler;
}

export async function measureImports(
  build: BenchBuild,
  dependencies: readonly string[],
  samples: number,
  progress: (line: string) => void,
  node: string = process.execPath,
): Promise<ImportResult[]> {
  const probes = importProbes(build, dependencies);
  const times = probes.map(() => [] as number[]);
  const boots = probes.map(() => [] as number[]);
  const errors = probes.map(() => [] as string[]);
  for (let i = 0; i < samples; i++) {
    for (let k = 0; k < probes.length; k++) {
      const index = (k + i) % probes.length;
      const probe = probes[index] as ImportProbe;
      try {
        const { ms, boot } = await runProbe(build.dir, probe, node);
        times[index]?.push(ms);
        boots[index]?.push(boot);
      } catch (error) {
        errors[index]?.push(error instanceof Error ? error.message : String(error));
      }
    }
    progress(`imports sample ${i + 1}/${samples} done`);
  }
  return probes.map((probe, index) => ({
    name: probe.name,
    ms: summarize(times[index] ?? []),
    bootMs: summarize(boots[index] ?? []),
    errors: errors[index] ?? [],
    ...(probe.dependency === true && { atColdStart: build.apiStaticPackages.includes(probe.name) }),
  }));
}

function runProbe(cwd: string, probe: ImportProbe, node: string): Promise<{ ms: number; boot: number }> {
  const script =
    `const boot = performance.now(); ${probe.setup} const t0 = performance.now(); ${probe.timed} ` +
    'process.stdout.write(JSON.stringify({ ms: performance.now() - t0, boot }));';
  return new Promise((resolve, reject) => {
    // cwd is the build directory: its node_modules link resolves the bare specifiers.
    const child = spawn(node, ['--input-type=module', '-e', script], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`${probe.name}: exit ${code}: ${err.slice(0, 500)}`));
      try {
        resolve(JSON.parse(out) as { ms: number; boot: number });
      } catch {
        reject(new Error(`${probe.name}: unreadable output ${out.slice(0, 200)}`));
      }
    });
  });
}
