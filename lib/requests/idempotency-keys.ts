import { createHash } from 'node:crypto';
import type { RequestDetails } from '../backend/schemas.js';

/**
 * The Idempotency-Keys of what a person does to their requests, shared by the chat and the Mini App:
 * the same intent sends the same key from either, so a tap in the chat and one in the app act once.
 */

export type LifecycleAction = 'cancel' | 'confirm' | 'reopen' | 'rating';

/**
 * The key of a lifecycle call. It names the person, the request and the intent, and nothing about
 * the update or the page: a double tap, a redelivery, a retry after a failure, and the same tap in
 * the other surface all send the same key, so the backend acts once. A request is cancelled,
 * confirmed and rated at most once; it may be reopened once per resolution, so reopening adds that
 * resolution's `round`.
 */
export function lifecycleKey(userId: number, action: LifecycleAction, requestId: string, round?: string): string {
  return `tg-${userId}-${action}-${requestId}${round === undefined ? '' : `-${round}`}`;
}

/** The resolution a reopening refuses: the time of the request's latest `resolved` entry, in base 36. */
export function resolutionRound(details: RequestDetails): string {
  const resolved = details.status_history.filter((entry) => entry.status === 'resolved').at(-1);
  const at = resolved === undefined ? Number.NaN : Date.parse(resolved.at);
  return Number.isNaN(at) ? '0' : at.toString(36);
}

/**
 * The key of a submission: the person and the draft. A draft is made once (in the chat or in the
 * app) and every retry of its Confirm names it, so the backend creates the request once.
 */
export function submissionKey(userId: number, draftId: string): string {
  return `tg-${userId}-${draftId}`;
}

/**
 * The key of a comment written in the Mini App: the page makes one key per comment it composes and
 * sends it again on a retry, so a comment whose answer was lost is added once.
 */
export function appCommentKey(userId: number, pageKey: string): string {
  return `tg-${userId}-app-${pageKey}`;
}

/**
 * The keys of a follow-up text sent from the Mini App (a cancellation's reason, a rating's comment):
 * named by the text itself, so the page's retry of the same text attaches it once and another text
 * is new. `comment` is the key of the fallback comment on a backend without the follow-up call.
 */
export function appFollowUpKeys(userId: number, followUp: 'cancel-reason' | 'rating-comment', requestId: string, text: string): { readonly followUp: string; readonly comment: string } {
  const digest = createHash('sha256').update(text).digest('base64url').slice(0, 16);
  return { followUp: `tg-${userId}-${followUp}-${requestId}-app-${digest}`, comment: `tg-${userId}-app-${followUp}-${requestId}-${digest}` };
}
