import { BackendError } from '../../backend/backend-error.js';
import type { RequestDetails } from '../../backend/schemas.js';
import type { BotContext } from '../context.js';
import { button, show } from '../views/screen.js';

/** Requests listed when a backend does not name the owner: the ownership check looks this far back. */
const OWNERSHIP_LIST_LIMIT = 50;

export type OwnedRequest =
  | { readonly kind: 'owned'; readonly details: RequestDetails }
  /** No such request, or not this person's: told apart by nobody, so a forged id learns nothing. */
  | { readonly kind: 'not-found' }
  | { readonly kind: 'unavailable' };

/**
 * The person's own request, for an action on it. Button data can be forged, so every action loads
 * the request and checks its owner before it shows or changes anything: by `telegram_user_id` when
 * the backend names it, else against the person's own list.
 */
export async function loadOwnedRequest(ctx: BotContext, requestId: string): Promise<OwnedRequest> {
  const userId = ctx.from?.id;
  if (userId === undefined) return { kind: 'not-found' };
  try {
    const inLanguage = { language: ctx.lang };
    const request = await ctx.deps.backend.getRequest(requestId, inLanguage);
    const owned =
      request.telegram_user_id !== undefined
        ? request.telegram_user_id === userId
        : (await ctx.deps.backend.listRequests(userId, OWNERSHIP_LIST_LIMIT, inLanguage)).some((item) => item.id === request.id);
    if (owned) return { kind: 'owned', details: request };
  } catch (error) {
    if (!(error instanceof BackendError)) throw error;
    if (error.status !== 404) {
      ctx.log.error({ err: error }, 'loading a request failed');
      return { kind: 'unavailable' };
    }
  }
  ctx.log.warn({ request_id: requestId, handler: ctx.handler }, 'request refused: not found or not owned by the person');
  return { kind: 'not-found' };
}

/** What the person sees when the request cannot be acted on: not theirs (or gone), or the backend is down. */
export async function showNotOwned(ctx: BotContext, result: Exclude<OwnedRequest, { kind: 'owned' }>): Promise<void> {
  const { t, lang } = ctx;
  const text = result.kind === 'not-found' ? t.requestNotFound : t.requestsUnavailable;
  await show(ctx, { text, buttons: [[button(t.buttonMyRequests, { kind: 'my-requests', lang })]] });
}
