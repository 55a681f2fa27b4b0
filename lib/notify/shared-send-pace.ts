import { setTimeout as sleepFor } from 'node:timers/promises';
import type { Ratelimit } from '@upstash/ratelimit';
import type { Redis } from '@upstash/redis';
import type { Logger } from '../logger.js';
import type { SendPacer } from './send-pacer.js';

export interface SharedSendPaceOptions {
  readonly redis: Redis;
  /** Key prefix under the bot's namespace (`tg<id>:ratelimit:telegram`); the bucket is `<prefix>:send`. */
  readonly prefix: string;
  /** Messages per second every instance of the bot together may send (Telegram takes about 30). */
  readonly messagesPerSecond: number;
  /** Tokens the bucket holds: how many sends may go out at once after a quiet moment. */
  readonly burst: number;
  /** A send whose shared slot is further away than this is not waited for (the caller answers 429). */
  readonly maxWaitMs: number;
  /** This instance's own pacer: the spacing between its sends, and Telegram's pause after a 429. */
  readonly local: SendPacer;
  readonly logger: Logger;
  /** Give up on Upstash after this long and send at the local pace (fail open). */
  readonly timeoutMs?: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

interface Waiter {
  readonly giveUpAt: number;
  readonly resolve: (granted: boolean) => void;
}

/**
 * The bot's send pace shared by all its instances: a token bucket in Upstash (@upstash/ratelimit,
 * one key per bot) that refills at `messagesPerSecond`, one token at a time, holding at most
 * `burst`. Every send needs a token; this instance's own pacer still spaces its sends and holds
 * them after Telegram's 429.
 *
 * What it costs: one instance asks Upstash one request at a time, whatever the number of sends
 * waiting here. Every answer says what the bucket holds and when it refills next, so the instance
 * asks only when a token is likely there, for as many as it has sends waiting and the bucket
 * likely holds: a burst on a quiet bot costs less than a round trip per send, a steady stream one.
 * A refusal means other instances took the tokens: after each refusal in a row the instance lets
 * one more refill go to them before asking again, instead of polling. A send that cannot
 * get a token within `maxWaitMs` is refused (the caller answers 429). Upstash slow or unreachable:
 * the send goes at the local pace (fail open): a notification is worth more than a perfect pace,
 * and Telegram's 429 still has the last word.
 */
export function createSharedSendPace(options: SharedSendPaceOptions): SendPacer {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => sleepFor(ms));
  const { local, logger } = options;
  const intervalMs = 1000 / options.messagesPerSecond;
  const waiting: Waiter[] = [];
  let asking = false;
  // After refusals in a row (other instances take the refills), not before this time.
  let backOffUntil = 0;
  let refusalsInARow = 0;
  // What the bucket held at the last answer and when it refills next (every answer says both):
  // the next ask waits for a token that can be there and takes no more than can be there.
  let bucket = { left: options.burst, nextRefillAt: 0 };
  let limiter: Promise<Ratelimit> | undefined;
  // Loaded on the first send: a cold start that sends nothing does not pay for it.
  const load = () =>
    import('@upstash/ratelimit').then(
      ({ Ratelimit: RatelimitClass }) =>
        new RatelimitClass({
          redis: options.redis,
          limiter: RatelimitClass.tokenBucket(1, `${intervalMs} ms`, options.burst),
          prefix: options.prefix,
          timeout: options.timeoutMs ?? 1000,
          analytics: false,
          // What the bucket holds is remembered here (bucket), where the waiting sends can wait on it.
          ephemeralCache: false,
        }),
    );

  /** `count` tokens from the shared bucket: granted or not, and what it holds now and when it refills next. */
  async function take(count: number): Promise<{ readonly granted: boolean; readonly left: number; readonly nextRefillAt: number }> {
    const failOpen = { granted: true, left: 0, nextRefillAt: now() + intervalMs };
    try {
      limiter ??= load();
      const result = await (await limiter).limit('send', { rate: count });
      if (result.reason === 'timeout') {
        logger.warn('[ratelimit] Upstash did not answer in time; sending at this instance\'s own pace');
        return failOpen;
      }
      return { granted: result.success, left: result.success ? result.remaining : 0, nextRefillAt: result.reset };
    } catch (error) {
      limiter = undefined;
      logger.warn({ err: error }, '[ratelimit] Upstash unreachable; sending at this instance\'s own pace. Check UPSTASH_REDIS_REST_URL/TOKEN and Upstash status');
      return failOpen;
    }
  }

  /** Tokens the bucket may hold at `at`: what it held at the last answer and the refills since. */
  function likelyTokens(at: number): number {
    if (at < bucket.nextRefillAt) return bucket.left;
    return Math.min(options.burst, bucket.left + 1 + Math.floor((at - bucket.nextRefillAt) / intervalMs));
  }

  /** When an ask can find a token: now if one is likely there, else at the next refill; never before a back-off ends. */
  function readyAt(at: number): number {
    return Math.max(backOffUntil, likelyTokens(at) > 0 ? at : bucket.nextRefillAt);
  }

  /** Refuses the sends that would wait past their time; true while some are left. */
  function dropLate(until: number): boolean {
    for (let i = waiting.length - 1; i >= 0; i--) {
      const waiter = waiting[i] as Waiter;
      if (waiter.giveUpAt < until) {
        waiting.splice(i, 1);
        waiter.resolve(false);
      }
    }
    return waiting.length > 0;
  }

  /** The one asker of this instance: runs while sends wait for tokens. */
  async function ask(): Promise<void> {
    asking = true;
    try {
      while (dropLate(readyAt(now()))) {
        const ready = readyAt(now());
        if (ready > now()) await sleep(ready - now());
        const count = Math.max(1, Math.min(waiting.length, likelyTokens(now())));
        const answer = await take(count);
        bucket = { left: answer.left, nextRefillAt: answer.nextRefillAt };
        if (answer.granted) {
          refusalsInARow = 0;
          for (const waiter of waiting.splice(0, count)) waiter.resolve(true);
        } else {
          // Others took the tokens: after each refusal in a row, let one more refill go to them (up to the burst).
          refusalsInARow++;
          backOffUntil = answer.nextRefillAt + Math.min(refusalsInARow - 1, options.burst) * intervalMs;
        }
      }
    } finally {
      asking = false;
    }
  }

  return {
    delayMs() {
      const at = now();
      return Math.max(local.delayMs(), readyAt(at) - at, waiting.length * intervalMs);
    },
    async acquire() {
      // The spacing between this instance's sends first, whatever the bucket says.
      if (!(await local.acquire())) return false;
      const granted = new Promise<boolean>((resolve) => waiting.push({ giveUpAt: now() + options.maxWaitMs, resolve }));
      if (!asking) void ask();
      return granted;
    },
    pauseFor(ms) {
      local.pauseFor(ms);
    },
  };
}
