import { captionOf, messageFile } from '../files/message-file.js';
import { tellFileTooBig } from '../files/file-refusals.js';
import type { Message } from 'telegraf/types';
import { MAX_REASON_LENGTH, type Attachment, type RequestDetails } from '../../backend/schemas.js';
import { pendingUntil, type Pending } from '../../session/session.js';
import type { BotContext } from '../context.js';
import { loadOwnedRequest, showNotOwned } from '../requests/owned-request.js';
import { requestOfAnswer } from '../requests/pending-answer.js';
import { lifecycleKey, performRequestAction, resolutionRound } from '../requests/request-action.js';
import { escapeHtml } from '../views/html.js';
import { outcomeScreen, ratingRow, resolutionRow } from '../views/request-actions.js';
import { acknowledge, button, show } from '../views/screen.js';

/**
 * A resolved request waits for the person: ✅ Solved closes it (`POST /requests/{id}/confirm`) and
 * asks for a rating; ↩️ Still a problem asks what is wrong (text or photo) and reopens it
 * (`POST /requests/{id}/reopen`). A backend that allows no more reopenings answers 409, and the
 * person is offered a new request instead.
 */
export async function confirmSolved(ctx: BotContext, requestId: string): Promise<void> {
  await acknowledge(ctx);
  const owned = await loadOwnedRequest(ctx, requestId);
  if (owned.kind !== 'owned') return showNotOwned(ctx, owned);
  const { details } = owned;
  const userId = ctx.from?.id;
  if (userId === undefined) return;
  // Confirmed already (a second tap, another device): the same answer as the first time.
  if (details.status === 'closed') return showSolved(ctx, details);
  if (details.status !== 'resolved') return showNotAwaiting(ctx, details);
  const key = lifecycleKey(userId, 'confirm', details.id);
  const outcome = await performRequestAction(ctx, 'confirm', () =>
    ctx.deps.backend.confirmResolution(details.id, { telegram_user_id: userId }, key),
  );
  if (outcome.kind === 'done') return showSolved(ctx, outcome.details);
  if (outcome.kind === 'failed') {
    await show(ctx, outcomeScreen(ctx.t, ctx.lang, ctx.t.actionFailed, details, [resolutionRow(ctx.t, details.id)]));
    return;
  }
  const now = await loadOwnedRequest(ctx, details.id);
  const current = now.kind === 'owned' ? now.details : details;
  if (current.status === 'closed') await showSolved(ctx, current);
  else await showNotAwaiting(ctx, current);
}

/** Still a problem: the next message (text or photo) says what is wrong. */
export async function askReopen(ctx: BotContext, requestId: string): Promise<void> {
  await acknowledge(ctx);
  const owned = await loadOwnedRequest(ctx, requestId);
  if (owned.kind !== 'owned') return showNotOwned(ctx, owned);
  const { details } = owned;
  if (details.status !== 'resolved') return showNotAwaiting(ctx, details);
  // One question at a time: a comment being written (reply mode) is not waited for any more.
  delete ctx.session.reply;
  ctx.session.pending = {
    kind: 'reopen-reason',
    requestId: details.id,
    number: details.number,
    round: resolutionRound(details),
    until: pendingUntil(),
  };
  await show(ctx, { text: ctx.t.reopenAsk(escapeHtml(details.number)), buttons: [[button(ctx.t.buttonNeverMind, { kind: 'drop-pending' })]] });
}

/** A message while the reason of a reopening is asked for: text, a file of any kind (its caption is the text), or both. */
export async function receiveReopenReason(ctx: BotContext, pending: Extract<Pending, { kind: 'reopen-reason' }>): Promise<void> {
  const { t, lang } = ctx;
  const message = ctx.message as Message | undefined;
  const text = (message && 'text' in message ? message.text.trim() || undefined : undefined) ?? captionOf(message);
  const found = messageFile(message);
  if (found && 'problem' in found) return tellFileTooBig(ctx);
  if (text === undefined && found === undefined) {
    await ctx.reply(t.reopenNeedsInput);
    return;
  }
  const length = text === undefined ? 0 : [...text].length;
  if (length > MAX_REASON_LENGTH) {
    await ctx.reply(t.reasonTooLong(MAX_REASON_LENGTH, length));
    return;
  }
  const userId = ctx.from?.id;
  if (userId === undefined) return;
  const details = await requestOfAnswer(ctx, pending.requestId);
  if (!details) return;
  if (details.status !== 'resolved') {
    delete ctx.session.pending;
    return showNotAwaiting(ctx, details);
  }
  const attachments: Attachment[] = found === undefined ? [] : [found.file];
  const body = {
    telegram_user_id: userId,
    ...(text !== undefined && { reason: text }),
    ...(attachments.length > 0 && { attachments }),
  };
  const key = lifecycleKey(userId, 'reopen', details.id, pending.round);
  const outcome = await performRequestAction(ctx, 'reopen', () => ctx.deps.backend.reopenRequest(details.id, body, key));
  if (outcome.kind === 'failed') {
    await show(ctx, { text: t.actionFailed, buttons: [[button(t.buttonNeverMind, { kind: 'drop-pending' })]] });
    return;
  }
  delete ctx.session.pending;
  if (outcome.kind === 'done') {
    await show(ctx, outcomeScreen(t, lang, t.requestReopened(escapeHtml(outcome.details.number)), outcome.details));
    return;
  }
  if (outcome.code === 'reopen_limit') {
    await show(ctx, outcomeScreen(t, lang, t.reopenLimit(escapeHtml(details.number)), details, [[button(t.buttonNewRequest, { kind: 'types', lang })]]));
    return;
  }
  const now = await loadOwnedRequest(ctx, details.id);
  await showNotAwaiting(ctx, now.kind === 'owned' ? now.details : details);
}

async function showSolved(ctx: BotContext, details: RequestDetails): Promise<void> {
  const { t, lang } = ctx;
  const rated = details.rating !== undefined;
  const text = t.confirmedSolved(escapeHtml(details.number)) + (rated ? '' : `\n\n${t.askRating}`);
  await show(ctx, outcomeScreen(t, lang, text, details, rated ? [] : [ratingRow(details.id)]));
}

async function showNotAwaiting(ctx: BotContext, details: RequestDetails): Promise<void> {
  const { t, lang } = ctx;
  await show(ctx, outcomeScreen(t, lang, t.notAwaitingAnswer(escapeHtml(details.number), t.status[details.status]), details));
}
