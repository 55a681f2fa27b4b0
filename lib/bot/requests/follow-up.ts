import { BackendError } from '../../backend/backend-error.js';
import type { BotContext } from '../context.js';

/** The optional text that follows an act done at the tap: why a request was cancelled, what a rating means. */
export type FollowUp = 'cancel-reason' | 'rating-comment';

export type FollowUpOutcome =
  /** Attached to the act (`follow-up`), or added to the thread (`comment`) by a backend without the follow-up call. */
  | { readonly kind: 'attached'; readonly as: 'follow-up' | 'comment' }
  /** 409: the request does not take it (a backend without the follow-up that takes no comments on a closed request). */
  | { readonly kind: 'refused'; readonly code: string | undefined }
  /** The backend failed or did not answer; the same message may be sent again. */
  | { readonly kind: 'failed' };

/**
 * Attaches the text that follows an act the person already made (the cancellation, the score):
 * `PATCH /requests/{id}/cancel` or `/rating`. A backend written before those calls answers 404 or
 * 405 (the request itself was checked just before); the text then goes to the request as an
 * ordinary comment, so what the person wrote still reaches the desk.
 *
 * The Idempotency-Key names the person, the follow-up, the request and the update: Telegram's
 * redelivery of the message attaches it once, while another message (after a failure) is a new text.
 */
export async function attachFollowUp(ctx: BotContext, requestId: string, followUp: FollowUp, text: string): Promise<FollowUpOutcome> {
  const userId = ctx.from?.id;
  if (userId === undefined) return { kind: 'failed' };
  const { backend } = ctx.deps;
  const key = `tg-${userId}-${followUp}-${requestId}-u${ctx.update.update_id}`;
  try {
    if (followUp === 'cancel-reason') await backend.attachCancelReason(requestId, { telegram_user_id: userId, reason: text }, key);
    else await backend.attachRatingComment(requestId, { telegram_user_id: userId, comment: text }, key);
    ctx.log.info({ request_id: requestId, follow_up: followUp }, 'follow-up attached');
    return { kind: 'attached', as: 'follow-up' };
  } catch (error) {
    if (!(error instanceof BackendError)) throw error;
    if (error.status === 404 || error.status === 405) return asComment(ctx, userId, requestId, followUp, text);
    if (error.status === 409) {
      ctx.log.info({ request_id: requestId, follow_up: followUp, code: error.code }, 'follow-up refused by the backend');
      return { kind: 'refused', code: error.code };
    }
    ctx.log.error({ err: error, request_id: requestId, follow_up: followUp }, 'attaching a follow-up failed');
    return { kind: 'failed' };
  }
}

/** The fallback: the text as a comment of the person's, under the key a comment of this message has. */
async function asComment(ctx: BotContext, userId: number, requestId: string, followUp: FollowUp, text: string): Promise<FollowUpOutcome> {
  ctx.log.info({ request_id: requestId, follow_up: followUp }, 'the backend has no follow-up call; sending the text as a comment');
  try {
    await ctx.deps.backend.addComment(requestId, { telegram_user_id: userId, text }, `tg-${userId}-u${ctx.update.update_id}`);
    return { kind: 'attached', as: 'comment' };
  } catch (error) {
    if (!(error instanceof BackendError)) throw error;
    if (error.status === 409 || error.status === 404) {
      ctx.log.info({ request_id: requestId, follow_up: followUp, status: error.status }, 'follow-up comment refused by the backend');
      return { kind: 'refused', code: error.code };
    }
    ctx.log.error({ err: error, request_id: requestId, follow_up: followUp }, 'sending a follow-up as a comment failed');
    return { kind: 'failed' };
  }
}
