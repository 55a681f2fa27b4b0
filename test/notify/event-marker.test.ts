import { describe, expect, test } from 'vitest';
import { claimCommands, eventMarkerKey, parseEventMarker, releaseCommand, settleCommand } from '../../lib/notify/event-marker.js';

describe('event marker', () => {
  test('claim: SET NX with the lease, then GET, on notify:{event_id}', () => {
    expect(eventMarkerKey('evt-1')).toBe('notify:evt-1');
    expect(claimCommands('evt-1', 30)).toEqual([
      { op: 'set', key: 'notify:evt-1', value: 'sending', ttlSeconds: 30, onlyIfAbsent: true },
      { op: 'get', key: 'notify:evt-1' },
    ]);
  });

  test('settled for 24 h, released by DEL', () => {
    expect(settleCommand('e', { state: 'sent', messageId: 42 })).toEqual({ op: 'set', key: 'notify:e', value: 'sent:42', ttlSeconds: 86_400 });
    expect(settleCommand('e', { state: 'blocked' })).toEqual({ op: 'set', key: 'notify:e', value: 'blocked', ttlSeconds: 86_400 });
    expect(releaseCommand('e')).toEqual({ op: 'del', key: 'notify:e' });
  });

  test('reads back what was written; anything else is a send in progress', () => {
    expect(parseEventMarker('sent:42')).toEqual({ state: 'sent', messageId: 42 });
    expect(parseEventMarker('blocked')).toEqual({ state: 'blocked' });
    expect(parseEventMarker('sending')).toEqual({ state: 'sending' });
    expect(parseEventMarker(null)).toEqual({ state: 'sending' }); // the lease ran out between SET and GET
    expect(parseEventMarker('sent:')).toEqual({ state: 'sending' });
  });
});
