import * as v from 'valibot';
import { CustomerFileSchema, GeoSchema } from '../backend/schemas.js';
import { LANGS } from '../i18n/index.js';

const DraftSchema = v.object({
  id: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{4,24}$/)),
  /** A step of the bot's draft flow (or its summary); the flow treats a name it does not know as expired. */
  step: v.pipe(v.string(), v.regex(/^[a-z_]{1,16}$/)),
  typeId: v.number(),
  sideId: v.number(),
  categoryId: v.number(),
  description: v.optional(v.string()),
  /** The message that gave the description: an edit of it replaces the description. */
  descriptionMessageId: v.optional(v.number()),
  /** A draft stored before files of every kind: its one photo (read as the first of `files`). */
  photoFileId: v.optional(v.string()),
  /** What the person attached, of any kind, up to 10. */
  files: v.optional(v.pipe(v.array(CustomerFileSchema), v.maxLength(10))),
  /**
   * The album whose items are still arriving (each is an update of its own): they join the draft
   * and update the one notice that counts them, wherever the draft is by then.
   */
  album: v.optional(v.object({ groupId: v.pipe(v.string(), v.maxLength(64)), count: v.number(), messageId: v.number() })),
  phone: v.optional(v.string()),
  /** Prefilled by a deep link (a QR poster): where the problem is. */
  location: v.optional(v.string()),
  /** A point or venue the person shared on the map while the draft was open. */
  geo: v.optional(GeoSchema),
  /**
   * Back from the description led to the service list: a service picked there is a new service for
   * this draft (everything given stays). Over once anything but a list is shown.
   */
  choosingService: v.optional(v.boolean()),
  /** Text sent at the summary, waiting for "Replace the description with this?" (Yes / No). */
  proposedDescription: v.optional(v.string()),
  /** The person has seen the summary: after Edit, a new description returns straight to it. */
  reviewed: v.optional(v.boolean()),
  /**
   * A submission was sent and its outcome is unknown (the backend may have created it). The draft
   * is frozen: changing it would reuse the Idempotency-Key with another body.
   */
  attempted: v.optional(v.boolean()),
  /** Message that shows the current step's buttons, so the next step can edit it in place. */
  screenMessageId: v.optional(v.number()),
});

const RequestRef = {
  requestId: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,48}$/)),
  number: v.pipe(v.string(), v.maxLength(64)),
};

/** Reply mode: the person's next message becomes a comment on this request. */
const ReplySchema = v.object({
  ...RequestRef,
  /**
   * A comment whose sending failed with an unknown outcome (the backend may have added it): Try
   * again sends it with the same Idempotency-Key, so it is added once.
   */
  pending: v.optional(
    v.object({
      key: v.pipe(v.string(), v.maxLength(128)),
      text: v.optional(v.string()),
      attachments: v.optional(v.array(CustomerFileSchema)),
      mediaGroupId: v.optional(v.string()),
    }),
  ),
});

/** An album being added to a request: its next items go there too, and one message counts them. */
const AlbumSchema = v.object({
  ...RequestRef,
  groupId: v.pipe(v.string(), v.maxLength(64)),
  count: v.pipe(v.number(), v.integer(), v.minValue(1)),
  /** The confirmation (with the thread) that each further item updates. */
  messageId: v.number(),
});
/**
 * The bot asked for one message that is not part of the draft: the reason of a cancellation or a
 * reopening, the comment of a rating, the location of an admin's QR link. The next message
 * answers it (before any draft step) until `until` (Unix seconds); a command or a new draft ends it.
 */
const PendingSchema = v.variant('kind', [
  v.object({ kind: v.literal('cancel-reason'), ...RequestRef, until: v.number() }),
  /** `round` names the resolution being refused, so each round has an idempotency key of its own. */
  v.object({ kind: v.literal('reopen-reason'), ...RequestRef, round: v.pipe(v.string(), v.regex(/^[a-z0-9]{1,16}$/)), until: v.number() }),
  v.object({ kind: v.literal('rating-comment'), ...RequestRef, score: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(5)), until: v.number() }),
  v.object({ kind: v.literal('link-location'), typeId: v.number(), sideId: v.number(), categoryId: v.number(), until: v.number() }),
]);

/**
 * What the last stateful update showed (see bot/on-screen.ts): the draft's step, or a catalogue list
 * (its scope: every type, one type's sides, or one side's services). Absent: anything else.
 */
const OnScreenSchema = v.variant('kind', [
  v.object({ kind: v.literal('draft') }),
  v.object({ kind: v.literal('list'), typeId: v.optional(v.number()), sideId: v.optional(v.number()) }),
]);

const SessionSchema = v.object({
  lang: v.optional(v.picklist(LANGS)),
  draft: v.optional(DraftSchema),
  onScreen: v.optional(OnScreenSchema),
  pending: v.optional(PendingSchema),
  /** The last submitted draft: a second tap on its Confirm answers with its number. */
  submitted: v.optional(v.object({ draftId: v.string(), number: v.string() })),
  reply: v.optional(ReplySchema),
  album: v.optional(AlbumSchema),
});

export type ReplyMode = v.InferOutput<typeof ReplySchema>;
export type AlbumInProgress = v.InferOutput<typeof AlbumSchema>;
/** Where a comment goes: a request the person owns, by id and number. */
export type CommentTarget = Pick<ReplyMode, 'requestId' | 'number'>;

export type Draft = v.InferOutput<typeof DraftSchema>;
export type OnScreen = v.InferOutput<typeof OnScreenSchema>;
export type Pending = v.InferOutput<typeof PendingSchema>;
export type Session = v.InferOutput<typeof SessionSchema>;

/** How long a question the bot asked (a reason, a comment) waits for its answer. */
export const PENDING_INPUT_SECONDS = 900;

/** The pending question, while it still waits for its answer. */
export function activePending(session: Session, nowSeconds = Math.floor(Date.now() / 1000)): Pending | undefined {
  const pending = session.pending;
  return pending !== undefined && pending.until > nowSeconds ? pending : undefined;
}

/** When a question asked now stops waiting. */
export function pendingUntil(nowSeconds = Math.floor(Date.now() / 1000)): number {
  return nowSeconds + PENDING_INPUT_SECONDS;
}

/** 24 h: a person may come back to a half-written request the next day. */
export const SESSION_TTL_SECONDS = 86_400;

export function sessionKey(userId: number): string {
  return `session:${userId}`;
}

/** A missing, unreadable or outdated session starts fresh rather than failing the update. */
export function parseSession(raw: string | null): Session {
  if (raw === null) return {};
  try {
    const parsed = v.safeParse(SessionSchema, JSON.parse(raw));
    return parsed.success ? parsed.output : {};
  } catch {
    return {};
  }
}

export function serializeSession(session: Session): string {
  return JSON.stringify(session);
}
