import { answer, type AppAnswer, type AppCall, type MiniAppDeps } from '../deps.js';
import { requestView } from '../request-view.js';
import { isAnswer, ownedOr } from './owned.js';

/** `GET /api/app/requests/:id`: the whole request, its thread and what the person may do, only when it is theirs. */
export function createRequestDetails(deps: Pick<MiniAppDeps, 'services' | 'fileLinks'>) {
  return async (call: AppCall): Promise<AppAnswer> => {
    const details = await ownedOr(deps, call, 'app-request');
    if (isAnswer(details)) return details;
    return answer(200, requestView(details, call.user.id, deps.fileLinks));
  };
}
