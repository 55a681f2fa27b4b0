import type { RequestDetails } from '../../backend/schemas.js';
import { activePending, pendingUntil, type Pending } from '../../session/session.js';
import type { BotContext } from '../context.js';
import { loadOwnedRequest, showNotOwned } from '../requests/owned-request.js';
import { reasonText, requestOfAnswer } from '../requests/pending-answer.js';
import { lifecycleKey, performRequestAction } from '../requests/request-action.js';
import { showExpired } from '../views/expired.js';
import { escapeHtml } from '../views/html.js';
import { CANCELLABLE, outcomeScreen } from '../views/request-actions.js';
import { acknowledge, button, show, type Button } from '../views/screen.js';

/**
 * Cancel request: the person closes what they opened while work has not ended. Three steps:
 * Cancel request (asks: this cannot be undone) → Yes, cancel it (asks for an optional reason) →
 * a message with the reason, or Skip → `POST /requests/{id}/cancel`.
 */
export async function askCancelRequest(ctx: BotContext, requestId: string): Promise<void> {
  await acknowledge(ctx);
  const owned = await loadOwnedRequest(ctx, requestId);
  if (owned.kind !== 'owned') return showNotOwned(ctx, owned);
  const { details } = owned;
  const { t, lang } = ctx;
  if (!CANCELLABLE.includes(details.status)) return showNotCancellable(ctx, details);
  await show(ctx, {
    text: t.cancelAsk(escapeHtml(details.number)),
    buttons: [
      [button(t.buttonYesCancel, { kind: 'cancel-yes', requestId: details.id })],
      [button(t.buttonKeepRequest, { kind: 'request', lang, requestId: details.id })],
    ],
  });
}

/** Yes, cancel it: the next message is the reason (or Skip). */
export async function startCancelRequest(ctx: BotContext, requestId: string): Promise<void> {
  await acknowledge(ctx);
  const owned = await loadOwnedRequest(ctx, requestId);
  if (owned.kind !== 'owned') return showNotOwned(ctx, owned);
  const { details } = owned;
  if (!CANCELLABLE.includes(details.status)) return showNotCancellable(ctx, details);
  // One question at a time: a comment being written (reply mode) is not waited for any more.
  delete ctx.session.reply;
  ctx.session.pending = { kind: 'cancel-reason', requestId: details.id, number: details.number, until: pendingUntil() };
  await show(ctx, reasonPrompt(ctx, details.id, details.number));
}

/** Skip on the reason prompt: cancel without a reason. */
export async function skipCancelReason(ctx: BotContext, requestId: string): Promise<void> {
  await acknowledge(ctx);
  const pending = activePending(ctx.session);
  const owned = await loadOwnedRequest(ctx, requestId);
  if (owned.kind !== 'owned') return showNotOwned(ctx, owned);
  const { details } = owned;
  if (pending?.kind !== 'cancel-reason' || pending.requestId !== details.id) {
    // The question is over: a second tap after the first went through sees the outcome again.
    if (details.status !== 'cancelled') return showExpired(ctx);
    await show(ctx, outcomeScreen(ctx.t, ctx.lang, ctx.t.requestCancelled(escapeHtml(details.number)), details));
    return;
  }
  await sendCancel(ctx, details, undefined);
}

/** A message while the reason is asked for. */
export async function receiveCancelReason(ctx: BotContext, pending: Extract<Pending, { kind: 'cancel-reason' }>): Promise<void> {
  const text = await reasonText(ctx);
  if (text === undefined) return;
  const details = await requestOfAnswer(ctx, pending.requestId);
  if (details) await sendCancel(ctx, details, text);
}

async function sendCancel(ctx: BotContext, details: RequestDetails, reason: string | undefined): Promise<void> {
  const userId = ctx.from?.id;
  if (userId === undefined) return;
  const { t, lang } = ctx;
  const key = lifecycleKey(userId, 'cancel', details.id);
  const body = { telegram_user_id: userId, ...(reason !== undefined && { reason }) };
  const outcome = await performRequestAction(ctx, 'cancel', () => ctx.deps.backend.cancelRequest(details.id, body, key));
  if (outcome.kind === 'failed') {
    // The question stays: the reason can be sent again (or skipped), with the same key.
    await show(ctx, { ...reasonPrompt(ctx, details.id, details.number), text: t.actionFailed });
    return;
  }
  delete ctx.session.pending;
  if (outcome.kind === 'done') {
    await show(ctx, outcomeScreen(t, lang, t.requestCancelled(escapeHtml(outcome.details.number)), outcome.details));
    return;
  }
  // Refused: cancelled meanwhile (another device, the desk) or no longer cancellable. Say which.
  const now = await loadOwnedRequest(ctx, details.id);
  const current = now.kind === 'owned' ? now.details : details;
  if (current.status === 'cancelled') await show(ctx, outcomeScreen(t, lang, t.requestCancelled(escapeHtml(current.number)), current));
  else await showNotCancellable(ctx, current);
}

function reasonPrompt(ctx: BotContext, requestId: string, number: string): { text: string; buttons: Button[][] } {
  const { t } = ctx;
  return {
    text: t.cancelAskReason(escapeHtml(number)),
    buttons: [[button(t.buttonSkip, { kind: 'cancel-send', requestId })], [button(t.buttonNeverMind, { kind: 'drop-pending' })]],
  };
}

async function showNotCancellable(ctx: BotContext, details: RequestDetails): Promise<void> {
  const { t, lang } = ctx;
  const text =
    details.status === 'cancelled'
      ? t.requestCancelled(escapeHtml(details.number))
      : t.cannotCancel(escapeHtml(details.number), t.status[details.status]);
  await show(ctx, outcomeScreen(t, lang, text, details));
}
