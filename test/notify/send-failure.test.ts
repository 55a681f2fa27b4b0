import { TelegramError } from 'telegraf';
import { describe, expect, test } from 'vitest';
import { classifySendFailure } from '../../lib/notify/send-failure.js';

const refusal = (error_code: number, parameters?: { retry_after?: number }, description = 'refused') =>
  new TelegramError({ error_code, description, ...(parameters && { parameters }) });

describe('classifySendFailure', () => {
  test('403, and 400 for a chat not found or a deactivated user: blocked, final', () => {
    expect(classifySendFailure(refusal(403))).toEqual({ kind: 'blocked', code: 403 });
    expect(classifySendFailure(refusal(400, undefined, 'Bad Request: chat not found'))).toEqual({ kind: 'blocked', code: 400 });
    expect(classifySendFailure(refusal(400, undefined, 'Bad Request: user is deactivated'))).toEqual({ kind: 'blocked', code: 400 });
  });

  test('any other 400: rejected, the bot\'s own error', () => {
    expect(classifySendFailure(refusal(400, undefined, 'Bad Request: message is too long'))).toEqual({ kind: 'rejected', code: 400, description: 'Bad Request: message is too long' });
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
