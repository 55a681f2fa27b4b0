// What the organisation's backend does with a notification event: POST it to the bot's
// /api/notify and, when the bot says "later" (429 or 503 with Retry-After) or the answer never
// arrives, try again, never sooner than told and a bounded number of times. The event's
// `event_id` stays the same on every attempt, so the bot sends a retried event at most once.
import { setTimeout as sleepFor } from 'node:timers/promises';

export interface NotifySenderOptions {
  /** The bot's notify endpoint, e.g. `https://bot.example.com/api/notify`. */
  readonly url: string;
  /** Sent as `Authorization: Bearer <secret>` (the bot's NOTIFY_SECRET). */
  readonly secret?: string;
  /** Attempts per event, the first included (10 by default). */
  readonly maxAttempts?: number;
  /** The longest Retry-After honoured (60 s by default); a longer one ends the attempts for now. */
  readonly maxRetryAfterMs?: number;
  /** Wait after an answer that never came (lost, refused, timed out) before trying again (1 s by default). */
  readonly networkRetryMs?: number;
  /**
   * Each wait is stretched by up to this fraction at random (0.2 by default): workers refused
   * together would otherwise all come back in the same instant and be refused together again.
   */
  readonly jitter?: number;
  /** Give up on one attempt after this long (10 s by default). */
  readonly timeoutMs?: number;
  readonly random?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Why an attempt was followed by another. */
export interface NotifyRetries {
  /** The bot answered 429 (Telegram's flood control, or the bot pacing itself). */
  readonly rateLimited: number;
  /** The bot answered 503 (Telegram failed, or the same event is being sent right now). */
  readonly unavailable: number;
  /** No answer arrived. */
  readonly network: number;
}

export interface NotifySendResult {
  /** The bot answered 2xx: told, told before (`duplicate`), or the person blocked the bot. */
  readonly ok: boolean;
  /** Status of the last answer; undefined when the last attempt got none. */
  readonly status: number | undefined;
  /** The last answer's JSON body (undefined when there was none or it was not JSON). */
  readonly body: unknown;
  readonly attempts: number;
  readonly retries: NotifyRetries;
  /** Why the last attempt failed, when it did not get an answer. */
  readonly error?: string;
}

export interface NotifySender {
  /** Delivers one event; resolves with the last answer, whatever it was (never rejects). */
  send(event: object): Promise<NotifySendResult>;
}

const RETRY_STATUSES = new Set([429, 503]);
/** A 429 or 503 without Retry-After: try again in a second. */
const DEFAULT_RETRY_AFTER_MS = 1000;

export function createNotifySender(options: NotifySenderOptions): NotifySender {
  const maxAttempts = options.maxAttempts ?? 10;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
  const networkRetryMs = options.networkRetryMs ?? 1000;
  const jitter = options.jitter ?? 0.2;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? ((ms: number) => sleepFor(ms));
  const headers = {
    'content-type': 'application/json',
    ...(options.secret === undefined ? {} : { authorization: `Bearer ${options.secret}` }),
  };

  return {
    async send(event) {
      const body = JSON.stringify(event);
      const retries = { rateLimited: 0, unavailable: 0, network: 0 };
      for (let attempt = 1; ; attempt++) {
        let waitMs: number;
        let reason: keyof NotifyRetries;
        let last: NotifySendResult;
        try {
          const response = await fetch(options.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
          const text = await response.text();
          last = { ok: response.ok, status: response.status, body: parseJson(text), attempts: attempt, retries: { ...retries } };
          if (!RETRY_STATUSES.has(response.status)) return last;
          waitMs = retryAfterMs(response.headers.get('retry-after')) ?? DEFAULT_RETRY_AFTER_MS;
          if (waitMs > maxRetryAfterMs) return last;
          reason = response.status === 429 ? 'rateLimited' : 'unavailable';
        } catch (error) {
          last = { ok: false, status: undefined, body: undefined, attempts: attempt, retries: { ...retries }, error: describe(error) };
          waitMs = networkRetryMs;
          reason = 'network';
        }
        if (attempt >= maxAttempts) return last;
        retries[reason]++;
        // Never sooner than told; a little later at random.
        await sleep(waitMs + Math.round(waitMs * jitter * random()));
      }
    },
  };
}

/** `Retry-After` as seconds or an HTTP date, in ms; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
