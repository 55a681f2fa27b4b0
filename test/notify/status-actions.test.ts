import { expect, test } from 'vitest';
import { decodeCallback } from '../../lib/bot/callback-data.js';
import { messages } from '../../lib/i18n/index.js';
import { statusActionRows } from '../../lib/notify/status-actions.js';

const base = { kind: 'status' as const, request_id: '6f1c0a52-8d0e-4a55-9a37-1f2d3c4b5a69', number: 'SR-1042', telegram_user_id: 5, comment: undefined };

test('resolved asks Solved or Still a problem; closed asks for a rating; the rest carry nothing', () => {
  const en = messages('en');
  const resolved = statusActionRows(en, { ...base, status: 'resolved' });
  expect(resolved.map((row) => row.map((b) => b.text))).toEqual([['✅ Solved', '↩️ Still a problem']]);
  expect(resolved[0]?.map((b) => decodeCallback('callback_data' in b ? b.callback_data : undefined))).toEqual([
    { kind: 'solved', requestId: base.request_id },
    { kind: 'reopen', requestId: base.request_id },
  ]);
  const closed = statusActionRows(messages('ru'), { ...base, status: 'closed' });
  expect(closed.map((row) => row.map((b) => b.text))).toEqual([['1⭐', '2⭐', '3⭐', '4⭐', '5⭐']]);
  expect(decodeCallback('callback_data' in (closed[0]?.[4] ?? {}) ? (closed[0]?.[4] as { callback_data: string }).callback_data : '')).toEqual({
    kind: 'rate',
    requestId: base.request_id,
    score: 5,
  });
  for (const status of ['new', 'in_progress', 'waiting_for_customer', 'rejected', 'cancelled'] as const) {
    expect(statusActionRows(en, { ...base, status })).toEqual([]);
  }
  expect(messages('ru').buttonSolved).toBe('✅ Решено');
});

test('a request id no button can carry leaves the rows out instead of failing the notification', () => {
  expect(statusActionRows(messages('en'), { ...base, request_id: 'x'.repeat(60), status: 'resolved' })).toEqual([]);
  expect(statusActionRows(messages('en'), { ...base, request_id: 'has spaces', status: 'closed' })).toEqual([]);
});
