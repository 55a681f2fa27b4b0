import { randomUUID } from 'node:crypto';
import type { InferInput } from 'valibot';
import {
  isOpenStatus,
  type Attachment,
  type Comment,
  type CommentFile,
  type NewComment,
  type EditComment,
  type CancelReason,
  type CancelRequest,
  type ConfirmResolution,
  type CreatedRequest,
  type NewRequest,
  type RateRequest,
  type Rating,
  type RatingComment,
  type ReopenRequest,
  type RequestDetailsSchema,
  type RequestStatus,
  type RequestSummary,
  type StatusHistoryEntry,
} from '../../lib/backend/schemas.js';

/** A request as the demo backend keeps it. Objects are replaced on change, never mutated. */
export interface StoredRequest {
  readonly id: string;
  /** `SR-1001`, `SR-1002`, … in creation order. */
  readonly number: string;
  readonly status: RequestStatus;
  readonly created_at: string;
  readonly updated_at: string;
  readonly request_type_id: number;
  readonly side_id: number;
  readonly category_id: number;
  readonly request_type_name: string;
  readonly side_name: string;
  readonly category_name: string;
  readonly description: string;
  readonly contact_phone: string | undefined;
  readonly location: string | undefined;
  /** The point (or venue) the person shared on the map. */
  readonly geo: NewRequest['geo'];
  readonly attachments: readonly Attachment[];
  readonly telegram: NewRequest['telegram'];
  readonly status_history: readonly StatusHistoryEntry[];
  /** The thread, oldest first. */
  readonly comments: readonly Comment[];
  readonly idempotency_key: string;
  /** Creation order; breaks ties between requests created in the same millisecond. */
  readonly sequence: number;
  readonly rating: Rating | undefined;
  /** How often the customer refused a solution. */
  readonly reopen_count: number;
}

/** The customer's lifecycle calls, each with the body the contract gives it; the last two are the follow-ups (PATCH). */
export type LifecycleCall =
  | { readonly action: 'cancel'; readonly body: CancelRequest }
  | { readonly action: 'confirm'; readonly body: ConfirmResolution }
  | { readonly action: 'reopen'; readonly body: ReopenRequest }
  | { readonly action: 'rating'; readonly body: RateRequest }
  | { readonly action: 'cancel-reason'; readonly body: CancelReason }
  | { readonly action: 'rating-comment'; readonly body: RatingComment };

export type LifecycleRefusal = 'invalid_status' | 'reopen_limit' | 'already_rated' | 'not_rated' | 'idempotency_conflict';

export type LifecycleOutcome =
  /** Done now (`applied`), or done before under the same key and body (`replayed`). */
  | { readonly outcome: 'applied' | 'replayed'; readonly request: StoredRequest }
  /** No such request, or not this customer's. */
  | { readonly outcome: 'not-found' }
  | { readonly outcome: 'refused'; readonly code: LifecycleRefusal; readonly request: StoredRequest };

/** One lifecycle call as the store saw it, for tests that count what really happened. */
export interface LifecycleRecord {
  readonly action: LifecycleCall['action'];
  readonly requestId: string;
  readonly key: string;
  readonly outcome: LifecycleOutcome['outcome'];
}

export interface ListPageQuery {
  readonly limit: number;
  /** Only requests created before this one (its `sequence`): the page after a cursor. */
  readonly beforeSequence?: number;
  readonly openOnly?: boolean;
}

export interface CatalogueNames {
  readonly requestTypeName: string;
  readonly sideName: string;
  readonly categoryName: string;
}

export type CreateOutcome =
  | { readonly outcome: 'created' | 'replayed'; readonly request: StoredRequest }
  /** The key was used before with a different body. */
  | { readonly outcome: 'conflict'; readonly request: StoredRequest };

export type CommentOutcome =
  | { readonly outcome: 'created' | 'replayed'; readonly comment: Comment }
  | { readonly outcome: 'not_found' | 'closed' | 'conflict' };


export interface RequestStore {
  /** A person's comment on their own request; the same key again gives the same comment. */
  addCustomerComment(requestId: string, body: NewComment, idempotencyKey: string): CommentOutcome;
  /** An agent's comment (the demo's stand-in for the service desk's staff). */
  addAgentComment(requestId: string, comment: { readonly text?: string; readonly author_name?: string; readonly attachments?: readonly CommentFile[] }): Comment | undefined;
  /** An agent changes the text of one of their comments; undefined for an unknown request or comment. */
  editAgentComment(requestId: string, commentId: string, text: string): Comment | undefined;
  /** The person changes the text of one of their own comments; the same key again gives the same answer. */
  editCustomerComment(requestId: string, commentId: string, body: EditComment, idempotencyKey: string): CommentOutcome;
  /** Creates a request, or returns the one created earlier with the same idempotency key. */
  create(body: NewRequest, idempotencyKey: string, names: CatalogueNames): CreateOutcome;
  get(id: string): StoredRequest | undefined;
  /** The user's requests, newest first. */
  listByUser(telegramUserId: number, limit: number): readonly StoredRequest[];
  /** One page of the user's requests, newest first, and whether older ones follow. */
  listPage(telegramUserId: number, query: ListPageQuery): { readonly items: readonly StoredRequest[]; readonly more: boolean };
  all(): readonly StoredRequest[];
  /** Moves a request to a status and records it in the history; undefined for unknown ids. */
  setStatus(id: string, status: RequestStatus, comment?: string): StoredRequest | undefined;
  /** Cancel, confirm, reopen or rate, once per idempotency key, for the request's owner only. */
  act(id: string, call: LifecycleCall, idempotencyKey: string): LifecycleOutcome;
  /** Every lifecycle call so far, in order. */
  lifecycleLog(): readonly LifecycleRecord[];
}

export interface RequestStoreOptions {
  /** The clock; tests pin it. */
  readonly now?: () => Date;
  readonly firstNumber?: number;
  /** How often a customer may refuse a solution; one more is answered 409 `reopen_limit`. */
  readonly maxReopens?: number;
  /** Take customers' comments on closed, rejected and cancelled requests too, as some helpdesks do. */
  readonly commentsWhenClosed?: boolean;
}

const CANCELLABLE: readonly RequestStatus[] = ['new', 'in_progress', 'waiting_for_customer'];
const RATEABLE: readonly RequestStatus[] = ['resolved', 'closed'];

export function createRequestStore(options: RequestStoreOptions = {}): RequestStore {
  const now = options.now ?? (() => new Date());
  const firstNumber = options.firstNumber ?? 1001;
  const byId = new Map<string, StoredRequest>();
  const byKey = new Map<string, { readonly id: string; readonly fingerprint: string }>();
  const commentKeys = new Map<string, { readonly requestId: string; readonly commentId: string; readonly fingerprint: string }>();
  const actionKeys = new Map<string, { readonly id: string; readonly fingerprint: string }>();
  const log: LifecycleRecord[] = [];
  const maxReopens = options.maxReopens ?? 2;
  let sequence = 0;
  let commentSequence = 0;

  function appendComment(request: StoredRequest, comment: Omit<Comment, 'id' | 'at'>): Comment {
    const at = now().toISOString();
    const stored: Comment = { ...comment, id: `c${++commentSequence}`, at };
    byId.set(request.id, { ...request, updated_at: at, comments: [...request.comments, stored] });
    return stored;
  }

  function replace(current: StoredRequest, change: Partial<StoredRequest>, status?: RequestStatus, comment?: string): StoredRequest {
    const at = now().toISOString();
    const next: StoredRequest = {
      ...current,
      ...change,
      updated_at: at,
      ...(status !== undefined && { status, status_history: [...current.status_history, { status, at, comment }] }),
    };
    byId.set(next.id, next);
    return next;
  }

  /** The change a call makes, or why the request's state refuses it. */
  function apply(current: StoredRequest, call: LifecycleCall): StoredRequest | LifecycleRefusal {
    switch (call.action) {
      case 'cancel':
        return CANCELLABLE.includes(current.status) ? replace(current, {}, 'cancelled', call.body.reason) : 'invalid_status';
      case 'confirm':
        return current.status === 'resolved' ? replace(current, {}, 'closed') : 'invalid_status';
      case 'reopen': {
        if (current.status !== 'resolved') return 'invalid_status';
        if (current.reopen_count >= maxReopens) return 'reopen_limit';
        const attachments = [...current.attachments, ...(call.body.attachments ?? [])];
        return replace(current, { reopen_count: current.reopen_count + 1, attachments }, 'in_progress', call.body.reason);
      }
      case 'rating': {
        if (current.rating !== undefined) return 'already_rated';
        if (!RATEABLE.includes(current.status)) return 'invalid_status';
        const rating: Rating = { score: call.body.score, comment: call.body.comment, at: now().toISOString() };
        return replace(current, { rating });
      }
      case 'cancel-reason': {
        if (current.status !== 'cancelled') return 'invalid_status';
        // The reason belongs to the cancellation: its entry in the history carries it.
        const last = current.status_history.findLastIndex((entry) => entry.status === 'cancelled');
        const status_history = current.status_history.map((entry, i) => (i === last ? { ...entry, comment: call.body.reason } : entry));
        return replace(current, { status_history });
      }
      case 'rating-comment':
        if (current.rating === undefined) return 'not_rated';
        return replace(current, { rating: { ...current.rating, comment: call.body.comment } });
    }
  }

  return {
    create(body, idempotencyKey, names) {
      const fingerprint = JSON.stringify(body);
      const seen = byKey.get(idempotencyKey);
      const earlier = seen === undefined ? undefined : byId.get(seen.id);
      if (seen !== undefined && earlier !== undefined) {
        return { outcome: seen.fingerprint === fingerprint ? 'replayed' : 'conflict', request: earlier };
      }
      const at = now().toISOString();
      const request: StoredRequest = {
        id: randomUUID(),
        number: `SR-${firstNumber + sequence}`,
        status: 'new',
        created_at: at,
        updated_at: at,
        request_type_id: body.request_type_id,
        side_id: body.side_id,
        category_id: body.category_id,
        request_type_name: names.requestTypeName,
        side_name: names.sideName,
        category_name: names.categoryName,
        description: body.description,
        contact_phone: body.contact_phone,
        location: body.location,
        geo: body.geo,
        attachments: body.attachments ?? [],
        telegram: body.telegram,
        status_history: [{ status: 'new', at, comment: undefined }],
        comments: [],
        idempotency_key: idempotencyKey,
        sequence: sequence++,
        rating: undefined,
        reopen_count: 0,
      };
      byId.set(request.id, request);
      byKey.set(idempotencyKey, { id: request.id, fingerprint });
      return { outcome: 'created', request };
    },
    addCustomerComment(requestId, body, idempotencyKey) {
      const fingerprint = JSON.stringify(body);
      const seen = commentKeys.get(idempotencyKey);
      if (seen !== undefined) {
        if (seen.requestId !== requestId || seen.fingerprint !== fingerprint) return { outcome: 'conflict' };
        const comment = byId.get(requestId)?.comments.find((c) => c.id === seen.commentId);
        if (comment !== undefined) return { outcome: 'replayed', comment };
      }
      const request = byId.get(requestId);
      // Not the person's request looks exactly like no request: nothing to learn by guessing ids.
      if (request === undefined || request.telegram.user_id !== body.telegram_user_id) return { outcome: 'not_found' };
      if (!isOpenStatus(request.status) && options.commentsWhenClosed !== true) return { outcome: 'closed' };
      const comment = appendComment(request, {
        author: 'customer',
        author_name: undefined,
        text: body.text,
        attachments: body.attachments ?? [],
        ...(body.correction_of !== undefined && { correction_of: body.correction_of }),
      });
      commentKeys.set(idempotencyKey, { requestId, commentId: comment.id, fingerprint });
      return { outcome: 'created', comment };
    },
    addAgentComment(requestId, comment) {
      const request = byId.get(requestId);
      if (request === undefined) return undefined;
      return appendComment(request, { author: 'agent', author_name: comment.author_name, text: comment.text, attachments: [...(comment.attachments ?? [])] });
    },
    editAgentComment(requestId, commentId, text) {
      const request = byId.get(requestId);
      const comment = request?.comments.find((c) => c.id === commentId && c.author === 'agent');
      if (request === undefined || comment === undefined) return undefined;
      const edited: Comment = { ...comment, text };
      byId.set(request.id, { ...request, updated_at: now().toISOString(), comments: request.comments.map((c) => (c === comment ? edited : c)) });
      return edited;
    },
    editCustomerComment(requestId, commentId, body, idempotencyKey) {
      const fingerprint = JSON.stringify({ commentId, body });
      const seen = commentKeys.get(idempotencyKey);
      if (seen !== undefined && (seen.requestId !== requestId || seen.fingerprint !== fingerprint)) return { outcome: 'conflict' };
      const request = byId.get(requestId);
      const comment = request?.comments.find((c) => c.id === commentId && c.author === 'customer');
      // Not the person's request or comment looks exactly like none at all.
      if (request === undefined || comment === undefined || request.telegram.user_id !== body.telegram_user_id) return { outcome: 'not_found' };
      if (seen !== undefined) return { outcome: 'replayed', comment };
      const edited: Comment = { ...comment, text: body.text, edited_at: now().toISOString() };
      byId.set(request.id, { ...request, updated_at: now().toISOString(), comments: request.comments.map((c) => (c === comment ? edited : c)) });
      commentKeys.set(idempotencyKey, { requestId, commentId, fingerprint });
      return { outcome: 'created', comment: edited };
    },
    get: (id) => byId.get(id),
    listByUser(telegramUserId, limit) {
      return [...byId.values()]
        .filter((request) => request.telegram.user_id === telegramUserId)
        .sort((a, b) => b.sequence - a.sequence)
        .slice(0, limit);
    },
    listPage(telegramUserId, query) {
      const mine = [...byId.values()]
        .filter((request) => request.telegram.user_id === telegramUserId)
        .filter((request) => query.beforeSequence === undefined || request.sequence < query.beforeSequence)
        .filter((request) => query.openOnly !== true || isOpenStatus(request.status))
        .sort((a, b) => b.sequence - a.sequence);
      return { items: mine.slice(0, query.limit), more: mine.length > query.limit };
    },
    all: () => [...byId.values()],
    setStatus(id, status, comment) {
      const current = byId.get(id);
      return current === undefined ? undefined : replace(current, {}, status, comment);
    },
    act(id, call, idempotencyKey) {
      const record = (outcome: LifecycleOutcome): LifecycleOutcome => {
        log.push({ action: call.action, requestId: id, key: idempotencyKey, outcome: outcome.outcome });
        return outcome;
      };
      const current = byId.get(id);
      // Someone else's request is as good as none: its existence is not revealed.
      if (current === undefined || current.telegram.user_id !== call.body.telegram_user_id) return record({ outcome: 'not-found' });
      const fingerprint = JSON.stringify([call.action, id, call.body]);
      const seen = actionKeys.get(idempotencyKey);
      if (seen !== undefined) {
        return record(
          seen.fingerprint === fingerprint
            ? { outcome: 'replayed', request: current }
            : { outcome: 'refused', code: 'idempotency_conflict', request: current },
        );
      }
      const result = apply(current, call);
      if (typeof result === 'string') return record({ outcome: 'refused', code: result, request: current });
      actionKeys.set(idempotencyKey, { id, fingerprint });
      return record({ outcome: 'applied', request: result });
    },
    lifecycleLog: () => [...log],
  };
}

/** The answer to `POST /requests`. */
export function toCreatedRequest(request: StoredRequest): CreatedRequest {
  return { id: request.id, number: request.number, status: request.status, created_at: request.created_at };
}

/** An item of `GET /requests`. */
export function toRequestSummary(request: StoredRequest): RequestSummary {
  return {
    id: request.id,
    number: request.number,
    status: request.status,
    category_name: request.category_name,
    created_at: request.created_at,
    updated_at: request.updated_at,
  };
}

/** The answer to `GET /requests/{id}` as sent: a missing history comment is `null`. */
export function toRequestDetails(request: StoredRequest): InferInput<typeof RequestDetailsSchema> {
  return {
    ...toRequestSummary(request),
    telegram_user_id: request.telegram.user_id,
    request_type_name: request.request_type_name,
    side_name: request.side_name,
    description: request.description,
    location: request.location ?? null,
    geo: request.geo ?? null,
    rating: request.rating === undefined ? null : { ...request.rating, comment: request.rating.comment ?? null },
    attachments: [...request.attachments],
    status_history: request.status_history.map((entry) => ({ ...entry, comment: entry.comment ?? null })),
    comments: request.comments.map((comment) => ({ ...comment, attachments: [...comment.attachments] })),
  };
}
