import type { Pending } from '../../session/session.js';
import type { BotContext } from '../context.js';
import { loadOwnedRequest } from '../requests/owned-request.js';
import { escapeHtml } from '../views/html.js';
import { mainMenu } from '../views/menus.js';
import { outcomeScreen, ratingLine, requestActionButtons } from '../views/request-actions.js';
import { acknowledge, show } from '../views/screen.js';

/**
 * Never mind (or Cancel, /cancel) on a question the bot asked: it is dropped and nothing more is
 * sent. A question about a request (a reopening's reason, a rating's or a cancellation's comment)
 * leads back to that request as it stands, with what it allows (Solved / Still a problem, the stars):
 * "SR-1042 is Closed" after Solved and a star, not "nothing changed". An admin's location: the menu.
 */
export async function neverMind(ctx: BotContext): Promise<void> {
  const pending = ctx.session.pending;
  delete ctx.session.pending;
  await acknowledge(ctx);
  const { t, lang } = ctx;
  if (pending === undefined || pending.kind === 'link-location') {
    await show(ctx, mainMenu(t, lang, t.nothingChanged));
    return;
  }
  await showWhatHolds(ctx, pending);
}

async function showWhatHolds(ctx: BotContext, pending: Exclude<Pending, { kind: 'link-location' }>): Promise<void> {
  const { t, lang } = ctx;
  const owned = await loadOwnedRequest(ctx, pending.requestId);
  if (owned.kind !== 'owned') {
    // The request cannot be read now: what is certain is that nothing more was sent.
    await show(ctx, outcomeScreen(t, lang, t.nothingMoreSent(escapeHtml(pending.number)), { id: pending.requestId, number: pending.number }));
    return;
  }
  const { details } = owned;
  const text = t.requestHolds(escapeHtml(details.number), t.status[details.status]) + ratingLine(t, details.rating);
  await show(ctx, outcomeScreen(t, lang, text, details, requestActionButtons(t, lang, details)));
}
