import * as v from 'valibot';
import { BackendError } from '../../backend/backend-error.js';
import { RATING_MAX, RATING_MIN, type RequestDetails } from '../../backend/schemas.js';
import { appFollowUpKeys, lifecycleKey, resolutionRound, type LifecycleAction } from '../../requests/idempotency-keys.js';
import { attachFollowUp } from '../../requests/follow-up.js';
import { MAX_REASON_LENGTH } from '../../requests/limits.js';
import { requestActions } from '../../requests/request-rules.js';
import { answer, failure, type AppAnswer, type AppCall, type MiniAppDeps } from '../deps.js';
import { requestView } from '../request-view.js';
import { isAnswer, ownedOr } from './owned.js';

const Reason = v.pipe(v.string(), v.trim(), v.maxLength(MAX_REASON_LENGTH, `at most ${MAX_REASON_LENGTH} characters`));
const Bodies = {
  cancel: v.object({ reason: v.optional(Reason) }),
  confirm: v.object({}),
  reopen: v.object({ reason: v.pipe(Reason, v.nonEmpty('say what is still wrong')) }),
  rating: v.object({ score: v.pipe(v.number(), v.integer(), v.minValue(RATING_MIN), v.maxValue(RATING_MAX)), comment: v.optional(Reason) }),
} satisfies Record<LifecycleAction, v.GenericSchema>;

/**
 * `POST /api/app/requests/:id/{cancel,confirm,reopen,rating}`: the chat's lifecycle calls with the
 * chat's Idempotency-Keys (lib/requests/idempotency-keys.ts), so the same tap in the chat and in the
 * app acts once. Answers the request as it stands afterwards; 409 with the backend's code (or
 * `not_allowed`) when its status does not allow it.
 */
export function createLifecycle(deps: Pick<MiniAppDeps, 'services' | 'fileLinks'>, action: LifecycleAction) {
  return async (call: AppCall): Promise<AppAnswer> => {
    const parsed = v.safeParse(Bodies[action], call.body ?? {});
    if (!parsed.success) return failure(400, 'invalid_body', parsed.issues.map((issue) => `${v.getDotPath(issue) ?? 'body'}: ${issue.message}`).join('; '));
    const details = await ownedOr(deps, call, `app-${action}`);
    if (isAnswer(details)) return details;
    const userId = call.user.id;
    const allowed = requestActions(details);
    const body = parsed.output as { reason?: string; score?: number; comment?: string };
    const reason = body.reason === '' ? undefined : body.reason;
    const comment = body.comment === '' ? undefined : body.comment;
    // What follows the act: sent after it, as the chat does, so the act has one body under its key.
    const followUp = action === 'cancel' && reason !== undefined ? { kind: 'cancel-reason' as const, text: reason } : action === 'rating' && comment !== undefined ? { kind: 'rating-comment' as const, text: comment } : undefined;
    // A second tap after the first went through (or the same tap in the chat) sees the outcome
    // again, with the text it carries attached.
    if (alreadyDone(action, details)) return afterAct(details);
    const possible = action === 'cancel' ? allowed.cancel : action === 'rating' ? allowed.rate || details.status === 'resolved' : allowed.resolve;
    if (!possible) return failure(409, 'not_allowed', `the request is ${details.status}`, { request: requestView(details, userId, deps.fileLinks) });
    const { backend } = deps.services;
    let after: RequestDetails;
    try {
      switch (action) {
        case 'cancel':
          after = await backend.cancelRequest(details.id, { telegram_user_id: userId }, lifecycleKey(userId, 'cancel', details.id));
          break;
        case 'confirm':
          after = await backend.confirmResolution(details.id, { telegram_user_id: userId }, lifecycleKey(userId, 'confirm', details.id));
          break;
        case 'reopen':
          after = await backend.reopenRequest(details.id, { telegram_user_id: userId, reason: reason as string }, lifecycleKey(userId, 'reopen', details.id, resolutionRound(details)));
          break;
        case 'rating':
          after = await backend.rateRequest(details.id, { telegram_user_id: userId, score: body.score as number }, lifecycleKey(userId, 'rating', details.id));
          break;
      }
      call.log.info({ request_id: after.id, action, status: after.status }, 'request action done');
    } catch (error) {
      if (!(error instanceof BackendError)) throw error;
      if (error.status === 409) {
        call.log.info({ action, code: error.code }, 'request action refused by the backend');
        return failure(409, error.code ?? 'not_allowed', 'the backend refused it in the request\'s current state');
      }
      call.log.error({ err: error, action }, 'request action failed');
      return failure(503, 'backend_unavailable', 'that did not go through, retry later (it will not act twice)');
    }
    return afterAct(after);

    /** The answer once the act stands: with its text attached first, when there is one. */
    async function afterAct(done: RequestDetails): Promise<AppAnswer> {
      if (followUp === undefined) return answer(200, requestView(done, userId, deps.fileLinks));
      const keys = appFollowUpKeys(userId, followUp.kind, done.id, followUp.text);
      const outcome = await attachFollowUp({ backend: deps.services.backend, log: call.log, userId, requestId: done.id, followUp: followUp.kind, text: followUp.text, key: keys.followUp, commentKey: keys.comment });
      // The act is done either way; only a failure leaves the text to be sent again (the same call again attaches it once).
      if (outcome.kind === 'failed') return failure(503, 'follow_up_failed', `the request is ${done.status}, but the text did not go through: send it again`);
      return answer(200, requestView(outcome.kind === 'attached' && outcome.as === 'follow-up' ? outcome.details : done, userId, deps.fileLinks));
    }
  };
}

function alreadyDone(action: LifecycleAction, details: RequestDetails): boolean {
  if (action === 'cancel') return details.status === 'cancelled';
  if (action === 'confirm') return details.status === 'closed';
  if (action === 'rating') return details.rating !== undefined;
  return false;
}
