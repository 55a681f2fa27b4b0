import type { StatusNotification } from '../backend/schemas.js';
import type { KvCommand } from '../store/kv-store.js';

/**
 * Reminders while the agent waits for the person, as the store holds them: one sorted set
 * (`reminders`, scored by the time the reminder is due, in ms) with one member per waiting
 * request, `{telegram user id}:{request id}`, and a marker per waiting period that the reminder
 * was claimed (`reminded:{member}`). Every command here rides in a round trip the caller makes
 * anyway: the status notification's record, the person's comment's session write, the drain's.
 */
export const REMINDERS_KEY = 'reminders';

/** A waiting period longer than this may be reminded again by a new `waiting_for_customer` event. */
export const REMINDED_TTL_SECONDS = 30 * 86_400;

/** Whose request waits: the chat (a private chat's id is the person's) and the request. */
export interface ReminderTarget {
  readonly userId: number;
  readonly requestId: string;
}

export function reminderMember(target: ReminderTarget): string {
  return `${target.userId}:${target.requestId}`;
}

/** The target of a member; undefined for one this code never wrote. */
export function parseReminderMember(member: string): ReminderTarget | undefined {
  const match = /^(\d{1,16}):(.+)$/s.exec(member);
  return match ? { userId: Number(match[1]), requestId: match[2] as string } : undefined;
}

function remindedKey(target: ReminderTarget): string {
  return `reminded:${reminderMember(target)}`;
}

/**
 * What a status notification does to the reminder of its request: `waiting_for_customer` starts
 * a waiting period (due `remindAfterSeconds` later; NX keeps the due time of a period already
 * running, so telling it again does not postpone it), any other status ends it.
 */
export function reminderCommandsFor(event: StatusNotification, remindAfterSeconds: number, nowMs: number): KvCommand[] {
  const target = { userId: event.telegram_user_id, requestId: event.request_id };
  if (event.status !== 'waiting_for_customer') return endWaiting(target);
  return [{ op: 'zadd', key: REMINDERS_KEY, score: nowMs + remindAfterSeconds * 1000, member: reminderMember(target), onlyIfAbsent: true }];
}

/** The waiting period is over (the status moved on, the person answered): nothing is due, and a later period may remind again. */
export function endWaiting(target: ReminderTarget): KvCommand[] {
  return [
    { op: 'zrem', key: REMINDERS_KEY, member: reminderMember(target) },
    { op: 'del', key: remindedKey(target) },
  ];
}

/**
 * Claims one due reminder for this drain: SET NX of the period's marker decides (one drain wins,
 * however many run at once, and a period is reminded once even if it was scheduled twice), ZREM
 * takes it off the set either way.
 */
export function claimReminder(target: ReminderTarget): readonly [KvCommand, KvCommand] {
  return [
    { op: 'set', key: remindedKey(target), value: '1', ttlSeconds: REMINDED_TTL_SECONDS, onlyIfAbsent: true },
    { op: 'zrem', key: REMINDERS_KEY, member: reminderMember(target) },
  ];
}

/** A claimed reminder that will not be sent in this period after all (it ended): the marker goes, so a later period may remind. */
export function releaseReminder(target: ReminderTarget): KvCommand {
  return { op: 'del', key: remindedKey(target) };
}

/** A claimed reminder that could not be sent now: due again at `dueAtMs`, for whichever drain comes then. */
export function retryReminder(target: ReminderTarget, dueAtMs: number): KvCommand[] {
  return [
    { op: 'zadd', key: REMINDERS_KEY, score: dueAtMs, member: reminderMember(target) },
    { op: 'del', key: remindedKey(target) },
  ];
}
