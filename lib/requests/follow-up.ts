import type { BackendClient } from '../backend/backend-client.js';
import { BackendError } from '../backend/backend-error.js';
import type { RequestDetails } from '../backend/schemas.js';
import type { Logger } from '../logger.js';

/** The optional text that follows an act done at the tap: why a request was cancelled, what a rating means. */
export type FollowUp = 'cancel-reason' | 'rating-comment';

export type FollowUpOutcome =
  /**
   * Attached to the act (`follow-up`, with the request as it stands), or added to the thread
   * (`comment`) by a backend without the follow-up call.
   */
  | { readonly kind: 'attached'; readonly as: 'follow-up'; readonly details: RequestDetails }
  | { readonly kind: 'attached'; readonly as: 'comment' }
  /** 409: the request does not take it (a backend without the follow-up that takes no comments on a closed request). */
  | { readonly kind: 'refused'; readonly code: string | undefined }
  /** The backend failed or did not answer; the same text may be sent again. */
  | { readonly kind: 'failed' };

export interface AttachFollowUp {
  readonly backend: Pick<BackendClient, 'attachCancelReason' | 'attachRatingComment' | 'addComment'>;
  readonly log: Logger;
  readonly userId: number;
  readonly requestId: string;
  readonly followUp: FollowUp;
  readonly text: string;
  /** Names this text once: a redelivery or a retry of it attaches it once, another text is new. */
  readonly key: string;
  /** The key of the fallback comment. */
  readonly commentKey: string;
}

/**
 * Attaches the text that follows an act the person already made (the cancellation, the score):
 * `PATCH /requests/{id}/cancel` or `/rating`. The chat and the Mini App both send the act bare and
 * the text after it, so the act has one body under its key whichever surface sends it. A backend
 * written before those calls answers 404 or 405 (the request itself was checked just before); the
 * text then goes to the request as an ordinary comment, so what the person wrote still reaches the desk.
 */
export async function attachFollowUp(call: AttachFollowUp): Promise<FollowUpOutcome> {
  const { backend, log, userId, requestId, followUp, text, key } = call;
  try {
    const details =
      followUp === 'cancel-reason'
        ? await backend.attachCancelReason(requestId, { telegram_user_id: userId, reason: text }, key)
        : await backend.attachRatingComment(requestId, { telegram_user_id: userId, comment: text }, key);
    log.info({ request_id: requestId, follow_up: followUp }, 'follow-up attached');
    return { kind: 'attached', as: 'follow-up', details };
  } catch (error) {
    if (!(error instanceof BackendError)) throw error;
    if (error.status === 404 || error.status === 405) return asComment(call);
    if (error.status === 409) {
      log.info({ request_id: requestId, follow_up: followUp, code: error.code }, 'follow-up refused by the backend');
      return { kind: 'refused', code: error.code };
    }
    log.error({ err: error, request_id: requestId, follow_up: followUp }, 'attaching a follow-up failed');
    return { kind: 'failed' };
  }
}

/** The fallback: the text as a comment of the person's. */
async function asComment({ backend, log, userId, requestId, followUp, text, commentKey }: AttachFollowUp): Promise<FollowUpOutcome> {
  log.info({ request_id: requestId, follow_up: followUp }, 'the backend has no follow-up call; sending the text as a comment');
  try {
    await backend.addComment(requestId, { telegram_user_id: userId, text }, commentKey);
    return { kind: 'attached', as: 'comment' };
  } catch (error) {
    if (!(error instanceof BackendError)) throw error;
    if (error.status === 409 || error.status === 404) {
      log.info({ request_id: requestId, follow_up: followUp, status: error.status }, 'follow-up comment refused by the backend');
      return { kind: 'refused', code: error.code };
    }
    log.error({ err: error, request_id: requestId, follow_up: followUp }, 'sending a follow-up as a comment failed');
    return { kind: 'failed' };
  }
}
