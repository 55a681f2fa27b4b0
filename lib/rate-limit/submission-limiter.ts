import type { Ratelimit } from '@upstash/ratelimit';
import type { Redis } from '@upstash/redis';
import { LRUCache } from 'lru-cache';
import type { Logger } from '../logger.js';

/** How many requests one person may submit, and in what window. */
export const SUBMISSIONS_PER_HOUR = 5;

/** Allowed (the attempt counted), or refused with the time (ms since the epoch) by which the next one is allowed. */
export type SubmissionVerdict = { readonly allowed: true } | { readonly allowed: false; readonly retryAt: number };

export interface SubmissionLimiter {
  /** Whether this person may submit now; counts the attempt. */
  allow(userId: number): Promise<SubmissionVerdict>;
}

const ALLOWED: SubmissionVerdict = { allowed: true };

/**
 * Submissions are rare and reach a real person at the organisation, so their limit is shared by
 * every instance (@upstash/ratelimit, sliding window). It fails open: if Upstash does not answer
 * within the timeout the submission goes ahead, because losing a real request is worse.
 * Without Upstash the same limit is kept per instance.
 */
export function createSubmissionLimiter(options: {
  readonly redis: Redis | undefined;
  /** Key prefix of the limiter's Redis keys: the bot's namespace (see key-namespace.ts). */
  readonly prefix: string;
  readonly logger: Logger;
}): SubmissionLimiter {
  const { redis } = options;
  if (redis) {
    // Only Confirm needs it: loaded then, not on every cold start.
    let limiter: Promise<Ratelimit> | undefined;
    const load = () =>
      import('@upstash/ratelimit').then(
        ({ Ratelimit: RatelimitClass }) =>
          new RatelimitClass({
            redis,
            limiter: RatelimitClass.slidingWindow(SUBMISSIONS_PER_HOUR, '1 h'),
            prefix: options.prefix,
            timeout: 1000,
            analytics: false,
          }),
      );
    return {
      async allow(userId) {
        try {
          limiter ??= load();
          const { success, reason, reset } = await (await limiter).limit(String(userId));
          if (reason === 'timeout') options.logger.warn('[ratelimit] Upstash did not answer in time; submission allowed');
          // `reset` ends the current window: then the window just ended weighs less than the limit
          // (the sliding window rounds its weight down), so the next attempt is allowed by that time.
          return success ? ALLOWED : { allowed: false, retryAt: reset };
        } catch (error) {
          options.logger.warn({ err: error }, '[ratelimit] Upstash unreachable; submission allowed');
          return ALLOWED;
        }
      },
    };
  }
  const hour = 3_600_000;
  const recent = new LRUCache<number, number[]>({ max: 10_000, ttl: hour });
  return {
    async allow(userId) {
      const now = Date.now();
      const times = (recent.get(userId) ?? []).filter((at) => now - at < hour);
      if (times.length >= SUBMISSIONS_PER_HOUR) return { allowed: false, retryAt: (times[0] ?? now) + hour };
      recent.set(userId, [...times, now]);
      return ALLOWED;
    },
  };
}
