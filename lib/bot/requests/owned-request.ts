import { loadOwnedRequest as loadOwned, type OwnedRequest } from '../../requests/owned-request.js';
import type { BotContext } from '../context.js';
import { button, show } from '../views/screen.js';

export type { OwnedRequest } from '../../requests/owned-request.js';

/**
 * The person's own request, for an action on it: the shared loader (lib/requests/owned-request.ts)
 * with the update's person, logger and handler.
 */
export function loadOwnedRequest(ctx: BotContext, requestId: string): Promise<OwnedRequest> {
  return loadOwned({ backend: ctx.deps.backend, log: ctx.log, handler: ctx.handler, language: ctx.lang }, ctx.from?.id, requestId);
}

/** What the person sees when the request cannot be acted on: not theirs (or gone), or the backend is down. */
export async function showNotOwned(ctx: BotContext, result: Exclude<OwnedRequest, { kind: 'owned' }>): Promise<void> {
  const { t, lang } = ctx;
  const text = result.kind === 'not-found' ? t.requestNotFound : t.requestsUnavailable;
  await show(ctx, { text, buttons: [[button(t.buttonMyRequests, { kind: 'my-requests', lang })]] });
}
