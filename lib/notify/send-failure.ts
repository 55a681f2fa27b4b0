import { TelegramError } from 'telegraf';

/** What a failed Bot API send means for the backend waiting on the answer. */
export type SendFailure =
  /** 403 (blocked) or 400 (chat not found): the person cannot be told; retrying will not help. */
  | { readonly kind: 'blocked'; readonly code: number }
  /** 429: Telegram's flood control; try again no sooner than `retryAfterSeconds`. */
  | { readonly kind: 'rate-limited'; readonly retryAfterSeconds: number }
  /** 5xx, another refusal (e.g. 401 after the token was revoked), a timeout or no connection: try again later. */
  | { readonly kind: 'unavailable'; readonly code?: number };

export function classifySendFailure(error: unknown): SendFailure {
  if (!(error instanceof TelegramError)) return { kind: 'unavailable' };
  if (error.code === 403 || error.code === 400) return { kind: 'blocked', code: error.code };
  // Telegram always names retry_after on a 429; a second is the least it ever asks for.
  if (error.code === 429) return { kind: 'rate-limited', retryAfterSeconds: Math.max(1, Math.ceil(error.parameters?.retry_after ?? 1)) };
  return { kind: 'unavailable', code: error.code };
}
