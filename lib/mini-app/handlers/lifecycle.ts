import * as v from 'valibot';
import { BackendError } from '../../backend/backend-error.js';
import { RATING_MAX, RATING_MIN, type RequestDetails } from '../../backend/schemas.js';
import { lifecycleKey, resolutionRound, type LifecycleAction } from '../../requests/idempotency-keys.js';
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
    // A second tap after the first went through (or the same tap in the chat) sees the outcome again.
    if (alreadyDone(action, details)) return answer(200, requestView(details, userId, deps.fileLinks));
    const possible = action === 'cancel' ? allowed.cancel : action === 'rating' ? allowed.rate || details.status === 'resolved' : allowed.resolve;
    if (!possible) return failure(409, 'not_allowed', `the request is ${details.status}`, { request: requestView(details, userId, deps.fileLinks) });
    const { backend } = deps.services;
    const body = parsed.output as { reason?: string; score?: number; comment?: string };
    const reason = body.reason === '' ? undefined : body.reason;
    const comment = body.comment === '' ? undefined : body.comment;
    try {
      let after: RequestDetails;
      switch (action) {
        case 'cancel':
          after = await backend.cancelRequest(details.id, { telegram_user_id: userId, ...(reason !== undefined && { reason }) }, lifecycleKey(userId, 'cancel', details.id));
          break;
        case 'confirm':
          after = await backend.confirmResolution(details.id, { telegram_user_id: userId }, lifecycleKey(userId, 'confirm', details.id));
          break;
        case 'reopen':
          after = await backend.reopenRequest(details.id, { telegram_user_id: userId, reason: reason as string }, lifecycleKey(userId, 'reopen', details.id, resolutionRound(details)));
          break;
        case 'rating':
          after = await backend.rateRequest(details.id, { telegram_user_id: userId, score: body.score as number, ...(comment !== undefined && { comment }) }, lifecycleKey(userId, 'rating', details.id));
          break;
      }
      call.log.info({ request_id: after.id, action, status: after.status }, 'request action done');
      return answer(200, requestView(after, userId, deps.fileLinks));
    } catch (error) {
      if (!(error instanceof BackendError)) throw error;
      if (error.status === 409) {
        call.log.info({ action, code: error.code }, 'request action refused by the backend');
        return failure(409, error.code ?? 'not_allowed', 'the backend refused it in the request\'s current state');
      }
      call.log.error({ err: error, action }, 'request action failed');
      return failure(503, 'backend_unavailable', 'that did not go through, retry later (it will not act twice)');
    }
  };
}

function alreadyDone(action: LifecycleAction, details: RequestDetails): boolean {
  if (action === 'cancel') return details.status === 'cancelled';
  if (action === 'confirm') return details.status === 'closed';
  if (action === 'rating') return details.rating !== undefined;
  return false;
}
