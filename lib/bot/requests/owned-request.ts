import { BackendError } from '../../backend/backend-error.js';
import type { RequestDetails } from '../../backend/schemas.js';
import type { BotContext } from '../context.js';

/** How many of the person's requests are checked when the backend does not name a request's owner. */
const OWNERSHIP_LIST_LIMIT = 10;

export type OwnedRequest =
  | { readonly found: true; readonly details: RequestDetails }
  /** `not-found`: no such request, or not this person's (the two look the same on purpose). */
  | { readonly found: false; readonly reason: 'not-found' | 'unavailable' };

/**
 * A request by id, only when it belongs to the person in `ctx`. Ids come from buttons and
 * replies, which anyone can forge: nothing about someone else's request is shown or acted on.
 */
export async function loadOwnedRequest(ctx: BotContext, requestId: string): Promise<OwnedRequest> {
  const userId = ctx.from?.id;
  if (userId === undefined) return { found: false, reason: 'not-found' };
  try {
    const request = await ctx.deps.backend.getRequest(requestId);
    // Backends that name the owner answer in one call; others are checked against the person's list.
    const owned =
      request.telegram_user_id !== undefined
        ? request.telegram_user_id === userId
        : (await ctx.deps.backend.listRequests(userId, OWNERSHIP_LIST_LIMIT)).some((item) => item.id === request.id);
    if (owned) return { found: true, details: request };
  } catch (error) {
    if (!(error instanceof BackendError)) throw error;
    if (error.status !== 404) {
      ctx.log.error({ err: error }, 'loading a request failed');
      return { found: false, reason: 'unavailable' };
    }
  }
  ctx.log.warn({ request_id: requestId }, 'request not shown: not found or not owned by the person');
  return { found: false, reason: 'not-found' };
}
