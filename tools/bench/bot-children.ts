// Starts warm bot instances (tools/bench/child/bot-process.ts, compiled) and talks to them: updates
// over HTTP with keep-alive as Telegram sends them, timings and samples over the IPC channel.
import { spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { Pool } from 'undici';
import type { ChildMessage, ParentMessage } from './child/bot-process.js';
import { WEBHOOK_SECRET } from './fakes.js';
import type { Mode } from './modes.js';
import { processEnv } from '../../lib/config.js';

export interface SendResult {
  readonly status: number;
  readonly body: string;
  /** Send to the last byte of the webhook answer, measured here (what Telegram waits for). */
  readonly answerMs: number;
  /** answerMs plus the work the bot did after answering (handlers after a webhook reply, waitUntil). */
  readonly fullMs: number;
}

export interface ChildSample {
  readonly cpuMs: number;
  readonly heapUsedMb: number;
  /** Heap reserved by V8 (young and old generations, code): RSS beyond heapUsed is mostly this. */
  readonly heapTotalMb: number;
  /** Memory of C++ objects bound to JS objects, buffers included. */
  readonly externalMb: number;
  readonly rssMb: number;
  readonly maxRssMb: number;
  /** Whether the heap figure was taken after a forced GC (needs --expose-gc). */
  readonly gc: boolean;
}

export interface BotChild {
  readonly mode: Mode;
  readonly url: string;
  send(update: unknown): Promise<SendResult>;
  sample(options?: { readonly gc?: boolean }): Promise<ChildSample>;
  /** Lines the bot logged at error or fatal level so far, and the first few of them. */
  errorLogs(): { readonly count: number; readonly first: readonly string[] };
  stop(): Promise<void>;
}

const DONE_TIMEOUT_MS = 30_000;
const MB = 1024 * 1024;

let nextRequestId = 0;

export async function startBotChild(options: {
  readonly mode: Mode;
  readonly script: string;
  readonly env: Record<string, string>;
  /** Connections the load generator may open to this instance (Telegram's max_connections). */
  readonly connections?: number;
  /** Extra Node flags, e.g. `--cpu-prof` when looking for hot spots. */
  readonly nodeArgs?: readonly string[];
  /** The Node binary; the one running the bench when absent. */
  readonly node?: string;
  /** The optimized mode runs this Build Output function directory (`api/telegram.func`)… */
  readonly funcDir?: string;
  /** …started with its `.vc-config.json` environment, as Vercel starts it (optimized mode only). */
  readonly funcEnv?: Record<string, string>;
}): Promise<BotChild> {
  const { mode } = options;
  const child = spawn(options.node ?? process.execPath, ['--expose-gc', ...(options.nodeArgs ?? []), options.script], {
    env: {
      ...options.env,
      ...(mode === 'optimized' && options.funcEnv),
      BENCH_MODE: mode,
      PATH: processEnv().PATH ?? '',
      ...(options.funcDir && { BENCH_FUNC_DIR: options.funcDir }),
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const pendingDone = new Map<number, (message: Extract<ChildMessage, { t: 'done' }>) => void>();
  const pendingSamples = new Map<number, (message: Extract<ChildMessage, { t: 'sample' }>) => void>();
  let sampleSeq = 0;
  let errorCount = 0;
  const firstErrors: string[] = [];
  let stderr = '';

  // Log lines: only errors are kept (the product logs one info line per update). To read them all,
  // set BENCH_DEBUG_LOG=/path/file: every bot process appends its lines there.
  const debugLog = processEnv().BENCH_DEBUG_LOG;
  let partial = '';
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    if (debugLog) appendFileSync(debugLog, lines.join('\n') + '\n');
    for (const line of lines) {
      if (line.includes('"level":"error"') || line.includes('"level":"fatal"')) {
        errorCount += 1;
        if (firstErrors.length < 5) firstErrors.push(line.slice(0, 600));
      }
    }
  });
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    if (stderr.length < 20_000) stderr += chunk;
  });

  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`bench: ${mode} bot process exited (${code}) before listening:\n${stderr}`));
    child.once('exit', onExit);
    child.on('message', (message: ChildMessage) => {
      if (message.t === 'listening') {
        child.off('exit', onExit);
        resolve(message.port);
      } else if (message.t === 'done') {
        pendingDone.get(message.id)?.(message);
      } else if (message.t === 'sample') {
        pendingSamples.get(message.seq)?.(message);
      }
    });
  });

  const url = `http://127.0.0.1:${port}`;
  const pool = new Pool(url, { connections: options.connections ?? 128, keepAliveTimeout: 60_000, keepAliveMaxTimeout: 600_000 });

  function ipc(message: ParentMessage): void {
    if (child.connected) child.send(message);
  }

  return {
    mode,
    url,
    async send(update) {
      const id = ++nextRequestId;
      const body = JSON.stringify(update);
      // The floor does no work after answering; the others report when theirs is over.
      const done =
        mode === 'floor'
          ? undefined
          : new Promise<Extract<ChildMessage, { t: 'done' }>>((resolve, reject) => {
              const timer = setTimeout(() => {
                pendingDone.delete(id);
                reject(new Error(`bench: ${mode} bot did not finish update request ${id} within ${DONE_TIMEOUT_MS} ms`));
              }, DONE_TIMEOUT_MS);
              pendingDone.set(id, (message) => {
                clearTimeout(timer);
                pendingDone.delete(id);
                resolve(message);
              });
            });
      done?.catch(() => undefined);
      const started = performance.now();
      const response = await pool.request({
        path: '/',
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-telegram-bot-api-secret-token': WEBHOOK_SECRET,
          'x-bench-id': String(id),
        },
        body,
        headersTimeout: DONE_TIMEOUT_MS,
        bodyTimeout: DONE_TIMEOUT_MS,
      });
      const text = await response.body.text();
      const answerMs = performance.now() - started;
      const after = done === undefined ? 0 : (await done).afterMs;
      return { status: response.statusCode, body: text, answerMs, fullMs: answerMs + after };
    },
    async sample(sampleOptions = {}) {
      const seq = ++sampleSeq;
      const message = await new Promise<Extract<ChildMessage, { t: 'sample' }>>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`bench: ${mode} bot did not answer a sample request`)), 10_000);
        pendingSamples.set(seq, (answer) => {
          clearTimeout(timer);
          pendingSamples.delete(seq);
          resolve(answer);
        });
        ipc({ t: 'sample', seq, gc: sampleOptions.gc ?? false });
      });
      return {
        cpuMs: message.cpuUs / 1000,
        heapUsedMb: message.heapUsed / MB,
        heapTotalMb: message.heapTotal / MB,
        externalMb: message.external / MB,
        rssMb: message.rss / MB,
        maxRssMb: (message.maxRssKb * 1024) / MB,
        gc: message.gc,
      };
    },
    errorLogs: () => ({ count: errorCount, first: firstErrors }),
    async stop() {
      await pool.close().catch(() => undefined);
      ipc({ t: 'exit' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
