import { setTimeout as sleepFor } from 'node:timers/promises';
import type { Ratelimit } from '@upstash/ratelimit';
import type { Redis } from '@upstash/redis';
import type { Logger } from '../logger.js';
import type { SendPacer } from './send-pacer.js';

/** How long a token granted for a send that did not happen may be spent by the next one. */
const KEEP_TOKEN_MS = 500;

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

/**
 * The bot's send pace shared by all its instances: a token bucket in Upstash (@upstash/ratelimit,
 * one key per bot) that refills at `messagesPerSecond`, one token at a time, holding at most
 * `burst`. Each send takes a token (one round trip, which the caller can run beside its own);
 * the local pacer still spaces this instance's sends and holds them after Telegram's 429.
 *
 * A refused token says when the bucket refills: this instance's refused sends then ask again one
 * per refill interval (not all at once: each ask is a round trip), as long as that is within
 * `maxWaitMs`, otherwise the send is refused and the caller answers 429; sends asked for meanwhile
 * queue behind them without asking Upstash. A token taken for a send that then did not happen
 * (the event had been sent) is kept for this instance's next send, for half a second. Upstash slow or unreachable: the send goes at the local
 * pace (fail open): a notification is worth more than a perfect pace, and Telegram's 429 still
 * has the last word.
 */
export function createSharedSendPace(options: SharedSendPaceOptions): SendPacer {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => sleepFor(ms));
  const { local, logger } = options;
  const intervalMs = 1000 / options.messagesPerSecond;
  // When the bucket refills, as the last refusal said: no token before then.
  let emptyUntil = 0;
  // The next time a send of this instance refused a token may ask again.
  let retryAt = 0;
  // Tokens granted for sends that did not happen (the event was sent already), until when each may
  // still be spent: the next send here takes one instead of asking Upstash.
  const kept: number[] = [];
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
          // Refusals are remembered here (emptyUntil), where acquire() can wait on them.
          ephemeralCache: false,
        }),
    );

  /** One token from the shared bucket: true, or when the bucket refills. */
  async function take(): Promise<true | { readonly refillAt: number }> {
    try {
      limiter ??= load();
      const result = await (await limiter).limit('send');
      if (result.reason === 'timeout') logger.warn('[ratelimit] Upstash did not answer in time; sending at this instance\'s own pace');
      return result.success ? true : { refillAt: result.reset };
    } catch (error) {
      limiter = undefined;
      logger.warn({ err: error }, '[ratelimit] Upstash unreachable; sending at this instance\'s own pace. Check UPSTASH_REDIS_REST_URL/TOKEN and Upstash status');
      return true;
    }
  }

  return {
    delayMs() {
      const at = now();
      return Math.max(local.delayMs(), emptyUntil > at ? Math.max(retryAt, emptyUntil) - at : 0);
    },
    async acquire() {
      const giveUpAt = now() + options.maxWaitMs;
      // One local slot per send: the spacing between this instance's sends, whatever the bucket says.
      if (!(await local.acquire())) return false;
      while (kept.length > 0) if ((kept.shift() as number) > now()) return true;
      for (;;) {
        // The bucket is known to be empty: this instance's waiting sends ask again one per refill,
        // not all at once when it refills (each ask is a round trip).
        if (emptyUntil > now()) {
          const at = Math.max(retryAt, emptyUntil);
          if (at > giveUpAt) return false;
          retryAt = at + intervalMs;
          await sleep(at - now());
        }
        const token = await take();
        if (token === true) return true;
        emptyUntil = Math.max(emptyUntil, token.refillAt);
      }
    },
    pauseFor(ms) {
      local.pauseFor(ms);
    },
    giveBack() {
      // Spent soon or not at all: a token kept long would let a burst past the shared rate.
      kept.push(now() + KEEP_TOKEN_MS);
    },
  };
}
