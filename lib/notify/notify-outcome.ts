/**
 * What came of one notification event, as the notify endpoint answers it: the first two are
 * final (200: the backend stops); `rejected` is the bot's own error (422: retrying the same event
 * will not help until the bot is fixed); the last one asks the backend to come back after
 * `retryAfterSeconds` (429 for a rate limit, 503 otherwise).
 */
export type NotifyOutcome =
  /** Told now, or told before when `duplicate` (the same `event_id` again). */
  | { readonly delivered: true; readonly messageId: number; readonly duplicate?: true }
  /** The person blocked the bot (or never started it): nobody can tell them. */
  | { readonly delivered: false; readonly reason: 'blocked'; readonly duplicate?: true }
  /** Telegram refused the message the bot built for this event (a 400 other than an unreachable person). */
  | { readonly delivered: false; readonly reason: 'rejected'; readonly telegram: { readonly code: number; readonly description: string } }
  | {
      readonly delivered: false;
      /**
       * `rate-limited`: Telegram's 429, or this instance's own pace is full;
       * `unavailable`: Telegram failed or could not be reached;
       * `in-flight`: the same event is being sent right now by another call.
       */
      readonly reason: 'rate-limited' | 'unavailable' | 'in-flight';
      readonly retryAfterSeconds: number;
    };

export type RetryLater = Extract<NotifyOutcome, { readonly retryAfterSeconds: number }>;

export function retryLater(reason: RetryLater['reason'], retryAfterSeconds: number): RetryLater {
  return { delivered: false, reason, retryAfterSeconds: Math.max(1, Math.ceil(retryAfterSeconds)) };
}
