// The harness side of a cold-start sample: a fresh Node process serves ONE update on loopback,
// reports when each phase ended (ms since the process started) on file descriptor 3, and exits.
// Imported FIRST by each entry, so `entry` marks when the process started running our code.
import { writeSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createTrackedServer, type Handler } from '../child/tracked-server.js';

const entry = performance.now();

export interface ColdMarks {
  /** Node started and began evaluating the entry's first module. */
  readonly entry: number;
  /** Every static import of the entry evaluated (the function module is loaded). */
  readonly imported: number;
  readonly listening: number;
  readonly arrived: number;
  readonly answered: number;
  readonly done: number;
}

export type ColdReport =
  | { readonly t: 'listening'; readonly port: number }
  | { readonly t: 'done'; readonly status: number; readonly marks: ColdMarks; readonly cpuMs: number; readonly maxRssKb: number };

function report(message: ColdReport): void {
  try {
    writeSync(3, JSON.stringify(message) + '\n');
  } catch {
    // Run by hand without fd 3: nothing to report to.
  }
}

/** Serves the first request with `handler`, reports, and exits once its work is over. */
export function serveOneUpdate(handler: Handler): void {
  const imported = performance.now();
  let listening = 0;
  const server = createTrackedServer(handler, (timing) => {
    const cpu = process.cpuUsage();
    report({
      t: 'done',
      status: timing.status,
      marks: { entry, imported, listening, arrived: timing.arrivedAt, answered: timing.answeredAt, done: timing.doneAt },
      cpuMs: (cpu.user + cpu.system) / 1000,
      maxRssKb: process.resourceUsage().maxRSS,
    });
    // The parent now sends SIGTERM, as Vercel does when it retires an instance, and counts what
    // the instance writes on its way out; without a listener the signal ends the process at once.
    // Until then the process stays up, as an idle instance does (the timer is the safety net).
    server.close();
    setTimeout(() => process.exit(0), 10_000);
  });
  server.listen(0, '127.0.0.1', () => {
    listening = performance.now();
    report({ t: 'listening', port: (server.address() as AddressInfo).port });
  });
}
