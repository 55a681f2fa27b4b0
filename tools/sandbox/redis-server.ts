// A real Redis for integration tests: $REDIS_URL, else a local one on 6379, else a throwaway
// redis-server child process.
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { Redis } from 'ioredis';
import { freePort, sleep } from './http.js';
import { processEnv } from '../../lib/config.js';

export interface RunningRedis {
  url: string;
  /** Stops the redis-server this module started; a no-op for one that was already running. */
  stop(): Promise<void>;
}

const DEFAULT_URL = 'redis://127.0.0.1:6379';
const INSTALL_HINT =
  'No Redis available for tests: set REDIS_URL, run redis-server on 127.0.0.1:6379, ' +
  'or install it (`apt-get install redis-server`, `brew install redis`).';

let memo: Promise<RunningRedis> | undefined;

/** Memoized per module instance (vitest forks one per test file), so a test file asks once. */
export function ensureRedis(): Promise<RunningRedis> {
  memo ??= locateRedis().catch((error: unknown) => {
    memo = undefined; // let a later call retry instead of caching the failure
    throw error;
  });
  return memo;
}

async function locateRedis(): Promise<RunningRedis> {
  const fromEnv = processEnv().REDIS_URL;
  if (fromEnv) return { url: fromEnv, stop: async () => {} };
  if (await answersPing(DEFAULT_URL, 300)) return { url: DEFAULT_URL, stop: async () => {} };
  return startRedisServer();
}

/** One PING with a short connect timeout and no reconnect attempts (so no error spam). */
async function answersPing(url: string, timeoutMs: number): Promise<boolean> {
  // ioredis leaves a 2 s timer behind for a connection that failed, holding the process open,
  // so first check that anything listens at all.
  if (!(await acceptsTcp(url, timeoutMs))) return false;
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  client.on('error', () => {}); // failures are the answer here, not something to log
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

function acceptsTcp(url: string, timeoutMs: number): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const host = hostname.replace(/^\[|\]$/g, '') || '127.0.0.1'; // URL keeps IPv6 brackets
    const socket = connect({ host, port: Number(port || 6379), timeout: timeoutMs });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

/**
 * A private, throwaway redis-server on a free port (not memoized): for tests that need to stop
 * Redis under a running system, or a keyspace nobody else touches.
 */
export async function startRedisServer(): Promise<RunningRedis> {
  // The free port can be taken between probing and binding; a second port usually works.
  for (let attempt = 1; ; attempt++) {
    try {
      return await spawnRedisServer();
    } catch (error) {
      if (attempt === 3 || (error instanceof Error && error.message === INSTALL_HINT)) throw error;
    }
  }
}

async function spawnRedisServer(): Promise<RunningRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const child = spawn(
    processEnv().REDIS_SERVER_BIN ?? 'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  let failed = false;
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const spawnFailed = new Promise<never>((_, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      failed = true;
      reject(new Error(error.code === 'ENOENT' ? INSTALL_HINT : `redis-server failed: ${error.message}`));
    });
    child.once('exit', (code) => {
      failed = true;
      reject(new Error(`redis-server exited with ${code}: ${stderr.trim()}`));
    });
  });
  spawnFailed.catch(() => {}); // observed below; avoid an unhandled rejection once we are up

  // A crashed test run must not leave a redis-server behind.
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);

  try {
    await Promise.race([waitForPing(url, () => failed), spawnFailed]);
  } catch (error) {
    process.off('exit', killOnExit);
    child.kill('SIGKILL');
    throw error;
  }
  return {
    url,
    stop: async () => {
      process.off('exit', killOnExit);
      if (memo && (await memo.catch(() => undefined))?.url === url) memo = undefined;
      await stopChild(child);
    },
  };
}

async function waitForPing(url: string, gaveUp: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline && !gaveUp()) {
    if (await answersPing(url, 200)) return;
    await sleep(50);
  }
  throw new Error(`redis-server at ${url} did not answer PING within 10 s`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 2_000);
  await exited;
  clearTimeout(timer);
}
