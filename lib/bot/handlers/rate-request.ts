import { MAX_REASON_LENGTH, type RequestDetails } from '../../backend/schemas.js';
import { activePending, pendingUntil, type Pending } from '../../session/session.js';
import type { BotContext } from '../context.js';
import { attachFollowUp } from '../requests/follow-up.js';
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
 * Rating: one tap on 1⭐…5⭐ is the rating (`POST /requests/{id}/rating`, once per request), at the
 * tap. A comment may follow in one message (`PATCH /requests/{id}/rating`), or Skip. The backend
 * answers 409 to a second rating; the person is thanked for the first instead.
 */
export async function chooseRating(ctx: BotContext, requestId: string, score: number): Promise<void> {
  await acknowledge(ctx);
  const owned = await loadOwnedRequest(ctx, requestId);
  if (owned.kind !== 'owned') return showNotOwned(ctx, owned);
  const { details } = owned;
  const { t, lang } = ctx;
  if (details.rating !== undefined) {
    // The same star again (a double tap, a redelivery) while its comment is asked for: the same screen.
    if (isAskedFor(ctx, details.id) && details.rating.score === score) return void (await show(ctx, commentPrompt(ctx, details, score)));
    await show(ctx, outcomeScreen(t, lang, t.alreadyRated(escapeHtml(details.number)), details));
    return;
  }
  if (!RATEABLE.has(details.status)) {
    await show(ctx, outcomeScreen(t, lang, t.cannotRate(escapeHtml(details.number), t.status[details.status]), details));
    return;
  }
  await rateNow(ctx, details, score, { askComment: true });
}

/** Skip on the comment prompt: the rating was sent at the star, nothing more is sent. */
export async function sendRating(ctx: BotContext, requestId: string): Promise<void> {
  await acknowledge(ctx);
  const pending = activePending(ctx.session);
  const asked = pending?.kind === 'rating-comment' && pending.requestId === requestId ? pending : undefined;
  const owned = await loadOwnedRequest(ctx, requestId);
  if (owned.kind !== 'owned') return showNotOwned(ctx, owned);
  const { details } = owned;
  if (asked) delete ctx.session.pending;
  if (details.rating !== undefined) return void (await show(ctx, thanks(ctx, details, details.rating.score)));
  // A score chosen before the rating was sent at the star: Send rating still sends it, as it did then.
  if (asked) return rateNow(ctx, details, asked.score, { askComment: false });
  return showExpired(ctx);
}

/** A message while the rating's comment is asked for: attached to the rating. */
export async function receiveRatingComment(ctx: BotContext, pending: Extract<Pending, { kind: 'rating-comment' }>): Promise<void> {
  const text = await reasonText(ctx);
  if (text === undefined) return;
  const details = await requestOfAnswer(ctx, pending.requestId);
  if (!details) return;
  // A score chosen before the rating was sent at the star: it goes now, with its comment.
  if (details.rating === undefined) return rateNow(ctx, details, pending.score, { askComment: false, comment: text });
  const { t } = ctx;
  const outcome = await attachFollowUp(ctx, details.id, 'rating-comment', text);
  if (outcome.kind === 'failed') {
    // The question stays: the comment can be sent again, or skipped.
    await show(ctx, { text: t.actionFailed, buttons: [[skipButton(ctx, details.id)]] });
    return;
  }
  delete ctx.session.pending;
  const note = outcome.kind === 'attached' ? t.ratingCommentAttached : t.followUpNotAttached(escapeHtml(details.number));
  await show(ctx, thanks(ctx, details, details.rating.score, note));
}

/** `POST /requests/{id}/rating` under the one key of this person's rating of this request. */
async function rateNow(
  ctx: BotContext,
  details: RequestDetails,
  score: number,
  options: { readonly askComment: boolean; readonly comment?: string },
): Promise<void> {
  const userId = ctx.from?.id;
  if (userId === undefined) return;
  const { t, lang } = ctx;
  const body = { telegram_user_id: userId, score, ...(options.comment !== undefined && { comment: options.comment }) };
  const key = lifecycleKey(userId, 'rating', details.id);
  const outcome = await performRequestAction(ctx, 'rating', () => ctx.deps.backend.rateRequest(details.id, body, key));
  if (outcome.kind === 'failed') {
    // Nothing changed: a star again sends the same key, so the request is rated once.
    await show(ctx, outcomeScreen(t, lang, t.actionFailed, details, [ratingRow(details.id)]));
    return;
  }
  if (outcome.kind === 'done') {
    if (options.askComment) {
      // One question at a time: a comment being written (reply mode) is not waited for any more.
      delete ctx.session.reply;
      ctx.session.pending = { kind: 'rating-comment', requestId: details.id, number: details.number, score, until: pendingUntil() };
      await show(ctx, commentPrompt(ctx, outcome.details, score));
      return;
    }
    delete ctx.session.pending;
    await show(ctx, thanks(ctx, outcome.details, score, options.comment === undefined ? undefined : t.ratingCommentAttached));
    return;
  }
  delete ctx.session.pending;
  // 409: rated before (another device, an earlier tap with another score) or not rateable now.
  const now = await loadOwnedRequest(ctx, details.id);
  const current = now.kind === 'owned' ? now.details : details;
  const text =
    outcome.code === 'already_rated' || outcome.code === 'idempotency_conflict' || current.rating !== undefined
      ? t.alreadyRated(escapeHtml(current.number))
      : t.cannotRate(escapeHtml(current.number), t.status[current.status]);
  await show(ctx, outcomeScreen(t, lang, text, current));
}

function isAskedFor(ctx: BotContext, requestId: string): boolean {
  const pending = activePending(ctx.session);
  return pending?.kind === 'rating-comment' && pending.requestId === requestId;
}

/** Rated, and an optional comment asked for: Skip is the only button, so a message goes nowhere else. */
function commentPrompt(ctx: BotContext, details: Pick<RequestDetails, 'id' | 'number'>, score: number): Screen {
  const { t } = ctx;
  return {
    text: `${t.ratingThanks(escapeHtml(details.number), stars(score))}\n\n${t.ratingAskComment(MAX_REASON_LENGTH)}`,
    buttons: [[skipButton(ctx, details.id)]],
  };
}

function skipButton(ctx: BotContext, requestId: string) {
  return button(ctx.t.buttonSkip, { kind: 'rate-send', requestId });
}

function thanks(ctx: BotContext, details: Pick<RequestDetails, 'id' | 'number'>, score: number, note?: string): Screen {
  const text = ctx.t.ratingThanks(escapeHtml(details.number), stars(score)) + (note === undefined ? '' : `\n${note}`);
  return outcomeScreen(ctx.t, ctx.lang, text, details);
}
