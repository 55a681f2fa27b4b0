// The files endpoint alone in a child process, so a test can read this process's memory while it
// streams a big file, without the test runner's own heap blurring the figure. Configured by the
// environment like a Vercel function; reports its port, then answers memory requests over IPC.
//
// `/buffered/{id}` serves the naive way instead (the whole download read into memory, then sent):
// the control that shows the measurement does see a file held in memory.
//
// Peak RSS comes from the kernel (VmHWM), reset before each measured download (clear_refs, Linux).
// Started with --expose-gc, the process collects garbage every 5 ms: V8 otherwise lets spent 64 KB
// chunks pile up until its external-memory threshold, and when it collects decides the figure more
// than what the code holds. The test reports the figure without it as well.
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig, processEnv } from '../../lib/config.js';
import { createLogger } from '../../lib/logger.js';
import { createFilesEndpoint } from '../../lib/webhook/files-endpoint.js';

export interface MemorySample {
  /** Resident set size now, bytes. */
  readonly rss: number;
  /** The kernel's high-water mark of the resident set since the last reset, bytes. */
  readonly peakRss: number;
}

export type ParentMessage = 'reset-peak' | 'sample';
export type ChildMessage = { readonly t: 'ready'; readonly port: number } | ({ readonly t: 'sample' } & MemorySample);

const env = processEnv();
const config = loadConfig(env);
const logger = createLogger({ level: 'silent' });
const streaming = createFilesEndpoint({ getConfig: () => config, getLogger: () => logger });

async function buffering(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const fileId = (req.url ?? '').split('/').pop() ?? '';
  const answer = (await (await fetch(`${config.telegram.apiRoot}/bot${config.telegram.token}/getFile?file_id=${fileId}`)).json()) as { result: { file_path: string } };
  const download = await fetch(`${config.telegram.apiRoot}/file/bot${config.telegram.token}/${answer.result.file_path}`);
  const bytes = Buffer.from(await download.arrayBuffer());
  res.writeHead(200, { 'content-length': bytes.length });
  res.end(bytes);
}

const gc = (globalThis as { gc?: () => void }).gc;
if (env.FILES_PROCESS_GC_MS && gc) setInterval(gc, Number(env.FILES_PROCESS_GC_MS)).unref();

const peakRss = () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? NaN) * 1024;

const server = createServer((req, res) => void (req.url?.startsWith('/buffered/') ? buffering(req, res) : streaming(req, res)));
server.listen(0, '127.0.0.1', () => {
  process.send?.({ t: 'ready', port: (server.address() as AddressInfo).port } satisfies ChildMessage);
});
process.on('message', (message: ParentMessage) => {
  // Writing 5 to clear_refs resets the high-water mark to the current RSS (Linux 4.0+).
  if (message === 'reset-peak') writeFileSync('/proc/self/clear_refs', '5');
  process.send?.({ t: 'sample', rss: process.memoryUsage.rss(), peakRss: peakRss() } satisfies ChildMessage);
});
process.on('disconnect', () => server.close(() => process.exit(0)));
