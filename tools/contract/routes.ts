import * as v from 'valibot';
import type { BackendRoute } from '../../lib/backend/backend-client.js';
import {
  CancelReasonSchema,
  CancelRequestSchema,
  CommentEditedNotificationSchema,
  CommentNotificationSchema,
  ConfirmResolutionSchema,
  CreatedCommentSchema,
  CreatedRequestSchema,
  EditCommentSchema,
  EditedCommentSchema,
  NewCommentSchema,
  NewRequestSchema,
  RateRequestSchema,
  RatingCommentSchema,
  ReopenRequestSchema,
  RequestDetailsSchema,
  RequestPageSchema,
  RequestTypeListSchema,
  RequestTypeSchema,
  ServiceCategoryListSchema,
  SideListSchema,
  SideSchema,
  StatusNotificationSchema,
  type NotificationEvent,
} from '../../lib/backend/schemas.js';

/**
 * The contract's calls and events as the OpenAPI document describes them: one entry per route of
 * `backendRoutes` (lib/backend/backend-client.ts) and one per notify event kind. The shapes come
 * from lib/backend/schemas.ts; what is written here is what a schema cannot say (what a call is
 * for, its keys, its errors) and an example of each answer. Adding a route or an event kind is one
 * entry here (TypeScript asks for it); `npm run contract:openapi` then writes the document.
 */

export interface Example<T = unknown> {
  readonly summary: string;
  readonly value: T;
}

export interface BodyDoc {
  readonly description: string;
  readonly schema: v.GenericSchema;
  readonly examples: readonly Example[];
}

export interface ParameterDoc {
  readonly description: string;
  readonly schema: v.GenericSchema;
  readonly required: boolean;
  readonly example: unknown;
}

/** An error answer the bot tells apart (401, 429 and 5xx are on every route and need no entry). */
export interface ErrorDoc {
  readonly status: 400 | 404 | 409 | 422;
  readonly description: string;
  /** The `error.code` values the bot acts on; any code is accepted when omitted. */
  readonly codes?: readonly string[];
}

export interface RouteDoc {
  /** The group the call is listed under. */
  readonly tag: 'catalogue' | 'requests' | 'lifecycle';
  readonly summary: string;
  readonly description: string;
  /** Path parameters, by the names of the route's template (`:id` → `id`). */
  readonly path?: Readonly<Record<string, ParameterDoc>>;
  readonly query?: Readonly<Record<string, ParameterDoc>>;
  /** The call carries `Idempotency-Key`: how the bot makes it. */
  readonly idempotencyKey?: string;
  /** The call may carry `Accept-Language`: the backend may answer names and texts in that language. */
  readonly localized?: boolean;
  readonly body?: BodyDoc;
  /** 200 and/or 201. */
  readonly answers: Readonly<Partial<Record<200 | 201, BodyDoc>>>;
  readonly errors: readonly ErrorDoc[];
}

export interface EventDoc {
  readonly summary: string;
  readonly description: string;
  readonly body: BodyDoc;
}

function body<S extends v.GenericSchema>(schema: S, description: string, ...examples: Example<v.InferInput<S>>[]): BodyDoc {
  return { schema, description, examples };
}

function parameter<S extends v.GenericSchema>(schema: S, description: string, example: v.InferInput<S>, required = true): ParameterDoc {
  return { schema, description, example, required };
}

const AT = '2025-03-14T09:26:53.000Z';
const LATER = '2025-03-14T11:02:10.000Z';
const REQUEST_ID = '3f6c1e2a-8b4d-4f7a-9c21-5d0e7b3a9f14';
const USER = 123456789;
const USER_ID = parameter(CancelRequestSchema.entries.telegram_user_id, 'The Telegram user id of the person.', USER);
const REQUEST_ID_PARAMETER = { id: parameter(CreatedRequestSchema.entries.id, 'The request id the backend gave (`id` of `POST /requests`).', REQUEST_ID) };

const summary = {
  id: REQUEST_ID,
  number: 'SR-1042',
  status: 'new' as const,
  category_name: 'Plumbing',
  created_at: AT,
  updated_at: AT,
};
const details = {
  ...summary,
  telegram_user_id: USER,
  request_type_name: 'Repair',
  side_name: 'Individual',
  description: 'The kitchen tap drips all night long',
  location: null,
  rating: null,
  attachments: [{ telegram_file_id: 'AgACAgIAAxkBAAIBQ2Xq', kind: 'photo' as const }],
  status_history: [{ status: 'new' as const, at: AT, comment: null }],
  comments: [],
};
const resolved = {
  ...details,
  status: 'resolved' as const,
  updated_at: LATER,
  status_history: [...details.status_history, { status: 'resolved' as const, at: LATER, comment: 'The washer was replaced.' }],
  comments: [
    { id: 'c17', author: 'agent' as const, author_name: 'Anna', text: 'I will come at 10:00, is that fine?', attachments: [], at: AT },
    { id: 'c18', author: 'customer' as const, author_name: null, text: 'Yes, thank you', attachments: [], at: AT },
  ],
};

const KEY_RULES =
  'The same key with the same body answers 200 with what the first call did, and does nothing twice; the same key with another body is 409 `idempotency_conflict`.';
const OWNERSHIP = 'A request that is not the `telegram_user_id`’s answers 404, exactly as a request that does not exist.';
const NOT_OWNED: ErrorDoc = { status: 404, description: 'No such request, or not this person’s.' };
const INVALID: ErrorDoc = { status: 400, description: 'The body or a parameter is not valid; `error.message` says which.' };
const CONFLICT: ErrorDoc = { status: 409, description: 'The same Idempotency-Key came with another body.', codes: ['idempotency_conflict'] };

export const ROUTES: Readonly<Record<BackendRoute, RouteDoc>> = {
  listRequestTypes: {
    tag: 'catalogue',
    summary: 'The request types',
    description: 'The first step of the catalogue. The bot caches the catalogue (`CATALOG_TTL_S`, 600 s) per language.',
    localized: true,
    answers: { 200: body(RequestTypeListSchema, 'Every request type, in the order to show.', { summary: 'Two types', value: [{ id: 1, name: 'Repair' }, { id: 2, name: 'Cleaning' }] }) },
    errors: [],
  },
  listSides: {
    tag: 'catalogue',
    summary: 'Who a request of this type is for',
    description: 'The second step of the catalogue: the sides of one request type.',
    path: { id: parameter(RequestTypeSchema.entries.id, 'A request type id.', 1) },
    localized: true,
    answers: { 200: body(SideListSchema, 'The sides of that type.', { summary: 'Two sides', value: [{ id: 10, name: 'Individual' }, { id: 11, name: 'Company' }] }) },
    errors: [{ status: 404, description: 'No such request type.' }],
  },
  listServiceCategories: {
    tag: 'catalogue',
    summary: 'The service categories of a type and side',
    description: 'The third step of the catalogue; the bot shows 8 per page.',
    query: {
      request_type_id: parameter(RequestTypeSchema.entries.id, 'A request type id.', 1),
      side_id: parameter(SideSchema.entries.id, 'A side id of that type.', 10),
    },
    localized: true,
    answers: {
      200: body(ServiceCategoryListSchema, 'The categories; `description` is optional.', {
        summary: 'Two categories',
        value: [
          { id: 100, name: 'Plumbing', description: 'Taps, pipes, drains' },
          { id: 101, name: 'Electrics', description: null },
        ],
      }),
    },
    errors: [{ status: 404, description: 'No such side for that request type.' }],
  },
  createRequest: {
    tag: 'requests',
    summary: 'Submit a request',
    description: `The person confirmed their draft. ${KEY_RULES} A retried submission (a double tap, Telegram's redelivery, a timeout) therefore never makes a second request.`,
    idempotencyKey: '`tg-<user id>-<draft id>`: one per draft, the same on every retry of it.',
    body: body(NewRequestSchema, 'The draft. `location` comes from a deep link (a QR poster on a door, a lift, a machine); `geo` is a point or venue the person shared on the map (Telegram\'s location message) while the draft was open.', {
      summary: 'A request with a photo, a voice message and a phone number',
      value: {
        request_type_id: 1,
        side_id: 10,
        category_id: 100,
        description: 'The kitchen tap drips all night long\nListen to it',
        contact_phone: '+44 20 7946 0958',
        attachments: [
          { telegram_file_id: 'AgACAgIAAxkBAAIBQ2Xq', kind: 'photo', file_size: 120_000 },
          { telegram_file_id: 'AwACAgIAAxkBAAIBQ3Xq', kind: 'voice', mime_type: 'audio/ogg', file_size: 9_817, duration: 4 },
        ],
        location: 'Door 4B',
        geo: { latitude: 51.507351, longitude: -0.127758, title: 'Riverside House', address: '2A Southwark Bridge Rd, London' },
        telegram: { user_id: USER, chat_id: USER, username: 'jane', language_code: 'en' },
      },
    }),
    answers: {
      201: body(CreatedRequestSchema, 'Created.', { summary: 'A new request', value: { id: REQUEST_ID, number: 'SR-1042', status: 'new', created_at: AT } }),
      200: body(CreatedRequestSchema, 'This key was seen before with this body: the request it created.', {
        summary: 'The same request again',
        value: { id: REQUEST_ID, number: 'SR-1042', status: 'new', created_at: AT },
      }),
    },
    errors: [INVALID, CONFLICT, { status: 422, description: 'The category does not belong to that request type and side.' }],
  },
  listRequests: {
    tag: 'requests',
    summary: 'The person’s requests, newest first',
    description:
      'My requests, a page at a time. The answer is a page `{"items", "next_cursor"}`; `next_cursor` names the next (older) page and is `null` on the last one. ' +
      'Walking the cursors from the first page to `null` gives every request once: none repeated, none skipped. ' +
      'A backend without paging may answer a plain array: that is the only page, and the bot filters it itself. The bot also lists up to 50 to check ownership when `GET /requests/{id}` does not name the owner.',
    query: {
      telegram_user_id: USER_ID,
      limit: parameter(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(50)), 'Page size: 10 for My requests, up to 50 for an ownership check.', 10),
      cursor: parameter(v.pipe(v.string(), v.nonEmpty(), v.maxLength(1024)), 'The `next_cursor` of the page before; opaque to the bot.', 'czQy', false),
      status: parameter(v.literal('open'), '`open`: leave out closed, rejected and cancelled requests.', 'open', false),
    },
    localized: true,
    answers: {
      200: body(
        RequestPageSchema,
        'One page, newest first.',
        { summary: 'A page with more after it', value: { items: [summary], next_cursor: 'czQy' } },
        { summary: 'The last page', value: { items: [], next_cursor: null } },
        { summary: 'A backend without paging', value: [summary] },
      ),
    },
    errors: [INVALID],
  },
  getRequest: {
    tag: 'requests',
    summary: 'One request with its history and thread',
    description:
      'The details screen. `status_history` and `comments` are oldest first; `telegram_user_id` (optional) lets the bot check ownership in one call. `rating` is `null` or missing until the person rates.',
    path: REQUEST_ID_PARAMETER,
    localized: true,
    answers: {
      200: body(RequestDetailsSchema, 'The request.', { summary: 'A new request', value: details }, { summary: 'Resolved, with a thread', value: resolved }),
    },
    errors: [{ status: 404, description: 'No such request.' }],
  },
  addComment: {
    tag: 'requests',
    summary: 'The person adds a comment',
    description: `A message, a file of any kind (photo, document, voice, audio, video, video note, animation; its caption is \`text\`) or an album in reply to the thread. ${KEY_RULES} ${OWNERSHIP} The backend fetches a person's file from the bot: \`GET <bot>/api/files/{telegram_file_id}\` (the \`files\` webhook below).`,
    idempotencyKey: '`tg-<user id>-u<update id>`: Telegram’s redelivery of the same message names the same comment.',
    path: REQUEST_ID_PARAMETER,
    body: body(
      NewCommentSchema,
      'Text, files, or both.',
      { summary: 'Text', value: { telegram_user_id: USER, text: 'It drips again since this morning' } },
      {
        summary: 'A document',
        value: { telegram_user_id: USER, attachments: [{ telegram_file_id: 'BQACAgIAAxkBAAIBRGXq', kind: 'document', file_name: 'invoice.pdf', mime_type: 'application/pdf', file_size: 48_213 }] },
      },
      {
        summary: 'A video with its caption',
        value: {
          telegram_user_id: USER,
          text: 'It leaks here when the machine spins',
          attachments: [{ telegram_file_id: 'BAACAgIAAxkBAAIBR2Xq', kind: 'video', file_name: 'leak.mp4', mime_type: 'video/mp4', file_size: 1_830_000, duration: 12 }],
        },
      },
    ),
    answers: {
      201: body(CreatedCommentSchema, 'Added.', { summary: 'A new comment', value: { id: 'c19', created_at: LATER } }),
      200: body(CreatedCommentSchema, 'This key was seen before with this body: the comment it added.', { summary: 'The same comment again', value: { id: 'c19', created_at: LATER } }),
    },
    errors: [
      INVALID,
      NOT_OWNED,
      { status: 409, description: 'The request no longer takes comments (e.g. closed), or the key came with another body. The bot offers a new request.', codes: ['request_closed', 'idempotency_conflict'] },
    ],
  },
  cancelRequest: {
    tag: 'lifecycle',
    summary: 'The person cancels a request',
    description: `Allowed while \`new\`, \`in_progress\` or \`waiting_for_customer\`; the request becomes \`cancelled\`. ${KEY_RULES} ${OWNERSHIP}`,
    idempotencyKey: '`tg-<user id>-cancel-<request id>`.',
    path: REQUEST_ID_PARAMETER,
    body: body(CancelRequestSchema, 'Who cancels, and why (optional).', { summary: 'With a reason', value: { telegram_user_id: USER, reason: 'Fixed it myself' } }),
    answers: {
      200: body(RequestDetailsSchema, 'The request as `GET /requests/{id}` answers it, now `cancelled`.', {
        summary: 'Cancelled',
        value: { ...details, status: 'cancelled', updated_at: LATER, status_history: [...details.status_history, { status: 'cancelled', at: LATER, comment: 'Fixed it myself' }] },
      }),
    },
    errors: [INVALID, NOT_OWNED, { status: 409, description: 'The status does not allow it, or the key came with another body.', codes: ['invalid_status', 'idempotency_conflict'] }],
  },
  confirmResolution: {
    tag: 'lifecycle',
    summary: 'The person confirms the solution (Solved)',
    description: `Allowed while \`resolved\`; the request becomes \`closed\`. ${KEY_RULES} ${OWNERSHIP}`,
    idempotencyKey: '`tg-<user id>-confirm-<request id>`.',
    path: REQUEST_ID_PARAMETER,
    body: body(ConfirmResolutionSchema, 'Who confirms.', { summary: 'Solved', value: { telegram_user_id: USER } }),
    answers: {
      200: body(RequestDetailsSchema, 'The request, now `closed`.', {
        summary: 'Closed',
        value: { ...resolved, status: 'closed', status_history: [...resolved.status_history, { status: 'closed', at: LATER, comment: null }] },
      }),
    },
    errors: [INVALID, NOT_OWNED, { status: 409, description: 'The request is not resolved, or the key came with another body.', codes: ['invalid_status', 'idempotency_conflict'] }],
  },
  reopenRequest: {
    tag: 'lifecycle',
    summary: 'The person refuses the solution (Still a problem)',
    description: `Allowed while \`resolved\`; the request goes back to \`in_progress\`. A backend may limit how often: one more is 409 \`reopen_limit\`, and the bot offers a new request instead. ${KEY_RULES} ${OWNERSHIP}`,
    idempotencyKey: '`tg-<user id>-reopen-<request id>-<round>`; the round is the time of the latest `resolved` entry in base 36 (one reopening per resolution).',
    path: REQUEST_ID_PARAMETER,
    body: body(
      ReopenRequestSchema,
      'A reason in words, a photo, or both.',
      { summary: 'With a reason', value: { telegram_user_id: USER, reason: 'It still drips at night' } },
      { summary: 'With a photo', value: { telegram_user_id: USER, attachments: [{ telegram_file_id: 'AgACAgIAAxkBAAIBRWXq', kind: 'photo' }] } },
    ),
    answers: {
      200: body(RequestDetailsSchema, 'The request, back `in_progress`.', {
        summary: 'Reopened',
        value: { ...resolved, status: 'in_progress', status_history: [...resolved.status_history, { status: 'in_progress', at: LATER, comment: 'It still drips at night' }] },
      }),
    },
    errors: [
      INVALID,
      NOT_OWNED,
      { status: 409, description: 'The request is not resolved, was reopened as often as allowed, or the key came with another body.', codes: ['invalid_status', 'reopen_limit', 'idempotency_conflict'] },
    ],
  },
  rateRequest: {
    tag: 'lifecycle',
    summary: 'The person rates the service',
    description: `Once per request, while \`resolved\` or \`closed\`. ${KEY_RULES} ${OWNERSHIP}`,
    idempotencyKey: '`tg-<user id>-rating-<request id>`.',
    path: REQUEST_ID_PARAMETER,
    body: body(RateRequestSchema, 'A score of 1 to 5 and an optional comment.', { summary: 'Five stars', value: { telegram_user_id: USER, score: 5, comment: 'Quick and tidy' } }),
    answers: {
      201: body(RequestDetailsSchema, 'Rated: the request with its `rating`.', {
        summary: 'Rated',
        value: { ...resolved, status: 'closed', rating: { score: 5, comment: 'Quick and tidy', at: LATER } },
      }),
      200: body(RequestDetailsSchema, 'This key was seen before with this body: the request as it stands.', {
        summary: 'Rated before',
        value: { ...resolved, status: 'closed', rating: { score: 5, comment: 'Quick and tidy', at: LATER } },
      }),
    },
    errors: [
      INVALID,
      NOT_OWNED,
      { status: 409, description: 'Rated already, not resolved or closed, or the key came with another body.', codes: ['already_rated', 'invalid_status', 'idempotency_conflict'] },
    ],
  },
  attachCancelReason: {
    tag: 'lifecycle',
    summary: 'The reason of a cancellation, afterwards',
    description:
      `The bot cancels at the person's tap (\`POST …/cancel\` without a reason) and asks for the reason afterwards; this attaches it to the cancellation's history entry (as its \`comment\`). Allowed while \`cancelled\`. A backend without follow-ups answers 404 or 405: the bot then sends the reason as an ordinary comment. ${KEY_RULES} ${OWNERSHIP}`,
    idempotencyKey: '`tg-<user id>-cancel-reason-<request id>-u<update id>`: one per message.',
    path: REQUEST_ID_PARAMETER,
    body: body(CancelReasonSchema, 'Who, and the reason.', { summary: 'A reason', value: { telegram_user_id: USER, reason: 'Fixed it myself' } }),
    answers: {
      200: body(RequestDetailsSchema, 'The request, its `cancelled` entry carrying the reason.', {
        summary: 'With its reason',
        value: { ...details, status: 'cancelled', updated_at: LATER, status_history: [...details.status_history, { status: 'cancelled', at: LATER, comment: 'Fixed it myself' }] },
      }),
    },
    errors: [INVALID, NOT_OWNED, { status: 409, description: 'The request is not cancelled, or the key came with another body.', codes: ['invalid_status', 'idempotency_conflict'] }],
  },
  attachRatingComment: {
    tag: 'lifecycle',
    summary: 'The comment of a rating, afterwards',
    description: `The bot rates at the person's star (\`POST …/rating\` with the score alone) and asks for a comment afterwards; this sets \`rating.comment\`. A backend without follow-ups answers 404 or 405: the bot then sends the comment as an ordinary comment. ${KEY_RULES} ${OWNERSHIP}`,
    idempotencyKey: '`tg-<user id>-rating-comment-<request id>-u<update id>`: one per message.',
    path: REQUEST_ID_PARAMETER,
    body: body(RatingCommentSchema, 'Who, and the comment.', { summary: 'A comment', value: { telegram_user_id: USER, comment: 'Quick and tidy' } }),
    answers: {
      200: body(RequestDetailsSchema, 'The request, `rating.comment` set.', {
        summary: 'With its comment',
        value: { ...resolved, status: 'closed', rating: { score: 5, comment: 'Quick and tidy', at: LATER } },
      }),
    },
    errors: [INVALID, NOT_OWNED, { status: 409, description: 'Not rated yet, or the key came with another body.', codes: ['not_rated', 'idempotency_conflict'] }],
  },
  editComment: {
    tag: 'requests',
    summary: 'The person edited a comment they sent',
    description: `Telegram tells the bot when a person edits a message; for the message that carried a comment, within 48 hours of sending it, the bot sends the whole new text (or caption) here. A backend without comment edits answers 404 or 405: the bot then adds the new text as a comment (\`POST …/comments\`) with \`correction_of\` naming the earlier one. ${KEY_RULES} ${OWNERSHIP} Only the person's own comments may be edited (404 otherwise).`,
    idempotencyKey: '`tg-<user id>-e<update id>`: Telegram’s redelivery of the same edit names the same change.',
    path: { ...REQUEST_ID_PARAMETER, comment_id: parameter(CreatedCommentSchema.entries.id, 'The comment id the backend gave (`id` of `POST …/comments`).', 'c19') },
    body: body(EditCommentSchema, 'Who, and the new text.', { summary: 'A corrected door code', value: { telegram_user_id: USER, text: 'The door code is 4712' } }),
    answers: {
      200: body(EditedCommentSchema, 'Changed (or this key was seen before: the same answer).', { summary: 'Edited', value: { id: 'c19', edited_at: LATER } }),
    },
    errors: [INVALID, NOT_OWNED, CONFLICT],
  },
};

/** One entry per `kind` of `NotificationEventSchema`: the events the backend POSTs to the bot's `/api/notify`. */
export const EVENTS: Readonly<Record<NotificationEvent['kind'], EventDoc>> = {
  status: {
    summary: 'A request changed status',
    description:
      'The bot tells the person in their language, with a button to the request; a `resolved` event carries Solved / Still a problem, a `closed` one the rating stars. `kind` may be left out (events before `kind` existed are status changes).',
    body: body(
      StatusNotificationSchema,
      'The request, its new status and an optional comment for the person.',
      { summary: 'Resolved', value: { event_id: 'evt-7f3a-1', kind: 'status', request_id: REQUEST_ID, number: 'SR-1042', status: 'resolved', telegram_user_id: USER, comment: 'The washer was replaced.' } },
      { summary: 'Without kind (before event kinds)', value: { request_id: REQUEST_ID, number: 'SR-1042', status: 'in_progress', telegram_user_id: USER } },
    ),
  },
  comment: {
    summary: 'An agent commented',
    description:
      'The person gets the text with Reply and View, then each file under it, downloaded by the bot from `url` and uploaded to Telegram: only from `BACKEND_URL`’s origin and `FILE_ORIGINS`, each redirect checked again (a file from elsewhere is told as not delivered), with `Authorization: Bearer <BACKEND_API_KEY>` only while the URL and every redirect after it stay on `BACKEND_URL`’s origin. Swiping to reply on that message adds a comment to the request. `comment.id` (the comment’s id in the thread) lets a later `comment_edited` find the message; without it the comment still arrives, but its edits cannot be matched. `status` (optional), the request’s status now, lets the bot leave Reply out on a closed, rejected or cancelled request and say it takes no more comments.',
    body: body(CommentNotificationSchema, 'The comment: text, files, or both.', {
      summary: 'Text and a file',
      value: {
        event_id: 'evt-7f3a-2',
        kind: 'comment',
        request_id: REQUEST_ID,
        number: 'SR-1042',
        telegram_user_id: USER,
        status: 'in_progress',
        comment: { id: 'c-311', author_name: 'Anna', text: 'Here is the invoice.', attachments: [
            { url: 'https://backend.example.com/files/invoice.pdf', file_name: 'invoice.pdf', mime_type: 'application/pdf' },
            { url: 'https://backend.example.com/files/answer.ogg', file_name: 'answer.ogg', mime_type: 'audio/ogg', kind: 'voice' },
          ],
        },
      },
    }),
  },
  comment_edited: {
    summary: 'An agent changed a comment',
    description:
      'The whole new text of a comment the person was told about, named by the `comment.id` of its `comment` event. The bot edits the message that carried it while Telegram allows (48 h), else answers that message with “Updated: …”; a comment it cannot match (sent without `comment.id`, over 30 days ago) arrives as a message of its own marked as an update. Send the same `author_name` as before.',
    body: body(CommentEditedNotificationSchema, 'The comment’s id and its new text.', {
      summary: 'A corrected question',
      value: { event_id: 'evt-7f3a-3', kind: 'comment_edited', request_id: REQUEST_ID, number: 'SR-1042', telegram_user_id: USER, comment: { id: 'c-311', author_name: 'Anna', text: 'Here is the corrected invoice.' } },
    }),
  },
};
