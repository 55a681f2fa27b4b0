import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Counters for one update. One instance serves many updates at once (Fluid compute), so the
 * counters travel with the async context of the update rather than living in module scope.
 */
export interface UpdateCounters {
  backendCalls: number;
  backendMs: number;
  cacheL1Hits: number;
  cacheL2Hits: number;
  cacheMisses: number;
  redisRoundTrips: number;
  redisCommands: number;
  telegramCalls: number;
}

export function emptyCounters(): UpdateCounters {
  return {
    backendCalls: 0,
    backendMs: 0,
    cacheL1Hits: 0,
    cacheL2Hits: 0,
    cacheMisses: 0,
    redisRoundTrips: 0,
    redisCommands: 0,
    telegramCalls: 0,
  };
}

const scope = new AsyncLocalStorage<UpdateCounters>();

/** Runs `fn` with fresh counters; everything it awaits counts into them. */
export function withUpdateCounters<T>(counters: UpdateCounters, fn: () => T): T {
  return scope.run(counters, fn);
}

/** Adds to a counter of the current update; outside an update (scripts, cron) it does nothing. */
export function count(field: keyof UpdateCounters, by = 1): void {
  const counters = scope.getStore();
  if (counters) counters[field] += by;
}

/** The counters of the update running in this async context, if any. */
export function currentCounters(): UpdateCounters | undefined {
  return scope.getStore();
}
