// The files endpoint streams: a 15 MB file goes through it while its process's peak RSS grows by a
// small fraction of that. The endpoint runs in a child process (test/support/files-endpoint-process.ts)
// so the test runner's heap does not blur the figure; the kernel's high-water mark of that process's
// RSS, reset before each download, is the measure; the naive way (download buffered, then sent) in
// the same process is the control that shows the measure does see a file held in memory.
//
// Two things are measured away, and printed: the first sizeable transfer of a fresh process grows
// the runtime's own pools once (about 20-25 MB here, the same for a 2 MB file as for a 19 MB one),
// and without collections forced every 5 ms, when V8 gets round to freeing spent chunks decides the
// figure (0.2-14 MB per later download here) more than anything the endpoint holds.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { processEnv } from '../../lib/config.js';
import type { ChildMessage, MemorySample, ParentMessage } from '../support/files-endpoint-process.js';
import { startFakeTelegram, type FakeFile, type FakeTelegram } from '../support/fake-telegram.js';
import { TEST_BOT_TOKEN } from '../support/updates.js';

const SECRET = 'memory-test-secret_0123456789abcdef';
const MB = 1024 * 1024;
const CHILD = join(dirname(fileURLToPath(import.meta.url)), '../support/files-endpoint-process.ts');
// The peak can only be reset and read this way on Linux (where CI and Vercel run).
const LINUX_PEAK_RSS = existsSync('/proc/self/clear_refs');

let telegram: FakeTelegram;
let big: FakeFile;
let small: FakeFile;

beforeAll(async () => {
  telegram = await startFakeTelegram({ token: TEST_BOT_TOKEN });
  big = telegram.registerFile({ size: 15 * MB, fileName: 'big-scan.pdf' });
  small = telegram.registerFile({ size: 512 * 1024, fileName: 'warm-up.pdf' });
  void big.sha256; // hashed here, not while a child is being measured
});

afterAll(async () => {
  await telegram.close();
});

interface EndpointProcess {
  readonly url: string;
  ask(message: ParentMessage): Promise<MemorySample>;
  stop(): Promise<void>;
}

async function startEndpointProcess(options: { readonly gcEveryMs?: number }): Promise<EndpointProcess> {
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', CHILD], {
    env: {
      PATH: processEnv().PATH ?? '',
      TELEGRAM_BOT_TOKEN: TEST_BOT_TOKEN,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      BACKEND_URL: 'http://127.0.0.1:9',
      FILES_SECRET: SECRET,
      FILES_PROCESS_GC_MS: options.gcEveryMs === undefined ? '' : String(options.gcEveryMs),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = <T extends ChildMessage['t']>(t: T) =>
    new Promise<Extract<ChildMessage, { t: T }>>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`the endpoint process exited (${code}) before answering`));
      const onMessage = (message: ChildMessage) => {
        if (message.t !== t) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(message as Extract<ChildMessage, { t: T }>);
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const { port } = await next('ready');
  return {
    url: `http://127.0.0.1:${port}`,
    async ask(message) {
      const answer = next('sample');
      child.send(message);
      const { rss, peakRss } = await answer;
      return { rss, peakRss };
    },
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.disconnect();
      await exited;
    },
  };
}

/** The child's peak RSS over the last download, in MB, for the report line. */
let lastPeakMb = 0;

/** Downloads through the child, hashing as the bytes arrive, and returns the child's peak RSS growth in MB. */
async function peakGrowth(endpoint: EndpointProcess, path: '/api/files' | '/buffered', file: FakeFile): Promise<number> {
  const before = await endpoint.ask('reset-peak');
  const response = await fetch(`${endpoint.url}${path}/${file.file_id}`, { headers: { authorization: `Bearer ${SECRET}` } });
  expect(response.status).toBe(200);
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  const after = await endpoint.ask('sample');
  expect({ bytes, sha256: hash.digest('hex') }).toEqual({ bytes: file.file_size, sha256: file.sha256 });
  lastPeakMb = after.peakRss / MB;
  return (after.peakRss - before.rss) / MB;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const mb = (value: number) => `${value.toFixed(1)} MB`;

describe.skipIf(!LINUX_PEAK_RSS)('GET /api/files memory', () => {
  test('a 15 MB file streams through while the peak RSS grows by far less than 15 MB', async () => {
    const endpoint = await startEndpointProcess({ gcEveryMs: 5 });
    try {
      await peakGrowth(endpoint, '/api/files', small);
      // The first big transfer of a fresh process grows the runtime's own pools once; measured after it.
      const first = await peakGrowth(endpoint, '/api/files', big);
      // A median of five: on a busy machine one download now and then catches a collection late.
      const growths: number[] = [];
      for (let i = 0; i < 5; i++) growths.push(await peakGrowth(endpoint, '/api/files', big));
      const streamed = median(growths);
      const streamedPeak = lastPeakMb;
      const buffered = await peakGrowth(endpoint, '/buffered', big);
      console.log(
        `[files memory] peak RSS growth per 15 MB download: streamed ${mb(streamed)} (median of 5, peak RSS ${mb(streamedPeak)}; ` +
          `the fresh process's first: ${mb(first)}); buffered control ${mb(buffered)} (peak RSS ${mb(lastPeakMb)})`,
      );
      expect(buffered).toBeGreaterThan(15); // the measure sees a file held in memory
      expect(streamed).toBeLessThan(5);
    } finally {
      await endpoint.stop();
    }
  }, 60_000);
});
