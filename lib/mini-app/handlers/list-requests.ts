import { BackendError } from '../../backend/backend-error.js';
import { isOpenStatus } from '../../backend/schemas.js';
import { answer, failure, type AppAnswer, type AppCall, type MiniAppDeps } from '../deps.js';

/** A page of My requests in the app: a phone screen and then some, so the first scroll has rows to show. */
export const APP_PAGE_SIZE = 20;
const MAX_CURSOR_LENGTH = 1024;

/**
 * `GET /api/app/requests?filter=open|all&cursor=…`: the person's requests, newest first, one backend
 * call and no store round trip (the backend's cursor goes to the page as it is; the backend lists
 * by the person from the signed data, so a cursor made up by a page shows nothing of anyone else).
 */
export function createListRequests(deps: Pick<MiniAppDeps, 'services'>) {
  return async (call: AppCall): Promise<AppAnswer> => {
    const filter = call.query.get('filter') ?? 'all';
    if (filter !== 'open' && filter !== 'all') return failure(400, 'invalid_query', 'filter must be open or all');
    const cursor = call.query.get('cursor') ?? undefined;
    if (cursor !== undefined && (cursor === '' || cursor.length > MAX_CURSOR_LENGTH)) return failure(400, 'invalid_query', `cursor must be 1-${MAX_CURSOR_LENGTH} characters`);
    const openOnly = filter === 'open';
    try {
      const page = await deps.services.backend.listRequestPage(call.user.id, { limit: APP_PAGE_SIZE, openOnly, ...(cursor !== undefined && { cursor }) }, { language: call.lang });
      // Backends without the filter answer every status: the filter holds anyway.
      const items = openOnly ? page.items.filter((request) => isOpenStatus(request.status)) : page.items;
      return answer(200, { items, ...(page.nextCursor !== undefined && { next_cursor: page.nextCursor }) });
    } catch (error) {
      if (!(error instanceof BackendError)) throw error;
      call.log.error({ err: error }, 'listing requests failed');
      return failure(503, 'backend_unavailable', 'the requests cannot be loaded right now, retry later');
    }
  };
}
