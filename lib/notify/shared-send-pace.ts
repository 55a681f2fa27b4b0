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
 * waiting here, and asks for as many tokens as it has sends waiting and the bucket is likely to
 * hold (known from its last answer), so a burst on a quiet bot costs less than a round trip per
 * send. A refusal says when the bucket refills: the instance asks again then, and later after each
 * further refusal (other instances are taking the tokens), instead of polling. A send that cannot
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
  // No token before this time, as the last refusal (and the ones before it) said.
  let emptyUntil = 0;
  let refusalsInARow = 0;
  // What the bucket held at the last answer, and when: the next ask takes no more than it can have.
  let lastSeen = { tokens: options.burst, at: 0 };
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
          // Refusals are remembered here (emptyUntil), where the waiting sends can wait on them.
          ephemeralCache: false,
        }),
    );

  /** `count` tokens from the shared bucket: granted (with what is left), or when it refills. */
  async function take(count: number): Promise<{ readonly granted: true; readonly left: number } | { readonly granted: false; readonly refillAt: number }> {
    try {
      limiter ??= load();
      const result = await (await limiter).limit('send', { rate: count });
      if (result.reason === 'timeout') {
        logger.warn('[ratelimit] Upstash did not answer in time; sending at this instance\'s own pace');
        return { granted: true, left: 0 };
      }
      return result.success ? { granted: true, left: result.remaining } : { granted: false, refillAt: result.reset };
    } catch (error) {
      limiter = undefined;
      logger.warn({ err: error }, '[ratelimit] Upstash unreachable; sending at this instance\'s own pace. Check UPSTASH_REDIS_REST_URL/TOKEN and Upstash status');
      return { granted: true, left: 0 };
    }
  }

  /** Tokens the bucket may hold now, by what it held at the last answer and the refills since. */
  function likelyTokens(at: number): number {
    return Math.min(options.burst, lastSeen.tokens + Math.floor((at - lastSeen.at) / intervalMs));
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
      while (dropLate(Math.max(now(), emptyUntil))) {
        if (emptyUntil > now()) await sleep(emptyUntil - now());
        const count = Math.max(1, Math.min(waiting.length, likelyTokens(now())));
        const answer = await take(count);
        if (answer.granted) {
          refusalsInARow = 0;
          lastSeen = { tokens: answer.left, at: now() };
          for (const waiter of waiting.splice(0, count)) waiter.resolve(true);
        } else {
          refusalsInARow++;
          lastSeen = { tokens: 0, at: answer.refillAt - intervalMs };
          // Others are taking the refills: ask after one more refill per refusal in a row (up to the burst).
          emptyUntil = answer.refillAt + Math.min(refusalsInARow - 1, options.burst) * intervalMs;
        }
      }
    } finally {
      asking = false;
    }
  }

  return {
    delayMs() {
      const at = now();
      return Math.max(local.delayMs(), emptyUntil - at, waiting.length * intervalMs);
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
