import { describe, expect, test } from 'vitest';
import { parseSession, serializeSession } from '../../lib/session/session.js';

describe('session', () => {
  test('round-trips a draft', () => {
    const session = { lang: 'ru' as const, draft: { id: 'abcdef123456', step: 'photo' as const, typeId: 1, sideId: 10, categoryId: 100, description: 'Течёт кран' } };
    expect(parseSession(serializeSession(session))).toEqual(session);
  });

  test('missing, corrupt or outdated sessions start fresh', () => {
    expect(parseSession(null)).toEqual({});
    expect(parseSession('{not json')).toEqual({});
    expect(parseSession('{"draft": {"id": 5}}')).toEqual({});
    expect(parseSession('{"lang": "xx"}')).toEqual({});
  });
});
