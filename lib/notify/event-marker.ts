import type { KvCommand } from '../store/kv-store.js';

/**
 * The store's record of one notification event (`notify:{event_id}`; the store adds its
 * namespace): a short lease while it is being sent, so a concurrent copy does not send too, then
 * what came of it for 24 h, so a retried copy is answered without sending again. A failed send
 * deletes it, so the backend's retry can send.
 */
export type EventMarker =
  | { readonly state: 'sending' }
  | { readonly state: 'sent'; readonly messageId: number }
  | { readonly state: 'blocked' };

/** The backend retries for a while; 24 h covers any sane retry schedule (as Telegram's own update ids). */
export const EVENT_MARKER_TTL_SECONDS = 86_400;

export function eventMarkerKey(eventId: string): string {
  return `notify:${eventId}`;
}

/** SET NX the lease, then GET: one round trip says whether this call owns the event or what became of it. */
export function claimCommands(eventId: string, leaseSeconds: number) {
  const key = eventMarkerKey(eventId);
  return [
    { op: 'set', key, value: 'sending', ttlSeconds: leaseSeconds, onlyIfAbsent: true },
    { op: 'get', key },
  ] as const satisfies readonly KvCommand[];
}

export function settleCommand(eventId: string, marker: Exclude<EventMarker, { state: 'sending' }>): KvCommand {
  const value = marker.state === 'sent' ? `sent:${marker.messageId}` : 'blocked';
  return { op: 'set', key: eventMarkerKey(eventId), value, ttlSeconds: EVENT_MARKER_TTL_SECONDS };
}

export function releaseCommand(eventId: string): KvCommand {
  return { op: 'del', key: eventMarkerKey(eventId) };
}

/**
 * What a stored marker says. A marker gone between the SET and the GET (its lease ran out) reads
 * as `sending`: another copy may be starting, so the caller is asked to come back shortly.
 */
export function parseEventMarker(raw: string | null): EventMarker {
  if (raw === 'blocked') return { state: 'blocked' };
  const sent = raw === null ? null : /^sent:(\d+)$/.exec(raw);
  return sent ? { state: 'sent', messageId: Number(sent[1]) } : { state: 'sending' };
}
