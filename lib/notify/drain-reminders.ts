import type { Telegram } from 'telegraf';
import { BackendError } from '../backend/backend-error.js';
import type { BackendClient } from '../backend/backend-client.js';
import type { RequestDetails } from '../backend/schemas.js';
import { markScreenMoved } from '../bot/on-screen.js';
import { rememberNotice } from '../bot/reply-target.js';
import { DEFAULT_LANG, type Lang } from '../i18n/index.js';
import type { Logger } from '../logger.js';
import { parseSession, sessionKey } from '../session/session.js';
import type { KvCommand, KvStore } from '../store/kv-store.js';
import { sendReminder } from './notify-reminder.js';
import {
  claimReminder,
  parseReminderMember,
  releaseReminder,
  REMINDERS_KEY,
  retryReminder,
  type ReminderTarget,
} from './reminders.js';
import { classifySendFailure } from './send-failure.js';
import type { SendPacer } from './send-pacer.js';

export interface ReminderDrainOptions {
  /** Due reminders taken per batch (one store round trip reads them, one claims them, one records). */
  readonly batchSize: number;
  /** At most this many reminders a run; the rest waits for the next run. */
  readonly maxPerRun: number;
  /** Stop taking batches after this long (ms): the cron function's maxDuration is 60 s. */
  readonly maxRunMs: number;
  /** A reminder the backend or Telegram could not take now is due again this much later (s). */
  readonly retryAfterSeconds: number;
  /** Backend requests in flight at once while checking a batch. */
  readonly backendConcurrency: number;
  /** Give up on one Bot API send after this long (ms). */
  readonly sendTimeoutMs: number;
}

export const DEFAULT_REMINDER_DRAIN_OPTIONS: ReminderDrainOptions = {
  batchSize: 50,
  maxPerRun: 500,
  maxRunMs: 40_000,
  retryAfterSeconds: 300,
  backendConcurrency: 8,
  sendTimeoutMs: 10_000,
};

export interface ReminderDrainDeps {
  readonly store: KvStore;
  readonly backend: BackendClient;
  readonly telegram: Telegram;
  /** The same send pace as the notifications: reminders count against Telegram's limit too. */
  readonly pace: SendPacer;
  readonly logger: Logger;
  readonly now?: () => number;
}

/** What one run did; the cron endpoint answers it as JSON. */
export interface ReminderDrainReport {
  /** Reminders sent. */
  reminded: number;
  /** Due reminders not sent and not kept: the wait was over, the request gone, the person blocked the bot, or already reminded this period. */
  dropped: number;
  /** Due reminders put back for a later run (the backend or Telegram could not take them now). */
  retried: number;
  /** The run stopped early (its bounds, or the send pace): more may be due. */
  more: boolean;
}

export type DrainReminders = () => Promise<ReminderDrainReport>;

interface Claimed extends ReminderTarget {
  readonly lang: Lang;
}

/** What the backend says about one claimed reminder. */
type Check = { readonly send: true; readonly number: string } | { readonly send: false; readonly verdict: 'over' | 'retry' };

/**
 * Sends the reminders that are due, in bounded batches; safe to run twice at once and again after
 * a crash. Each batch: one round trip reads the due members; one claims them (a SET NX marker per
 * waiting period decides which drain owns each, ZREM takes them off the set) with each person's
 * session for the language; the backend is asked whether each request still waits for the person
 * (its status, and no comment of theirs since); the reminders go out at the notifications' pace;
 * one round trip records the notices (a swipe-reply answers the request) and puts back what could
 * not be sent now. A reminder is sent at most once per waiting period: a drain that dies after
 * claiming loses that reminder rather than risking a second one.
 */
export function createReminderDrain(deps: ReminderDrainDeps, overrides: Partial<ReminderDrainOptions> = {}): DrainReminders {
  const options = { ...DEFAULT_REMINDER_DRAIN_OPTIONS, ...overrides };
  const { store, logger } = deps;
  const now = deps.now ?? Date.now;

  return async () => {
    const report: ReminderDrainReport = { reminded: 0, dropped: 0, retried: 0, more: false };
    const stopAt = now() + options.maxRunMs;
    let taken = 0;
    for (;;) {
      const count = Math.min(options.batchSize, options.maxPerRun - taken);
      if (count <= 0 || now() >= stopAt) {
        report.more = true;
        break;
      }
      const [members] = await store.exec([{ op: 'zrangebyscore', key: REMINDERS_KEY, max: now(), count }]);
      if (members.length === 0) break;
      taken += members.length;
      const paced = await drainBatch(members, report);
      if (paced) {
        report.more = true;
        break;
      }
      if (members.length < count) break;
    }
    if (report.reminded + report.dropped + report.retried > 0) logger.info({ ...report }, 'reminders drained');
    return report;
  };

  /** One batch; true when the send pace stopped it (the rest of the batch was put back, due now). */
  async function drainBatch(members: readonly string[], report: ReminderDrainReport): Promise<boolean> {
    const claimed = await claim(members, report);
    const checks = await mapLimit(claimed, options.backendConcurrency, check);
    const writes: KvCommand[] = [];
    let paced = false;
    for (const [i, target] of claimed.entries()) {
      const result = checks[i] as Check;
      if (!result.send) {
        if (result.verdict === 'retry') {
          writes.push(...retryReminder(target, now() + options.retryAfterSeconds * 1000));
          report.retried++;
        } else {
          writes.push(releaseReminder(target));
          report.dropped++;
        }
        continue;
      }
      // The pace is full (a burst of notifications, Telegram's pause): the rest is due again at once, for the next run.
      if (paced || !(await deps.pace.acquire())) {
        paced = true;
        writes.push(...retryReminder(target, now()));
        report.retried++;
        continue;
      }
      const sent = await send(target, result.number);
      if (sent.kind === 'sent') {
        writes.push(rememberNotice(target.userId, sent.messageId, { requestId: target.requestId, number: result.number }), markScreenMoved(target.userId));
        report.reminded++;
      } else if (sent.kind === 'blocked') {
        report.dropped++; // the marker stays: no more tries this period
      } else {
        writes.push(...retryReminder(target, now() + (sent.kind === 'rate-limited' ? sent.retryAfterMs : options.retryAfterSeconds * 1000)));
        report.retried++;
        if (sent.kind === 'rate-limited') paced = true;
      }
    }
    await store.exec(writes);
    return paced;
  }

  /** One round trip: each due member's claim and its person's session (for the language). */
  async function claim(members: readonly string[], report: ReminderDrainReport): Promise<Claimed[]> {
    const targets = members.map((member) => ({ member, target: parseReminderMember(member) }));
    const commands: KvCommand[] = targets.flatMap(({ member, target }) =>
      target === undefined
        ? [{ op: 'zrem', key: REMINDERS_KEY, member } as const]
        : [...claimReminder(target), { op: 'get', key: sessionKey(target.userId) } as const],
    );
    const results = await store.exec(commands);
    const claimed: Claimed[] = [];
    let at = 0;
    for (const { target } of targets) {
      if (target === undefined) {
        at += 1;
        report.dropped++;
        continue;
      }
      const [won, , session] = results.slice(at, at + 3) as [boolean, number, string | null];
      at += 3;
      if (won) claimed.push({ ...target, lang: parseSession(session).lang ?? DEFAULT_LANG });
      // Lost: another drain has it, or this waiting period was reminded already.
      else report.dropped++;
    }
    return claimed;
  }

  /** Whether the request still waits for the person, by the backend (the bot may not have been told of every change). */
  async function check(target: Claimed): Promise<Check> {
    let details: RequestDetails;
    try {
      details = await deps.backend.getRequest(target.requestId);
    } catch (error) {
      if (error instanceof BackendError && error.status === 404) return { send: false, verdict: 'over' };
      logger.warn({ err: error, request_id: target.requestId }, 'reminder: the backend could not say whether the request still waits; kept for a later run');
      return { send: false, verdict: 'retry' };
    }
    if (details.telegram_user_id !== undefined && details.telegram_user_id !== target.userId) return { send: false, verdict: 'over' };
    if (details.status !== 'waiting_for_customer' || answeredSinceWaiting(details)) return { send: false, verdict: 'over' };
    return { send: true, number: details.number };
  }

  async function send(
    target: Claimed,
    number: string,
  ): Promise<{ kind: 'sent'; messageId: number } | { kind: 'blocked' } | { kind: 'rate-limited'; retryAfterMs: number } | { kind: 'unavailable' }> {
    try {
      return { kind: 'sent', messageId: await sendReminder(deps.telegram, { ...target, number }, target.lang, AbortSignal.timeout(options.sendTimeoutMs)) };
    } catch (error) {
      const failure = classifySendFailure(error);
      if (failure.kind === 'blocked') {
        logger.warn({ request_id: target.requestId, code: failure.code }, 'reminder not deliverable');
        return { kind: 'blocked' };
      }
      if (failure.kind === 'rate-limited') {
        deps.pace.pauseFor(failure.retryAfterSeconds * 1000);
        logger.warn({ request_id: target.requestId, retry_after: failure.retryAfterSeconds }, 'reminder refused by Telegram (429); kept for a later run');
        return { kind: 'rate-limited', retryAfterMs: failure.retryAfterSeconds * 1000 };
      }
      logger.error({ err: error, request_id: target.requestId }, 'reminder not sent: Telegram failed or is unreachable; kept for a later run');
      return { kind: 'unavailable' };
    }
  }
}

/** The person wrote on the request after it was set waiting for them (on the website, by mail, …). */
function answeredSinceWaiting(details: RequestDetails): boolean {
  const since = details.status_history.filter((entry) => entry.status === 'waiting_for_customer').at(-1)?.at;
  if (since === undefined) return false;
  const sinceMs = Date.parse(since);
  return details.comments.some((comment) => comment.author === 'customer' && Date.parse(comment.at) > sinceMs);
}

/** `work` over `items`, at most `limit` at a time, results in order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
