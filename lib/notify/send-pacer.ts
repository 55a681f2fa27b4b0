import { setTimeout as sleepFor } from 'node:timers/promises';

export interface SendPacerOptions {
  /**
   * Messages per second this instance allows itself. Telegram takes about 30 per bot; past that
   * it refuses with 429 for a while. 0 turns the spacing off (a 429's pause still holds).
   */
  readonly messagesPerSecond: number;
  /** A send that would wait longer than this is not queued: the caller answers 429 with Retry-After. */
  readonly maxWaitMs: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface SendPacer {
  /** How long a send asked for now would wait for its slot. */
  delayMs(): number;
  /**
   * Waits for this instance's next send slot. False, at once and taking nothing, when the slot is
   * more than `maxWaitMs` away (a burst bigger than the pace, or Telegram's pause after a 429).
   */
  acquire(): Promise<boolean>;
  /** Telegram answered 429 with `retry_after`: no send of this instance before then. */
  pauseFor(ms: number): void;
}

/**
 * Spaces the Bot API sends of one instance to the bot's message rate, so a burst of notifications
 * on one warm instance waits a little here instead of being refused by Telegram. Instances share
 * nothing: with several, Telegram's 429 (answered as 429 + Retry-After) still has the last word.
 */
export function createSendPacer(options: SendPacerOptions): SendPacer {
  const intervalMs = options.messagesPerSecond > 0 ? 1000 / options.messagesPerSecond : 0;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => sleepFor(ms));
  let nextSlotAt = 0;
  let pausedUntil = 0;

  const slotAt = (at: number) => Math.max(at, nextSlotAt, pausedUntil);

  return {
    delayMs() {
      const at = now();
      return slotAt(at) - at;
    },
    async acquire() {
      // A pause that began while waiting moves the slot: take a new one after it.
      for (;;) {
        const at = now();
        const slot = slotAt(at);
        if (slot - at > options.maxWaitMs) return false;
        nextSlotAt = slot + intervalMs;
        if (slot > at) await sleep(slot - at);
        if (now() >= pausedUntil) return true;
      }
    },
    pauseFor(ms) {
      pausedUntil = Math.max(pausedUntil, now() + ms);
    },
  };
}
