import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Short-lived tokens the Mini App's API hands to its page and later takes back: a file's download
 * link (an `<img>` cannot send the Authorization header, and Telegram's own downloader cannot
 * either) and a file the person uploaded (so a comment can only carry files this person sent
 * through the app). The payload is JSON, readable but not changeable: the HMAC key is derived from
 * the bot token and the purpose, so a token of one kind is never accepted as another.
 */
export interface TokenSigner<P extends object> {
  sign(payload: P, ttlSeconds: number): string;
  /** The payload when the token is intact and not expired; undefined otherwise. */
  verify(token: string): P | undefined;
}

const MAX_TOKEN_LENGTH = 2048;

export function createTokenSigner<P extends object>(options: {
  readonly botToken: string;
  readonly purpose: string;
  /** Seconds since the epoch; tests move the clock. */
  readonly now?: () => number;
}): TokenSigner<P> {
  const key = createHmac('sha256', `MiniApp:${options.purpose}`).update(options.botToken).digest();
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  const mac = (body: string) => createHmac('sha256', key).update(body).digest();
  return {
    sign(payload, ttlSeconds) {
      const body = Buffer.from(JSON.stringify({ ...payload, exp: now() + ttlSeconds })).toString('base64url');
      return `${body}.${mac(body).toString('base64url')}`;
    },
    verify(token) {
      if (token.length > MAX_TOKEN_LENGTH) return undefined;
      const [body, signature, extra] = token.split('.');
      if (body === undefined || signature === undefined || extra !== undefined) return undefined;
      const presented = Buffer.from(signature, 'base64url');
      const expected = mac(body);
      if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) return undefined;
      try {
        const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as P & { exp?: unknown };
        if (typeof payload.exp !== 'number' || payload.exp < now()) return undefined;
        return payload;
      } catch {
        return undefined;
      }
    },
  };
}
