import * as v from 'valibot';
import { BUTTON_REQUEST_ID } from '../bot/callback-data.js';
import { MAX_COMMENT_LENGTH, MAX_REASON_LENGTH } from '../requests/limits.js';

export { MAX_COMMENT_LENGTH, MAX_REASON_LENGTH } from '../requests/limits.js';

/**
 * The backend contract (DESIGN.md section 4) as valibot schemas.
 *
 * Every answer is parsed with these at the edge, so the rest of the bot only ever sees checked
 * data. `v.object` drops unknown keys: the backend may add fields without breaking us, while a
 * missing or mistyped field we rely on is an error.
 */

/** Catalogue ids (request types, sides, categories) and Telegram user ids. */
const PositiveId = v.pipe(v.number(), v.integer(), v.minValue(1));
const Name = v.pipe(v.string(), v.nonEmpty());
const Timestamp = v.pipe(v.string(), v.isoTimestamp());
/** `null` and a missing key mean the same thing; callers only deal with `undefined`. */
const OptionalText = v.pipe(
  v.nullish(v.string()),
  v.transform((value) => value ?? undefined),
);

export const REQUEST_STATUSES = [
  'new',
  'in_progress',
  'waiting_for_customer',
  'resolved',
  'closed',
  'rejected',
  'cancelled',
] as const;
export const RequestStatusSchema = v.picklist(REQUEST_STATUSES);
export type RequestStatus = v.InferOutput<typeof RequestStatusSchema>;

/** Statuses nothing follows: the person can no longer act on the request. The rest are "open". */
export const FINAL_STATUSES: readonly RequestStatus[] = ['closed', 'rejected', 'cancelled'];

export function isOpenStatus(status: RequestStatus): boolean {
  return !FINAL_STATUSES.includes(status);
}

export const RequestTypeSchema = v.object({ id: PositiveId, name: Name });
export type RequestType = v.InferOutput<typeof RequestTypeSchema>;
export const RequestTypeListSchema = v.array(RequestTypeSchema);

export const SideSchema = v.object({ id: PositiveId, name: Name });
export type Side = v.InferOutput<typeof SideSchema>;
export const SideListSchema = v.array(SideSchema);

export const ServiceCategorySchema = v.object({ id: PositiveId, name: Name, description: OptionalText });
export type ServiceCategory = v.InferOutput<typeof ServiceCategorySchema>;
export const ServiceCategoryListSchema = v.array(ServiceCategorySchema);

/** The answer to `POST /requests` (201 when created, 200 when the idempotency key was seen). */
export const CreatedRequestSchema = v.object({
  id: Name,
  number: Name,
  status: RequestStatusSchema,
  created_at: Timestamp,
});
export type CreatedRequest = v.InferOutput<typeof CreatedRequestSchema>;

const summaryEntries = {
  id: Name,
  number: Name,
  status: RequestStatusSchema,
  category_name: Name,
  created_at: Timestamp,
  updated_at: Timestamp,
};

export const RequestSummarySchema = v.object(summaryEntries);
export type RequestSummary = v.InferOutput<typeof RequestSummarySchema>;
export const RequestSummaryListSchema = v.array(RequestSummarySchema);

/**
 * The answer to `GET /requests`: a page `{"items", "next_cursor"}` from backends that page, or the
 * plain array of backends that do not (then there is no next page). Both become `{items, nextCursor}`.
 */
export const RequestPageSchema = v.pipe(
  v.union([
    RequestSummaryListSchema,
    v.object({ items: RequestSummaryListSchema, next_cursor: v.nullish(v.pipe(v.string(), v.nonEmpty(), v.maxLength(1024))) }),
  ]),
  v.transform((answer) =>
    Array.isArray(answer) ? { items: answer, nextCursor: undefined } : { items: answer.items, nextCursor: answer.next_cursor ?? undefined },
  ),
);
export type RequestPage = v.InferOutput<typeof RequestPageSchema>;

export const StatusHistoryEntrySchema = v.object({
  status: RequestStatusSchema,
  at: Timestamp,
  comment: OptionalText,
});
export type StatusHistoryEntry = v.InferOutput<typeof StatusHistoryEntrySchema>;

/**
 * The kinds of file Telegram delivers, as the bot names them in `kind`: a photo, a document (any
 * type), a voice message, an audio file, a video, a round video note, an animation (a GIF).
 */
export const ATTACHMENT_KINDS = ['photo', 'document', 'voice', 'audio', 'video', 'video_note', 'animation'] as const;
export const AttachmentKindSchema = v.picklist(ATTACHMENT_KINDS);
export type AttachmentKind = v.InferOutput<typeof AttachmentKindSchema>;
const Count = v.pipe(v.number(), v.integer(), v.minValue(0));
/** `null` and a missing key mean the same thing. */
const OptionalCount = v.pipe(
  v.nullish(Count),
  v.transform((value) => value ?? undefined),
);

/**
 * A file a person sent through Telegram: the bot (and the backend, via /api/files) fetch it by id.
 * `file_name`, `mime_type`, `file_size` (bytes) and `duration` (seconds, for voice, audio, video,
 * video notes and animations) are there when Telegram gives them.
 */
export const AttachmentSchema = v.object({
  telegram_file_id: Name,
  kind: AttachmentKindSchema,
  file_name: OptionalText,
  mime_type: OptionalText,
  file_size: OptionalCount,
  duration: OptionalCount,
});
export type Attachment = v.InferOutput<typeof AttachmentSchema>;

/** The same file as it appears in a request's thread. */
export const CustomerFileSchema = AttachmentSchema;
export type CustomerFile = Attachment;

/**
 * A file an agent attached: the bot downloads it from the URL and uploads it to the person. `kind`
 * says how it plays (`voice` as a voice message, `video_note` as a round video, ...); without it
 * an image goes as a photo and anything else as a document.
 */
export const AgentFileSchema = v.object({
  url: v.pipe(v.string(), v.url(), v.regex(/^https?:\/\//)),
  file_name: Name,
  mime_type: Name,
  kind: v.optional(AttachmentKindSchema),
});
export type AgentFile = v.InferOutput<typeof AgentFileSchema>;

/** Longest venue title or address a shared place carries (Telegram sets no limit; ours keeps a message short). */
export const MAX_VENUE_TEXT_LENGTH = 256;
const VenueText = v.pipe(v.string(), v.trim(), v.nonEmpty(), v.maxLength(MAX_VENUE_TEXT_LENGTH));

/**
 * Where it happened, as the person shared it on the map (Telegram's location message): the point,
 * and for a place picked from the map's list (a venue) its title and address.
 */
export const GeoSchema = v.object({
  latitude: v.pipe(v.number(), v.minValue(-90), v.maxValue(90)),
  longitude: v.pipe(v.number(), v.minValue(-180), v.maxValue(180)),
  title: v.optional(VenueText),
  address: v.optional(VenueText),
});
export type Geo = v.InferOutput<typeof GeoSchema>;

export const CommentFileSchema = v.union([CustomerFileSchema, AgentFileSchema]);
export type CommentFile = v.InferOutput<typeof CommentFileSchema>;

export const COMMENT_AUTHORS = ['customer', 'agent'] as const;

/** One message of a request's thread, from either side. */
export const CommentSchema = v.object({
  /** Backends use numbers or strings; the bot only ever compares and shows them. */
  id: v.pipe(v.union([Name, v.pipe(v.number(), v.integer())]), v.transform(String)),
  author: v.picklist(COMMENT_AUTHORS),
  author_name: OptionalText,
  text: OptionalText,
  attachments: v.optional(v.array(CommentFileSchema), []),
  at: Timestamp,
  /** The comment this one corrects (a person's edit, sent to a backend without comment edits). */
  correction_of: OptionalText,
  /** When the text was last changed, if ever. */
  edited_at: v.pipe(
    v.nullish(Timestamp),
    v.transform((value) => value ?? undefined),
  ),
});
export type Comment = v.InferOutput<typeof CommentSchema>;
export const RATING_MIN = 1;
export const RATING_MAX = 5;
const Score = v.pipe(v.number(), v.integer(), v.minValue(RATING_MIN), v.maxValue(RATING_MAX));

/** The person's rating of the service, once per request. */
export const RatingSchema = v.object({ score: Score, comment: OptionalText, at: v.optional(Timestamp) });
export type Rating = v.InferOutput<typeof RatingSchema>;

/** The answer to `GET /requests/{id}`: the summary plus its history and optional details. */
export const RequestDetailsSchema = v.object({
  ...summaryEntries,
  status_history: v.array(StatusHistoryEntrySchema),
  /** The owner, when the backend names it: lets the bot check ownership without a second call. */
  telegram_user_id: v.optional(PositiveId),
  description: OptionalText,
  request_type_name: OptionalText,
  side_name: OptionalText,
  attachments: v.optional(v.array(AttachmentSchema)),
  /** The thread, oldest first; backends without comments omit it. */
  comments: v.optional(v.array(CommentSchema), []),
  location: OptionalText,
  /** `null` or missing: no point was shared. */
  geo: v.pipe(
    v.nullish(GeoSchema),
    v.transform((value) => value ?? undefined),
  ),
  /** `null` or missing: not rated yet. */
  rating: v.pipe(
    v.nullish(RatingSchema),
    v.transform((value) => value ?? undefined),
  ),
});
export type RequestDetails = v.InferOutput<typeof RequestDetailsSchema>;

/** `{"error": {"code", "message"}}`, the body of every 4xx/5xx answer. */
export const ErrorBodySchema = v.object({
  error: v.object({ code: v.string(), message: v.string() }),
});
export type ErrorBody = v.InferOutput<typeof ErrorBodySchema>;

/** Longest description we send: one Telegram message. */
export const MAX_DESCRIPTION_LENGTH = 4096;
/** Longest location a deep link carries (characters). */
export const MAX_LOCATION_LENGTH = 32;

/** The body of `POST /requests`. The demo backend validates requests with it. */
export const NewRequestSchema = v.object({
  request_type_id: PositiveId,
  side_id: PositiveId,
  category_id: PositiveId,
  description: v.pipe(v.string(), v.trim(), v.nonEmpty(), v.maxLength(MAX_DESCRIPTION_LENGTH)),
  contact_phone: v.optional(v.pipe(v.string(), v.trim(), v.nonEmpty(), v.maxLength(32))),
  attachments: v.optional(v.pipe(v.array(AttachmentSchema), v.maxLength(10))),
  /** Where the problem is, from a deep link (a QR poster on a door, a lift, a machine). */
  location: v.optional(v.pipe(v.string(), v.trim(), v.nonEmpty(), v.maxLength(MAX_LOCATION_LENGTH))),
  /** A point (or venue) the person shared on the map, beside or instead of the text `location`. */
  geo: v.optional(GeoSchema),
  telegram: v.object({
    user_id: PositiveId,
    // Group and channel chats have negative ids; private chats equal the user id.
    chat_id: v.pipe(v.number(), v.integer()),
    username: v.optional(v.string()),
    language_code: v.optional(v.string()),
  }),
});
export type NewRequest = v.InferOutput<typeof NewRequestSchema>;


/** The body of `POST /requests/{id}/comments`: text, files, or both. */
export const NewCommentSchema = v.pipe(
  v.object({
    telegram_user_id: PositiveId,
    text: v.optional(v.pipe(v.string(), v.trim(), v.nonEmpty(), v.maxLength(MAX_COMMENT_LENGTH))),
    attachments: v.optional(v.pipe(v.array(CustomerFileSchema), v.minLength(1), v.maxLength(10))),
    /**
     * The id of the person's earlier comment this one corrects: the bot sends an edit this way when
     * the backend has no `PATCH /requests/{id}/comments/{comment_id}` (404 or 405).
     */
    correction_of: v.optional(v.pipe(v.string(), v.nonEmpty(), v.maxLength(128))),
  }),
  v.check((comment) => comment.text !== undefined || comment.attachments !== undefined, 'a comment needs text or attachments'),
);
export type NewComment = v.InferOutput<typeof NewCommentSchema>;

/**
 * The body of `PATCH /requests/{id}/comments/{comment_id}`: the person edited the message that
 * carried their comment (within 48 h); `text` is the whole new text (or caption).
 */
export const EditCommentSchema = v.object({
  telegram_user_id: PositiveId,
  text: v.pipe(v.string(), v.trim(), v.nonEmpty(), v.maxLength(MAX_COMMENT_LENGTH)),
});
export type EditComment = v.InferOutput<typeof EditCommentSchema>;

/** The answer to `PATCH /requests/{id}/comments/{comment_id}` (200; the same key again answers the same). */
export const EditedCommentSchema = v.object({
  id: v.pipe(v.union([Name, v.pipe(v.number(), v.integer())]), v.transform(String)),
  edited_at: Timestamp,
});
export type EditedComment = v.InferOutput<typeof EditedCommentSchema>;

/** The answer to `POST /requests/{id}/comments` (201 when created, 200 when the key was seen). */
export const CreatedCommentSchema = v.object({
  id: v.pipe(v.union([Name, v.pipe(v.number(), v.integer())]), v.transform(String)),
  created_at: Timestamp,
});
export type CreatedComment = v.InferOutput<typeof CreatedCommentSchema>;

/**
 * The backend's id of one notification event, the same on every retry of it: the bot sends an
 * event at most once per id (within 24 h). Without one, every POST sends.
 */
export const EventIdSchema = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'event_id must be 1-128 characters of A-Z, a-z, 0-9, _ . : -'),
);
const Reason = v.pipe(v.string(), v.trim(), v.nonEmpty(), v.maxLength(MAX_REASON_LENGTH));
/** Every lifecycle call names the person acting, so the backend checks ownership too. */
const actor = { telegram_user_id: PositiveId };

/** `POST /requests/{id}/cancel`: allowed while the request is new, in progress or waiting for the customer. */
export const CancelRequestSchema = v.object({ ...actor, reason: v.optional(Reason) });
export type CancelRequest = v.InferOutput<typeof CancelRequestSchema>;

/** `POST /requests/{id}/confirm`: the customer accepts the solution of a resolved request (it closes). */
export const ConfirmResolutionSchema = v.object({ ...actor });
export type ConfirmResolution = v.InferOutput<typeof ConfirmResolutionSchema>;

/** `POST /requests/{id}/reopen`: the solution did not help; a reason in words, a photo, or both. */
export const ReopenRequestSchema = v.pipe(
  v.object({ ...actor, reason: v.optional(Reason), attachments: v.optional(v.pipe(v.array(AttachmentSchema), v.maxLength(10))) }),
  v.check((body) => body.reason !== undefined || (body.attachments?.length ?? 0) > 0, 'a reason or an attachment is required'),
);
export type ReopenRequest = v.InferOutput<typeof ReopenRequestSchema>;

/** `POST /requests/{id}/rating`: once per request, on a resolved or closed one. */
export const RateRequestSchema = v.object({ ...actor, score: Score, comment: v.optional(Reason) });
export type RateRequest = v.InferOutput<typeof RateRequestSchema>;

/**
 * `PATCH /requests/{id}/cancel`: the reason of a cancellation that happened before (the bot cancels
 * at the person's tap and asks for the reason afterwards). Allowed while the request is cancelled.
 */
export const CancelReasonSchema = v.object({ ...actor, reason: Reason });
export type CancelReason = v.InferOutput<typeof CancelReasonSchema>;

/** `PATCH /requests/{id}/rating`: the comment of a rating given before (the score is sent at the tap). */
export const RatingCommentSchema = v.object({ ...actor, comment: Reason });
export type RatingComment = v.InferOutput<typeof RatingCommentSchema>;

/** Longest request number a notification may name (it shows in the text and on the View button). */
export const MAX_NOTIFY_NUMBER_LENGTH = 64;
/** Longest agent name a comment notification may carry. */
export const MAX_AUTHOR_NAME_LENGTH = 128;
/**
 * Longest status comment: whatever fits the notify body (16 KB); the bot shortens what does not fit
 * one message, so a long comment is delivered, never refused by Telegram.
 */
export const MAX_STATUS_COMMENT_LENGTH = 16 * 1024;

/** A request id every button of the notification (and of the details it opens) can carry. */
const NotifiedRequestId = v.pipe(
  v.string(),
  v.regex(BUTTON_REQUEST_ID, 'request_id must be 1-48 characters of A-Z, a-z, 0-9, _ and - (it travels in the buttons)'),
);
const NotifiedNumber = v.pipe(
  v.string(),
  v.nonEmpty(),
  v.maxLength(MAX_NOTIFY_NUMBER_LENGTH, `number must be at most ${MAX_NOTIFY_NUMBER_LENGTH} characters`),
);
/** `null` and a missing key mean the same thing; at most `max` characters. */
const optionalTextUpTo = (max: number, field: string) =>
  v.pipe(
    v.nullish(v.pipe(v.string(), v.maxLength(max, `${field} must be at most ${max} characters`))),
    v.transform((value) => value ?? undefined),
  );

/** The body the backend POSTs to `/api/notify` when a request changes status. */
export const StatusNotificationSchema = v.object({
  event_id: v.optional(EventIdSchema),
  // Status events predate `kind`: a missing kind is a status change.
  kind: v.optional(v.literal('status'), 'status'),
  request_id: NotifiedRequestId,
  number: NotifiedNumber,
  status: RequestStatusSchema,
  telegram_user_id: PositiveId,
  comment: optionalTextUpTo(MAX_STATUS_COMMENT_LENGTH, 'comment'),
});
export type StatusNotification = v.InferOutput<typeof StatusNotificationSchema>;

/**
 * The backend's id of a comment in a notify event: numbers or strings, compared as strings. It
 * lets a later `comment_edited` find the message that carried the comment.
 */
export const CommentIdSchema = v.pipe(
  v.union([v.pipe(v.string(), v.nonEmpty(), v.maxLength(128, 'comment.id must be at most 128 characters')), v.pipe(v.number(), v.integer())]),
  v.transform(String),
);

/** An agent commented on a person's request: its text and files reach the person, with Reply. */
export const CommentNotificationSchema = v.object({
  event_id: v.optional(EventIdSchema),
  kind: v.literal('comment'),
  request_id: NotifiedRequestId,
  number: NotifiedNumber,
  telegram_user_id: PositiveId,
  /** The request's status now: a final one (closed, rejected, cancelled) leaves Reply out. Optional. */
  status: v.optional(RequestStatusSchema),
  comment: v.pipe(
    v.object({
      /** Without it the comment is told as before, but an edit of it cannot be matched to its message. */
      id: v.optional(CommentIdSchema),
      author_name: optionalTextUpTo(MAX_AUTHOR_NAME_LENGTH, 'author_name'),
      text: v.optional(v.pipe(v.string(), v.maxLength(MAX_COMMENT_LENGTH))),
      attachments: v.optional(v.pipe(v.array(AgentFileSchema), v.maxLength(10)), []),
    }),
    v.check((comment) => (comment.text ?? '').trim() !== '' || comment.attachments.length > 0, 'a comment needs text or attachments'),
  ),
});
export type CommentNotification = v.InferOutput<typeof CommentNotificationSchema>;

/** An agent changed the text of a comment the person was told about (`comment.id` names it). */
export const CommentEditedNotificationSchema = v.object({
  event_id: v.optional(EventIdSchema),
  kind: v.literal('comment_edited'),
  request_id: NotifiedRequestId,
  number: NotifiedNumber,
  telegram_user_id: PositiveId,
  comment: v.object({
    id: CommentIdSchema,
    author_name: optionalTextUpTo(MAX_AUTHOR_NAME_LENGTH, 'author_name'),
    text: v.pipe(
      v.string(),
      v.maxLength(MAX_COMMENT_LENGTH),
      v.regex(/\S/, 'an edited comment needs its new text'),
    ),
  }),
});
export type CommentEditedNotification = v.InferOutput<typeof CommentEditedNotificationSchema>;

/** Every event `/api/notify` accepts, told apart by `kind` (each kind is one more schema here). */
export const NotificationEventSchema = v.variant('kind', [StatusNotificationSchema, CommentNotificationSchema, CommentEditedNotificationSchema]);
export type NotificationEvent = v.InferOutput<typeof NotificationEventSchema>;
/** An event as the backend writes it (`kind` may be left out for a status change). */
export type NotificationEventInput = v.InferInput<typeof NotificationEventSchema>;
