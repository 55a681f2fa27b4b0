import type { MetricsRecorder } from './metrics-recorder.js';

/** Runs `fn`, records its duration under `name`, and returns (or rethrows) what it did. */
export type Timed = <T>(name: string, fn: () => Promise<T>) => Promise<T>;

/**
 * The seed's `@monitor_async_performance`, as a function: `timed('backend.listSides', () => …)`.
 * The recorder is bound once per instance, so call sites stay one line and nothing lives in
 * module scope. A call that throws is recorded as an error, then the error goes on unchanged.
 */
export function createTimed(deps: {
  readonly recorder: Pick<MetricsRecorder, 'recordTiming'>;
  /** Monotonic clock in ms; `performance.now` by default (wall-clock jumps do not distort it). */
  readonly now?: () => number;
}): Timed {
  const now = deps.now ?? (() => performance.now());
  return async function timed<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const startedAt = now();
    let failed = false;
    try {
      return await fn();
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      deps.recorder.recordTiming(name, now() - startedAt, failed);
    }
  };
}
