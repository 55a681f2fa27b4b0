import { setTimeout as sleep } from 'node:timers/promises';
import type { Telegram } from 'telegraf';
import type { NotificationEvent } from '../backend/schemas.js';
import { DEFAULT_LANG, type Lang } from '../i18n/index.js';
import type { Logger } from '../logger.js';
import { parseSession, sessionKey } from '../session/session.js';
import type { KvCommand, KvStore } from '../store/kv-store.js';
import { claimCommands, parseEventMarker, releaseCommand, settleCommand, type EventMarker } from './event-marker.js';
import { retryLater, type NotifyOutcome } from './notify-outcome.js';
import { markScreenMoved } from '../bot/on-screen.js';
import { rememberNotice } from '../bot/reply-target.js';
import { commentMessageKey, parseCommentMessage, rememberCommentMessage } from './comment-message.js';
import { sendCommentNotification, type CommentNotificationDeps } from './notify-comment.js';
import { COMMENT_EDIT_WINDOW_SECONDS, sendCommentEdit } from './notify-comment-edited.js';
import { sendStatusChange } from './notify-status-change.js';
import { reminderCommandsFor } from './reminders.js';
import { classifySendFailure } from './send-failure.js';
import { createSendPacer, type SendPacer } from './send-pacer.js';

export interface NotifyOptions {
  /**
   * How long an event is held while it is being sent (s): a copy arriving meanwhile is asked to
   * come back, and an instance that dies mid-send frees the event after this. Must outlast the
   * pacing wait plus the send timeout, or a slow send could outlive its lease.
   */
  readonly leaseSeconds: number;
  /** Give up on one Bot API send after this long (Telegraf's own timeout is 500 s). */
  readonly sendTimeoutMs: number;
  /** Messages per second one instance sends (0: no spacing); Telegram takes about 30 per bot. */
  readonly messagesPerSecond: number;
  /**
   * Messages per second all instances of the bot send together, through one token bucket in
   * Upstash (0, or no Upstash: each instance keeps only its own pace).
   */
  readonly sharedMessagesPerSecond: number;
  /** Sends the shared bucket lets go at once after a quiet moment. */
  readonly sharedBurst: number;
  /** Wait at most this long for a send slot here; longer is answered 429 at once. */
  readonly maxPacingWaitMs: number;
  /** Retry-After when Telegram failed or could not be reached (s). */
  readonly unavailableRetryAfterSeconds: number;
  /** Retry-After for a copy of an event that is being sent right now (s). */
  readonly inFlightRetryAfterSeconds: number;
  /** Wait between attempts to record that an event was sent, while its lease lasts (ms). */
  readonly recordRetryMs: number;
  /** An agent's edit is made in place this long after the comment was sent (Telegram allows 48 h); later it is answered. */
  readonly commentEditWindowSeconds: number;
  /**
   * A request set `waiting_for_customer` gets a reminder this long after (REMIND_AFTER_H); any
   * other status ends the wait. Undefined: no reminders are scheduled.
   */
  readonly remindAfterSeconds: number | undefined;
}

export const DEFAULT_NOTIFY_OPTIONS: NotifyOptions = {
  leaseSeconds: 30,
  sendTimeoutMs: 10_000,
  messagesPerSecond: 25,
  sharedMessagesPerSecond: 25,
  sharedBurst: 3,
  maxPacingWaitMs: 2_000,
  unavailableRetryAfterSeconds: 3,
  inFlightRetryAfterSeconds: 1,
  recordRetryMs: 250,
  commentEditWindowSeconds: COMMENT_EDIT_WINDOW_SECONDS,
  remindAfterSeconds: 24 * 3600,
};

/** The last attempt to record a send must start this long before the lease ends (the store's own timeout is 1 s). */
const RECORD_MARGIN_MS = 1_500;

export interface NotifyDeps extends CommentNotificationDeps {
  readonly telegram: Telegram;
  readonly store: KvStore;
  readonly logger: Logger;
  /** The send pace shared with everything else this instance sends in bulk (reminders); one from `options` when omitted. */
  readonly pace?: SendPacer;
}

/** Tells the person about one event; never throws for Telegram's or the store's failures. */
export type DeliverNotification = (event: NotificationEvent) => Promise<NotifyOutcome>;

/**
 * Delivers notification events at most once per `event_id`, at a pace Telegram accepts.
 *
 * In front of the dispatch by kind sit what every kind shares: one store round trip that claims
 * the event and reads the person's language, the send pace (this instance's, and with Upstash the
 * one all instances share: at most one more round trip; a pace known to be full is a 429 at once,
 * costing nothing), and one round trip after the send that records what came of it (or frees the
 * event when the send failed, so the backend's retry can send it); recording a send is retried
 * while the lease lasts. An event without `event_id` is sent on every call, as before ids existed.
 *
 * When the store cannot be asked whether an event was sent, the answer is 503: sending anyway
 * would tell the person twice whenever the backend retries an event whose answer it lost (the
 * burst test saw exactly that when Redis timed out under load), and the backend retries anyway.
 */
export function createNotificationDelivery(deps: NotifyDeps, overrides: Partial<NotifyOptions> = {}): DeliverNotification {
  const options = { ...DEFAULT_NOTIFY_OPTIONS, ...overrides };
  if (options.leaseSeconds * 1000 <= options.maxPacingWaitMs + options.sendTimeoutMs) {
    throw new Error(
      `[notify] leaseSeconds (${options.leaseSeconds}) must outlast maxPacingWaitMs + sendTimeoutMs ` +
        `(${options.maxPacingWaitMs + options.sendTimeoutMs} ms): a send could outlive its lease and be sent twice`,
    );
  }
  const { store, logger } = deps;
  const pacer: SendPacer = deps.pace ?? createSendPacer({ messagesPerSecond: options.messagesPerSecond, maxWaitMs: options.maxPacingWaitMs });

  return async (event) => {
    const fields = { event_id: event.event_id, kind: event.kind, request_id: event.request_id };
    // A full pace is answered before anything else: no store round trip, no Bot API call.
    if (pacer.delayMs() > options.maxPacingWaitMs) return paced(fields);

    const leaseEndsAt = Date.now() + options.leaseSeconds * 1000;
    const claim = await claimEvent(event, options.leaseSeconds);
    if (claim.storeDown) return retryLater('unavailable', options.unavailableRetryAfterSeconds);
    if (claim.marker !== undefined) return answerCopy(claim.marker, fields);

    // After the claim, not beside it: a copy answered above takes no slot, so a burst of retries
    // (lost answers, a slow store) does not spend the shared pace on sends that never happen.
    if (!(await pacer.acquire())) {
      await settle(event, claim.owned ? releaseCommand : undefined);
      return paced(fields);
    }

    let sent: Sent;
    try {
      sent = await dispatch(event, claim, AbortSignal.timeout(options.sendTimeoutMs), leaseEndsAt - RECORD_MARGIN_MS - options.sendTimeoutMs);
    } catch (error) {
      const failure = classifySendFailure(error);
      if (failure.kind === 'blocked') {
        await settle(event, (id) => settleCommand(id, { state: 'blocked' }));
        logger.warn({ ...fields, code: failure.code }, `${event.kind} notification not deliverable`);
        return { delivered: false, reason: 'blocked' };
      }
      await settle(event, claim.owned ? releaseCommand : undefined);
      if (failure.kind === 'rejected') {
        // Freed, not recorded: once the bot is fixed, the backend's retry of this event can be sent.
        logger.error({ ...fields, err: error }, 'notification refused by Telegram (400): the bot built a message Telegram does not take; answered 422');
        return { delivered: false, reason: 'rejected', telegram: { code: failure.code, description: failure.description } };
      }
      if (failure.kind === 'rate-limited') {
        pacer.pauseFor(failure.retryAfterSeconds * 1000);
        logger.warn({ ...fields, retry_after: failure.retryAfterSeconds }, 'notification refused by Telegram (429); answered 429');
        return retryLater('rate-limited', failure.retryAfterSeconds);
      }
      logger.error({ ...fields, err: error }, 'notification not sent: Telegram failed or is unreachable; answered 503');
      return retryLater('unavailable', options.unavailableRetryAfterSeconds);
    }
    await recordSent(event, sent, leaseEndsAt - RECORD_MARGIN_MS);
    logger.info(fields, `${event.kind} notification sent`);
    return { delivered: true, messageId: sent.messageId };
  };

  function paced(fields: Record<string, unknown>): NotifyOutcome {
    const delayMs = pacer.delayMs();
    logger.warn({ ...fields, retry_after_ms: delayMs }, 'notification paced: the send pace (of this instance, or shared by the bot) is full; answered 429');
    return retryLater('rate-limited', delayMs / 1000);
  }

  /**
   * The one dispatch by kind: each kind renders and sends its own message(s) and says what the
   * store should remember about them (written with the event's outcome, in one round trip).
   */
  async function dispatch(event: NotificationEvent, claim: Claim, signal: AbortSignal, deadline: number): Promise<Sent> {
    const chatId = event.telegram_user_id;
    const notice = (messageId: number) => rememberNotice(chatId, messageId, { requestId: event.request_id, number: event.number });
    // A new message below the chat's screen: the chat's next update parks a draft on display.
    const moved = markScreenMoved(chatId);
    switch (event.kind) {
      case 'status': {
        const messageId = await sendStatusChange(deps.telegram, event, claim.lang, signal);
        const reminder = options.remindAfterSeconds === undefined ? [] : reminderCommandsFor(event, options.remindAfterSeconds, Date.now());
        return { messageId, records: [notice(messageId), moved, ...reminder] };
      }
      case 'comment': {
        const messageIds = await sendCommentNotification(deps, event, claim.lang, { signal, deadline });
        const commentId = event.comment.id;
        const carried = commentId === undefined ? [] : [rememberCommentMessage(chatId, event.request_id, commentId, { messageId: messageIds[0], sentAt: nowSeconds() })];
        return { messageId: messageIds[0], records: [...messageIds.map(notice), moved, ...carried] };
      }
      case 'comment_edited': {
        const original = parseCommentMessage(claim.reads[0]);
        const edit = await sendCommentEdit(deps.telegram, event, claim.lang, original, {
          signal,
          editWindowSeconds: options.commentEditWindowSeconds,
          nowSeconds: nowSeconds(),
        });
        return { messageId: edit.messageId, records: edit.newMessage ? [notice(edit.messageId), moved] : [] };
      }
    }
  }

  /**
   * One round trip: the lease on the event (when it has an id), the person's session (for the
   * language) and what the event's kind needs to read (`reads`). `marker` is set when another
   * call owns or settled the event; `storeDown` when the store could not be asked.
   */
  async function claimEvent(event: NotificationEvent, leaseSeconds: number): Promise<Claim> {
    const session = { op: 'get', key: sessionKey(event.telegram_user_id) } as const;
    const reads: KvCommand[] = readsOf(event).map((key) => ({ op: 'get', key }));
    try {
      if (event.event_id === undefined) {
        const [raw, ...read] = (await store.exec([session, ...reads])) as (string | null)[];
        return { lang: languageOf(raw ?? null), owned: false, reads: read };
      }
      const [claimed, marker, raw, ...read] = (await store.exec([...claimCommands(event.event_id, leaseSeconds), session, ...reads])) as [boolean, string | null, string | null, ...(string | null)[]];
      if (claimed) return { lang: languageOf(raw), owned: true, reads: read };
      return { lang: DEFAULT_LANG, owned: false, reads: [], marker: parseEventMarker(marker) };
    } catch (error) {
      if (event.event_id === undefined) {
        logger.warn({ err: error }, '[store] session unreadable for a notification, using the default language');
        return { lang: DEFAULT_LANG, owned: false, reads: [] };
      }
      logger.error(
        { event_id: event.event_id, err: error },
        '[store] unreachable: cannot tell whether this event was sent; answered 503 so the backend retries. Check UPSTASH_REDIS_REST_URL/TOKEN and Upstash status',
      );
      return { lang: DEFAULT_LANG, owned: false, reads: [], storeDown: true };
    }
  }

  /** Frees a failed event, or records an undeliverable one: if the store fails here the lease runs out by itself. */
  async function settle(event: NotificationEvent, command: ((eventId: string) => KvCommand) | undefined): Promise<void> {
    if (event.event_id === undefined || command === undefined) return;
    try {
      await store.exec([command(event.event_id)]);
    } catch (error) {
      logger.warn({ event_id: event.event_id, err: error }, '[store] could not record a notification\'s outcome; its lease runs out by itself');
    }
  }

  /**
   * Records a send, trying again while the lease lasts: until it is recorded, a copy is told to
   * come back later, and once the lease ends unrecorded, a copy would send a second message. The
   * same round trip writes what the kind remembers about its messages (e.g. which request a
   * message was about, so a swipe-reply to it answers on that request).
   */
  async function recordSent(event: NotificationEvent, sent: Sent, lastAttemptBy: number): Promise<void> {
    const eventId = event.event_id;
    const commands = eventId === undefined ? sent.records : [settleCommand(eventId, { state: 'sent', messageId: sent.messageId }), ...sent.records];
    if (commands.length === 0) return;
    for (let attempt = 1; ; attempt++) {
      try {
        await store.exec(commands);
        if (attempt > 1) logger.warn({ event_id: eventId, attempts: attempt }, '[store] recorded a sent notification after retrying');
        return;
      } catch (error) {
        // Without an event id only the swipe-reply record is at stake: one try is enough.
        if (eventId === undefined) {
          logger.warn({ err: error }, '[store] could not remember a notification for swipe-replies');
          return;
        }
        if (Date.now() + options.recordRetryMs > lastAttemptBy) {
          logger.error(
            { event_id: eventId, attempts: attempt, err: error },
            '[store] could not record a sent notification before its lease ends: a copy arriving later may be sent again',
          );
          return;
        }
        await sleep(options.recordRetryMs);
      }
    }
  }

  function answerCopy(marker: EventMarker, fields: Record<string, unknown>): NotifyOutcome {
    switch (marker.state) {
      case 'sent':
        logger.info(fields, 'notification already sent: duplicate not sent again');
        return { delivered: true, messageId: marker.messageId, duplicate: true };
      case 'blocked':
        logger.info(fields, 'notification already found undeliverable: duplicate not sent');
        return { delivered: false, reason: 'blocked', duplicate: true };
      case 'sending':
        logger.info(fields, 'notification is being sent by another call; answered 503');
        return retryLater('in-flight', options.inFlightRetryAfterSeconds);
    }
  }
}

/** What claiming an event found out, in its one round trip. */
interface Claim {
  readonly lang: Lang;
  readonly owned: boolean;
  /** The values of `readsOf(event)`, in order (empty when the event is not this call's). */
  readonly reads: readonly (string | null)[];
  readonly marker?: EventMarker;
  readonly storeDown?: true;
}

/** What one kind's send did: the message the answer names, and what to remember about the messages. */
interface Sent {
  readonly messageId: number;
  readonly records: readonly KvCommand[];
}

/** Keys a kind reads before sending, in the claim's round trip: an edit needs the comment's message. */
function readsOf(event: NotificationEvent): string[] {
  return event.kind === 'comment_edited' ? [commentMessageKey(event.telegram_user_id, event.request_id, event.comment.id)] : [];
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

function languageOf(raw: string | null): Lang {
  return parseSession(raw).lang ?? DEFAULT_LANG;
}
