import { AsyncLocalStorage } from 'node:async_hooks';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/** When one request's work happened, in this process's `performance.now()` milliseconds. */
export interface RequestTiming {
  /** `x-bench-id` header sent by the load generator (0 when absent). */
  readonly id: number;
  readonly status: number;
  /** The request reached the handler. */
  readonly arrivedAt: number;
  /** The response was handed to the OS (the webhook answer). */
  readonly answeredAt: number;
  /** The response was sent and every `waitUntil` promise of the request had settled. */
  readonly doneAt: number;
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

interface Tracked {
  registered: number;
  settled: number;
  answeredAt: number | undefined;
  reported: boolean;
  check(): void;
}

const requestScope = new AsyncLocalStorage<Tracked>();
let installed = false;

/**
 * Gives `waitUntil` from @vercel/functions a request context, the way the Vercel runtime does
 * (a global getter read by `getContext()`), so the product's own `api/telegram.ts` runs unchanged
 * and the work it leaves running after the response is tracked per request.
 */
export function installVercelRequestContext(): void {
  if (installed) return;
  installed = true;
  const context = {
    waitUntil(promise: Promise<unknown>): void {
      const tracked = requestScope.getStore();
      if (tracked === undefined) return;
      tracked.registered += 1;
      void promise
        .then(
          () => undefined,
          () => undefined,
        )
        .finally(() => {
          tracked.settled += 1;
          tracked.check();
        });
    },
  };
  (globalThis as Record<symbol, unknown>)[Symbol.for('@vercel/request-context')] = {
    get: () => (requestScope.getStore() === undefined ? {} : context),
  };
}

/** An HTTP server running `handler` per request and reporting each request's timing once its work is over. */
export function createTrackedServer(handler: Handler, onDone: (timing: RequestTiming) => void): Server {
  installVercelRequestContext();
  const server = createServer((req, res) => {
    const arrivedAt = performance.now();
    const idHeader = req.headers['x-bench-id'];
    const id = typeof idHeader === 'string' ? Number(idHeader) : 0;
    const tracked: Tracked = {
      registered: 0,
      settled: 0,
      answeredAt: undefined,
      reported: false,
      check() {
        if (tracked.reported || tracked.answeredAt === undefined || tracked.settled < tracked.registered) return;
        tracked.reported = true;
        onDone({ id, status: res.statusCode, arrivedAt, answeredAt: tracked.answeredAt, doneAt: performance.now() });
      },
    };
    res.on('finish', () => {
      tracked.answeredAt = performance.now();
      // waitUntil is registered synchronously after the handler starts; by now it has been.
      setImmediate(() => tracked.check());
    });
    requestScope.run(tracked, () => {
      Promise.resolve()
        .then(() => handler(req, res))
        .catch((error: unknown) => {
          console.error('bench: handler threw', error);
          if (!res.headersSent) res.writeHead(500);
          if (!res.writableEnded) res.end();
        });
    });
  });
  // Telegram keeps its webhook connections open; so does this server.
  server.keepAliveTimeout = 65_000;
  return server;
}

/** The floor: reads the body and answers 200, nothing else. */
export function floorHandler(req: IncomingMessage, res: ServerResponse): void {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-length': '0' });
    res.end();
  });
}
