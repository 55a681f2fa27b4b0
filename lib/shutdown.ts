import type { Logger } from './logger.js';

/** What a shutdown needs of the process (the real `process` on Vercel). */
export interface ShutdownTarget {
  once(signal: 'SIGTERM', listener: () => void): unknown;
  listenerCount(signal: 'SIGTERM'): number;
  exit(code?: number): void;
}

/**
 * Vercel sends SIGTERM before it retires an instance (scale-down), so work kept in memory can be
 * written out: here, the metrics an instance aggregated since its last flush (a cold instance that
 * served one update has never flushed). Runs `close` once; exits afterwards only when no other
 * SIGTERM listener (a launcher waiting for waitUntil work) will.
 */
export function closeOnShutdown(options: { readonly target: ShutdownTarget; readonly close: () => Promise<void>; readonly logger: Logger }): void {
  const { target } = options;
  target.once('SIGTERM', () => {
    const exitAfter = target.listenerCount('SIGTERM') === 0;
    void options
      .close()
      .catch((error: unknown) => options.logger.warn({ err: error }, 'shutdown: could not flush before the instance stops'))
      .finally(() => {
        if (exitAfter) target.exit(0);
      });
  });
}
