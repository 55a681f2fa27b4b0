import { randomUUID } from 'node:crypto';
import type { InferInput } from 'valibot';
import type {
  Attachment,
  Comment,
  CommentFile,
  CreatedRequest,
  NewComment,
  NewRequest,
  RequestDetailsSchema,
  RequestStatus,
  RequestSummary,
  StatusHistoryEntry,
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
  readonly attachments: readonly Attachment[];
  readonly telegram: NewRequest['telegram'];
  readonly status_history: readonly StatusHistoryEntry[];
  /** The thread, oldest first. */
  readonly comments: readonly Comment[];
  readonly idempotency_key: string;
  /** Creation order; breaks ties between requests created in the same millisecond. */
  readonly sequence: number;
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

/** Statuses in which a request no longer takes comments. */
export const CLOSED_STATUSES: readonly RequestStatus[] = ['closed', 'rejected'];

export interface RequestStore {
  /** A person's comment on their own request; the same key again gives the same comment. */
  addCustomerComment(requestId: string, body: NewComment, idempotencyKey: string): CommentOutcome;
  /** An agent's comment (the demo's stand-in for the service desk's staff). */
  addAgentComment(requestId: string, comment: { readonly text?: string; readonly author_name?: string; readonly attachments?: readonly CommentFile[] }): Comment | undefined;
  /** Creates a request, or returns the one created earlier with the same idempotency key. */
  create(body: NewRequest, idempotencyKey: string, names: CatalogueNames): CreateOutcome;
  get(id: string): StoredRequest | undefined;
  /** The user's requests, newest first. */
  listByUser(telegramUserId: number, limit: number): readonly StoredRequest[];
  all(): readonly StoredRequest[];
  /** Moves a request to a status and records it in the history; undefined for unknown ids. */
  setStatus(id: string, status: RequestStatus, comment?: string): StoredRequest | undefined;
}

export interface RequestStoreOptions {
  /** The clock; tests pin it. */
  readonly now?: () => Date;
  readonly firstNumber?: number;
}

export function createRequestStore(options: RequestStoreOptions = {}): RequestStore {
  const now = options.now ?? (() => new Date());
  const firstNumber = options.firstNumber ?? 1001;
  const byId = new Map<string, StoredRequest>();
  const byKey = new Map<string, { readonly id: string; readonly fingerprint: string }>();
  const commentKeys = new Map<string, { readonly requestId: string; readonly commentId: string; readonly fingerprint: string }>();
  let sequence = 0;
  let commentSequence = 0;

  function appendComment(request: StoredRequest, comment: Omit<Comment, 'id' | 'at'>): Comment {
    const at = now().toISOString();
    const stored: Comment = { ...comment, id: `c${++commentSequence}`, at };
    byId.set(request.id, { ...request, updated_at: at, comments: [...request.comments, stored] });
    return stored;
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
        attachments: body.attachments ?? [],
        telegram: body.telegram,
        status_history: [{ status: 'new', at, comment: undefined }],
        comments: [],
        idempotency_key: idempotencyKey,
        sequence: sequence++,
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
      if (CLOSED_STATUSES.includes(request.status)) return { outcome: 'closed' };
      const comment = appendComment(request, { author: 'customer', author_name: undefined, text: body.text, attachments: body.attachments ?? [] });
      commentKeys.set(idempotencyKey, { requestId, commentId: comment.id, fingerprint });
      return { outcome: 'created', comment };
    },
    addAgentComment(requestId, comment) {
      const request = byId.get(requestId);
      if (request === undefined) return undefined;
      return appendComment(request, { author: 'agent', author_name: comment.author_name, text: comment.text, attachments: [...(comment.attachments ?? [])] });
    },
    get: (id) => byId.get(id),
    listByUser(telegramUserId, limit) {
      return [...byId.values()]
        .filter((request) => request.telegram.user_id === telegramUserId)
        .sort((a, b) => b.sequence - a.sequence)
        .slice(0, limit);
    },
    all: () => [...byId.values()],
    setStatus(id, status, comment) {
      const current = byId.get(id);
      if (current === undefined) return undefined;
      const at = now().toISOString();
      const next: StoredRequest = {
        ...current,
        status,
        updated_at: at,
        status_history: [...current.status_history, { status, at, comment }],
      };
      byId.set(id, next);
      return next;
    },
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
    attachments: [...request.attachments],
    status_history: request.status_history.map((entry) => ({ ...entry, comment: entry.comment ?? null })),
    comments: request.comments.map((comment) => ({ ...comment, attachments: [...comment.attachments] })),
  };
}
