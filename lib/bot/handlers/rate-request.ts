import type { RequestDetails } from '../../backend/schemas.js';
import { activePending, pendingUntil, type Pending } from '../../session/session.js';
import type { BotContext } from '../context.js';
import { loadOwnedRequest, showNotOwned } from '../requests/owned-request.js';
import { reasonText, requestOfAnswer } from '../requests/pending-answer.js';
import { lifecycleKey, performRequestAction } from '../requests/request-action.js';
import { showExpired } from '../views/expired.js';
import { escapeHtml } from '../views/html.js';
import { outcomeScreen, ratingRow, stars } from '../views/request-actions.js';
import { acknowledge, button, show, type Screen } from '../views/screen.js';

/** Rated once, on a resolved or closed request. */
const RATEABLE = new Set(['resolved', 'closed']);

/**
 * Rating: one tap on 1⭐…5⭐ picks the score, then a comment in one message or Send rating;
 * `POST /requests/{id}/rating` carries both, once per request. The backend answers 409 to a second
 * rating; the person is thanked for the first instead.
 */
export async function chooseRating(ctx: BotContext, requestId: string, score: number): Promise<void> {
  await acknowledge(ctx);
  const owned = await loadOwnedRequest(ctx, requestId);
  if (owned.kind !== 'owned') return showNotOwned(ctx, owned);
  const { details } = owned;
  const { t, lang } = ctx;
  if (details.rating !== undefined) {
    await show(ctx, outcomeScreen(t, lang, t.alreadyRated(escapeHtml(details.number)), details));
    return;
  }
  if (!RATEABLE.has(details.status)) {
    await show(ctx, outcomeScreen(t, lang, t.cannotRate(escapeHtml(details.number), t.status[details.status]), details));
    return;
  }
  // One question at a time: a comment being written (reply mode) is not waited for any more.
  delete ctx.session.reply;
  ctx.session.pending = { kind: 'rating-comment', requestId: details.id, number: details.number, score, until: pendingUntil() };
  await show(ctx, commentPrompt(ctx, details.id, score));
}

/** Send rating: the chosen score without a comment. */
export async function sendRating(ctx: BotContext, requestId: string): Promise<void> {
  await acknowledge(ctx);
  const pending = activePending(ctx.session);
  const owned = await loadOwnedRequest(ctx, requestId);
  if (owned.kind !== 'owned') return showNotOwned(ctx, owned);
  const { details } = owned;
  if (pending?.kind !== 'rating-comment' || pending.requestId !== details.id) {
    // A second tap after the first went through: thank again for the rating it sent.
    if (details.rating === undefined) return showExpired(ctx);
    await show(ctx, thanks(ctx, details, details.rating.score));
    return;
  }
  await submitRating(ctx, details, pending.score, undefined);
}

/** A message while the rating's comment is asked for. */
export async function receiveRatingComment(ctx: BotContext, pending: Extract<Pending, { kind: 'rating-comment' }>): Promise<void> {
  const text = await reasonText(ctx);
  if (text === undefined) return;
  const details = await requestOfAnswer(ctx, pending.requestId);
  if (details) await submitRating(ctx, details, pending.score, text);
}

async function submitRating(ctx: BotContext, details: RequestDetails, score: number, comment: string | undefined): Promise<void> {
  const userId = ctx.from?.id;
  if (userId === undefined) return;
  const { t, lang } = ctx;
  const body = { telegram_user_id: userId, score, ...(comment !== undefined && { comment }) };
  const key = lifecycleKey(userId, 'rating', details.id);
  const outcome = await performRequestAction(ctx, 'rating', () => ctx.deps.backend.rateRequest(details.id, body, key));
  if (outcome.kind === 'failed') {
    await show(ctx, { ...commentPrompt(ctx, details.id, score), text: t.actionFailed });
    return;
  }
  delete ctx.session.pending;
  if (outcome.kind === 'done') {
    await show(ctx, thanks(ctx, outcome.details, score));
    return;
  }
  // 409: rated before (another device, an earlier tap with another score) or not rateable now.
  const now = await loadOwnedRequest(ctx, details.id);
  const current = now.kind === 'owned' ? now.details : details;
  const text =
    outcome.code === 'already_rated' || current.rating !== undefined
      ? t.alreadyRated(escapeHtml(current.number))
      : t.cannotRate(escapeHtml(current.number), t.status[current.status]);
  await show(ctx, outcomeScreen(t, lang, text, current));
}

function commentPrompt(ctx: BotContext, requestId: string, score: number): Screen {
  const { t } = ctx;
  return {
    text: t.ratingChosen(stars(score)),
    buttons: [
      [button(t.buttonSendRating, { kind: 'rate-send', requestId })],
      // Another tap on the stars changes the score before it is sent.
      ratingRow(requestId),
      [button(t.buttonNeverMind, { kind: 'drop-pending' })],
    ],
  };
}

function thanks(ctx: BotContext, details: RequestDetails, score: number): Screen {
  return outcomeScreen(ctx.t, ctx.lang, ctx.t.ratingThanks(escapeHtml(details.number), stars(score)), details);
}
