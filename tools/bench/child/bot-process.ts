// One warm bot instance for the benchmark, in a process of its own so its CPU time and memory
// are the bot's alone (the fakes and the load generator run in the parent). Started by
// tools/bench/bot-children.ts from the compiled build, with the product's environment variables.
import type { AddressInfo } from 'node:net';
import { isMode } from '../modes.js';
import { createTrackedServer, floorHandler, type Handler } from './tracked-server.js';
import { processEnv } from '../../../lib/config.js';

export type ParentMessage = { readonly t: 'sample'; readonly seq: number; readonly gc: boolean } | { readonly t: 'exit' };

export type ChildMessage =
  | { readonly t: 'listening'; readonly port: number }
  | { readonly t: 'done'; readonly id: number; readonly status: number; readonly serverMs: number; readonly afterMs: number }
  | {
      readonly t: 'sample';
      readonly seq: number;
      readonly cpuUs: number;
      readonly heapUsed: number;
      readonly heapTotal: number;
      readonly external: number;
      readonly rss: number;
      readonly maxRssKb: number;
      readonly gc: boolean;
    };

const mode = processEnv().BENCH_MODE;
if (!isMode(mode)) throw new Error(`BENCH_MODE must be naive, optimized or floor, got ${String(mode)}`);
const send = (message: ChildMessage): void => {
  process.send?.(message);
};

let handler: Handler;
if (mode === 'floor') handler = floorHandler;
else if (mode === 'optimized') {
  // The shipped function directory when given (as Vercel starts it), else the sources compiled per file.
  const funcDir = processEnv().BENCH_FUNC_DIR;
  handler = funcDir ? await (await import('../cold/function-dir.js')).loadFunctionDir(funcDir) : (await import('../../../api/telegram.js')).default;
}
else handler = (await import('./naive-webhook.js')).createNaiveWebhook();

const server = createTrackedServer(handler, (timing) => {
  if (mode === 'floor') return;
  send({
    t: 'done',
    id: timing.id,
    status: timing.status,
    serverMs: timing.answeredAt - timing.arrivedAt,
    afterMs: timing.doneAt - timing.answeredAt,
  });
});

process.on('message', (message: ParentMessage) => {
  if (message.t === 'exit') process.exit(0);
  if (message.t === 'sample') {
    const collect = (globalThis as { gc?: () => void }).gc;
    if (message.gc && collect) {
      collect();
      collect();
    }
    const cpu = process.cpuUsage();
    const memory = process.memoryUsage();
    send({
      t: 'sample',
      seq: message.seq,
      cpuUs: cpu.user + cpu.system,
      heapUsed: memory.heapUsed,
      heapTotal: memory.heapTotal,
      external: memory.external,
      rss: memory.rss,
      maxRssKb: process.resourceUsage().maxRSS,
      gc: message.gc && collect !== undefined,
    });
  }
});
// The parent went away: do not linger.
process.on('disconnect', () => process.exit(0));

server.listen(0, '127.0.0.1', () => send({ t: 'listening', port: (server.address() as AddressInfo).port }));
