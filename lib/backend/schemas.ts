import * as v from 'valibot';

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

export const ATTACHMENT_KINDS = ['photo', 'document'] as const;
export const AttachmentSchema = v.object({
  telegram_file_id: Name,
  kind: v.picklist(ATTACHMENT_KINDS),
});
export type Attachment = v.InferOutput<typeof AttachmentSchema>;

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
  location: OptionalText,
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
/** Longest reason (cancel, reopen) or rating comment we send. */
export const MAX_REASON_LENGTH = 1000;

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
  telegram: v.object({
    user_id: PositiveId,
    // Group and channel chats have negative ids; private chats equal the user id.
    chat_id: v.pipe(v.number(), v.integer()),
    username: v.optional(v.string()),
    language_code: v.optional(v.string()),
  }),
});
export type NewRequest = v.InferOutput<typeof NewRequestSchema>;

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

/** The body the backend POSTs to `/api/notify` when a request changes status. */
export const StatusNotificationSchema = v.object({
  request_id: Name,
  number: Name,
  status: RequestStatusSchema,
  telegram_user_id: PositiveId,
  comment: OptionalText,
});
export type StatusNotification = v.InferOutput<typeof StatusNotificationSchema>;
