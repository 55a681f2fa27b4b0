import { TelegramError } from 'telegraf';
import { isUnreachablePerson } from './unreachable-person.js';

/** What a failed Bot API send means for the backend waiting on the answer. */
export type SendFailure =
  /** 403 (blocked, deactivated) or 400 "chat not found" / "user is deactivated": the person cannot be told; retrying will not help. */
  | { readonly kind: 'blocked'; readonly code: number }
  /**
   * Any other 400: Telegram refused the message the bot built (too long, bad markup, a button it
   * does not take). The bot's own error: retrying the same event fails the same way until it is fixed.
   */
  | { readonly kind: 'rejected'; readonly code: number; readonly description: string }
  /** 429: Telegram's flood control; try again no sooner than `retryAfterSeconds`. */
  | { readonly kind: 'rate-limited'; readonly retryAfterSeconds: number }
  /** 5xx, another refusal (e.g. 401 after the token was revoked), a timeout or no connection: try again later. */
  | { readonly kind: 'unavailable'; readonly code?: number };

export function classifySendFailure(error: unknown): SendFailure {
  if (!(error instanceof TelegramError)) return { kind: 'unavailable' };
  if (isUnreachablePerson(error.code, error.description)) return { kind: 'blocked', code: error.code };
  if (error.code === 400) return { kind: 'rejected', code: error.code, description: error.description };
  // Telegram always names retry_after on a 429; a second is the least it ever asks for.
  if (error.code === 429) return { kind: 'rate-limited', retryAfterSeconds: Math.max(1, Math.ceil(error.parameters?.retry_after ?? 1)) };
  return { kind: 'unavailable', code: error.code };
}
