import { RATING_MAX, RATING_MIN, type Rating, type RequestDetails } from '../../backend/schemas.js';
import { requestActions } from '../../requests/request-rules.js';
import type { Lang, Messages } from '../../i18n/index.js';
import { escapeHtml } from './html.js';
import { button, type Button, type Screen } from './screen.js';

export { CANCELLABLE } from '../../requests/request-rules.js';

/**
 * What the person can do with their request on its details screen, by status: cancel it while it
 * is open, confirm or refuse a solution, rate it once it is closed. Rows above Refresh and Back.
 */
export function requestActionButtons(t: Messages, lang: Lang, details: RequestDetails): Button[][] {
  const actions = requestActions(details);
  if (actions.cancel) return [[button(t.buttonCancelRequest, { kind: 'cancel-ask', lang, requestId: details.id })]];
  if (actions.resolve) return [resolutionRow(t, details.id)];
  if (actions.rate) return [ratingRow(details.id)];
  return [];
}

/** ✅ Solved and ↩️ Still a problem, on a resolved request (details and its notification). */
export function resolutionRow(t: Messages, requestId: string): Button[] {
  return [button(t.buttonSolved, { kind: 'solved', requestId }), button(t.buttonStillAProblem, { kind: 'reopen', requestId })];
}

/** One tap rates: 1⭐ to 5⭐ on one row. */
export function ratingRow(requestId: string): Button[] {
  const scores = Array.from({ length: RATING_MAX - RATING_MIN + 1 }, (_, i) => RATING_MIN + i);
  return scores.map((score) => button(`${score}⭐`, { kind: 'rate', requestId, score }));
}

export function stars(score: number): string {
  return '⭐'.repeat(score);
}

/** The rating line of the details screen, empty while there is none. */
export function ratingLine(t: Messages, rating: Rating | undefined): string {
  return rating ? `\n\n${t.ratingLine(stars(rating.score), rating.comment === undefined ? undefined : escapeHtml(rating.comment))}` : '';
}

/** After an action: what happened, with the request's details and the list one tap away. */
export function outcomeScreen(t: Messages, lang: Lang, text: string, request: { readonly id: string; readonly number: string }, extra: Button[][] = []): Screen {
  return {
    text,
    about: { requestId: request.id, number: request.number },
    buttons: [
      ...extra,
      [button(t.buttonViewRequest(request.number), { kind: 'request', lang, requestId: request.id }), button(t.buttonMyRequests, { kind: 'my-requests', lang })],
    ],
  };
}
