import { createHmac, timingSafeEqual } from 'node:crypto';
import * as v from 'valibot';

/**
 * Telegram's signed launch data of a Mini App (`initData`), checked as Telegram documents it: the
 * data-check-string is every field but `hash`, sorted by key, `key=value` joined with `\n`; the
 * secret key is HMAC-SHA256(key "WebAppData", message bot token); the data is genuine when
 * HMAC-SHA256(secret key, data-check-string) equals `hash`. The comparison is in constant time,
 * which @telegram-apps/init-data-node's `validate` does not do (it compares the hex strings with
 * `!==`): that library signs the test data instead, an independent implementation to agree with.
 *
 * The same signature covers what `WebApp.requestContact` hands back (`contact=…&auth_date=…&hash=…`).
 */

export type SignedDataProblem =
  /** No data at all: the page was not opened from Telegram. */
  | 'missing'
  /** Not Telegram's format (no hash, a repeated key, no auth_date, no user). */
  | 'malformed'
  /** The signature does not match: made up, changed, or signed for another bot. */
  | 'forged'
  /** Genuine but older than the allowed age (or dated in the future beyond clock skew). */
  | 'stale';

export type SignedData = { readonly ok: true; readonly fields: URLSearchParams; readonly authDate: number } | { readonly ok: false; readonly problem: SignedDataProblem };

/** Telegram's user object inside `initData` (`user=<json>`); unknown fields are dropped. */
const UserSchema = v.object({
  id: v.pipe(v.number(), v.integer(), v.minValue(1)),
  first_name: v.optional(v.string(), ''),
  username: v.optional(v.string()),
  language_code: v.optional(v.string()),
});

export interface MiniAppUser {
  readonly id: number;
  readonly firstName: string;
  readonly username?: string;
  readonly languageCode?: string;
}

/** What the app's API may trust: only what the signature covered. */
export interface VerifiedInitData {
  readonly user: MiniAppUser;
  readonly authDate: number;
  /** `startapp` of a `t.me/<bot>/<app>?startapp=` link: the same payload format as the deep links. */
  readonly startParam?: string;
}

/** The contact `WebApp.requestContact` shared, as signed by Telegram. */
export interface VerifiedContact {
  readonly userId: number;
  readonly phoneNumber: string;
}

const ContactSchema = v.object({
  user_id: v.pipe(v.number(), v.integer(), v.minValue(1)),
  phone_number: v.pipe(v.string(), v.trim(), v.nonEmpty(), v.maxLength(32)),
});

/** Longer than any real launch data (a few hundred bytes); refused before any hashing. */
const MAX_SIGNED_LENGTH = 8192;
// A client clock a little ahead of ours is no reason to refuse.
const FUTURE_SKEW_SECONDS = 300;

export interface SignedDataVerifierOptions {
  readonly botToken: string;
  /** Older launch data is refused (MINI_APP_MAX_AGE_S). */
  readonly maxAgeSeconds: number;
  /** Seconds since the epoch; tests move the clock. */
  readonly now?: () => number;
}

export interface SignedDataVerifier {
  /** Checks any Telegram-signed query string (initData, a shared contact). */
  verify(raw: string | undefined): SignedData;
  /** Checks `initData` and takes the person from it. */
  initData(raw: string | undefined): { readonly ok: true; readonly data: VerifiedInitData } | { readonly ok: false; readonly problem: SignedDataProblem };
  /** Checks a `requestContact` answer and takes the phone number from it. */
  contact(raw: string | undefined): { readonly ok: true; readonly contact: VerifiedContact } | { readonly ok: false; readonly problem: SignedDataProblem };
}

/** Built once per instance: the secret key is derived from the token once. */
export function createSignedDataVerifier(options: SignedDataVerifierOptions): SignedDataVerifier {
  const secretKey = createHmac('sha256', 'WebAppData').update(options.botToken).digest();
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));

  function verify(raw: string | undefined): SignedData {
    if (raw === undefined || raw.trim() === '') return { ok: false, problem: 'missing' };
    if (raw.length > MAX_SIGNED_LENGTH) return { ok: false, problem: 'malformed' };
    const fields = new URLSearchParams(raw);
    const keys = [...fields.keys()];
    if (new Set(keys).size !== keys.length) return { ok: false, problem: 'malformed' };
    const hash = fields.get('hash');
    const authDateText = fields.get('auth_date');
    if (hash === null || !/^[0-9a-f]{64}$/i.test(hash) || authDateText === null || !/^\d{1,12}$/.test(authDateText)) {
      return { ok: false, problem: 'malformed' };
    }
    const checkString = keys
      .filter((key) => key !== 'hash')
      .sort()
      .map((key) => `${key}=${fields.get(key) ?? ''}`)
      .join('\n');
    const expected = createHmac('sha256', secretKey).update(checkString).digest();
    if (!timingSafeEqual(expected, Buffer.from(hash, 'hex'))) return { ok: false, problem: 'forged' };
    const authDate = Number(authDateText);
    const age = now() - authDate;
    if (age > options.maxAgeSeconds || age < -FUTURE_SKEW_SECONDS) return { ok: false, problem: 'stale' };
    return { ok: true, fields, authDate };
  }

  return {
    verify,
    initData(raw) {
      const checked = verify(raw);
      if (!checked.ok) return checked;
      const user = parseJson(UserSchema, checked.fields.get('user'));
      if (user === undefined) return { ok: false, problem: 'malformed' };
      const startParam = checked.fields.get('start_param') ?? undefined;
      return {
        ok: true,
        data: {
          user: {
            id: user.id,
            firstName: user.first_name,
            ...(user.username !== undefined && { username: user.username }),
            ...(user.language_code !== undefined && { languageCode: user.language_code }),
          },
          authDate: checked.authDate,
          ...(startParam !== undefined && startParam !== '' && { startParam }),
        },
      };
    },
    contact(raw) {
      const checked = verify(raw);
      if (!checked.ok) return checked;
      const contact = parseJson(ContactSchema, checked.fields.get('contact'));
      if (contact === undefined) return { ok: false, problem: 'malformed' };
      return { ok: true, contact: { userId: contact.user_id, phoneNumber: contact.phone_number } };
    },
  };
}

function parseJson<S extends v.GenericSchema>(schema: S, text: string | null): v.InferOutput<S> | undefined {
  if (text === null) return undefined;
  try {
    const parsed = v.safeParse(schema, JSON.parse(text));
    return parsed.success ? parsed.output : undefined;
  } catch {
    return undefined;
  }
}
