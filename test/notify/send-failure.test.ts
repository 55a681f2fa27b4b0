import { TelegramError } from 'telegraf';
import { describe, expect, test } from 'vitest';
import { classifySendFailure } from '../../lib/notify/send-failure.js';

const refusal = (error_code: number, parameters?: { retry_after?: number }) =>
  new TelegramError({ error_code, description: 'refused', ...(parameters && { parameters }) });

describe('classifySendFailure', () => {
  test('403 and 400: blocked, final', () => {
    expect(classifySendFailure(refusal(403))).toEqual({ kind: 'blocked', code: 403 });
    expect(classifySendFailure(refusal(400))).toEqual({ kind: 'blocked', code: 400 });
  });

  test('429: rate limited for retry_after seconds, at least one', () => {
    expect(classifySendFailure(refusal(429, { retry_after: 12 }))).toEqual({ kind: 'rate-limited', retryAfterSeconds: 12 });
    expect(classifySendFailure(refusal(429))).toEqual({ kind: 'rate-limited', retryAfterSeconds: 1 });
    expect(classifySendFailure(refusal(429, { retry_after: 0 }))).toEqual({ kind: 'rate-limited', retryAfterSeconds: 1 });
  });

  test('5xx, other refusals and network errors: unavailable, retry later', () => {
    expect(classifySendFailure(refusal(502))).toEqual({ kind: 'unavailable', code: 502 });
    expect(classifySendFailure(refusal(401))).toEqual({ kind: 'unavailable', code: 401 });
    expect(classifySendFailure(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toEqual({ kind: 'unavailable' });
    expect(classifySendFailure(new DOMException('The operation was aborted due to timeout', 'TimeoutError'))).toEqual({ kind: 'unavailable' });
  });
});
