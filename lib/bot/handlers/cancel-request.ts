import { MAX_REASON_LENGTH, type RequestDetails } from '../../backend/schemas.js';
import { activePending, pendingUntil, type Pending } from '../../session/session.js';
import type { BotContext } from '../context.js';
import { attachFollowUp } from '../requests/follow-up.js';
import { loadOwnedRequest, showNotOwned } from '../requests/owned-request.js';
import { reasonText, requestOfAnswer } from '../requests/pending-answer.js';
import { lifecycleKey, performRequestAction } from '../requests/request-action.js';
import { showExpired } from '../views/expired.js';
import { escapeHtml } from '../views/html.js';
import { CANCELLABLE, outcomeScreen } from '../views/request-actions.js';
import { acknowledge, button, show, type Screen } from '../views/screen.js';

/**
 * Cancel request: the person closes what they opened while work has not ended. Cancel request asks
 * (this cannot be undone); **Yes, cancel it** is the cancellation (`POST /requests/{id}/cancel`),
 * at the tap, so a person who walks away has no open request left. A reason may follow in one
 * message (`PATCH /requests/{id}/cancel`), or Skip.
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

/** Yes, cancel it: cancelled now; then a reason is asked for, optionally. */
export async function startCancelRequest(ctx: BotContext, requestId: string): Promise<void> {
  await acknowledge(ctx);
  const owned = await loadOwnedRequest(ctx, requestId);
  if (owned.kind !== 'owned') return showNotOwned(ctx, owned);
  const { details } = owned;
  if (details.status === 'cancelled') {
    // A second tap after the first went through: the same screen, and nothing sent again.
    if (isAskedFor(ctx, details.id)) return void (await show(ctx, reasonPrompt(ctx, details)));
    return void (await show(ctx, cancelledScreen(ctx, details)));
  }
  if (!CANCELLABLE.includes(details.status)) return showNotCancellable(ctx, details);
  await cancelNow(ctx, details, { askReason: true });
}

/** Skip on the reason prompt: the request is cancelled already, nothing more is sent. */
export async function skipCancelReason(ctx: BotContext, requestId: string): Promise<void> {
  await acknowledge(ctx);
  const asked = isAskedFor(ctx, requestId);
  const owned = await loadOwnedRequest(ctx, requestId);
  if (owned.kind !== 'owned') return showNotOwned(ctx, owned);
  const { details } = owned;
  if (asked) delete ctx.session.pending;
  if (details.status === 'cancelled') return void (await show(ctx, cancelledScreen(ctx, details)));
  // A question asked before the cancellation happened at the tap: Skip still cancels, as it did then.
  if (asked && CANCELLABLE.includes(details.status)) return cancelNow(ctx, details, { askReason: false });
  if (asked) return showNotCancellable(ctx, details);
  return showExpired(ctx);
}

/** A message while the reason is asked for: attached to the cancellation. */
export async function receiveCancelReason(ctx: BotContext, pending: Extract<Pending, { kind: 'cancel-reason' }>): Promise<void> {
  const text = await reasonText(ctx);
  if (text === undefined) return;
  const details = await requestOfAnswer(ctx, pending.requestId);
  if (!details) return;
  // Asked before the cancellation happened at the tap: the reason goes with it, as it did then.
  if (CANCELLABLE.includes(details.status)) return cancelNow(ctx, details, { askReason: false, reason: text });
  if (details.status !== 'cancelled') {
    delete ctx.session.pending;
    return showNotCancellable(ctx, details);
  }
  const { t } = ctx;
  const outcome = await attachFollowUp(ctx, details.id, 'cancel-reason', text);
  if (outcome.kind === 'failed') {
    // The question stays: the reason can be sent again, or skipped.
    await show(ctx, { text: t.actionFailed, buttons: [[skipButton(ctx, details.id)]] });
    return;
  }
  delete ctx.session.pending;
  const note = outcome.kind === 'attached' ? t.reasonAttached : t.followUpNotAttached(escapeHtml(details.number));
  await show(ctx, cancelledScreen(ctx, details, note));
}

/** `POST /requests/{id}/cancel` under the one key of this person's cancellation of this request. */
async function cancelNow(ctx: BotContext, details: RequestDetails, options: { readonly askReason: boolean; readonly reason?: string }): Promise<void> {
  const userId = ctx.from?.id;
  if (userId === undefined) return;
  const { t, lang } = ctx;
  const key = lifecycleKey(userId, 'cancel', details.id);
  const body = { telegram_user_id: userId, ...(options.reason !== undefined && { reason: options.reason }) };
  const outcome = await performRequestAction(ctx, 'cancel', () => ctx.deps.backend.cancelRequest(details.id, body, key));
  if (outcome.kind === 'failed') {
    // Nothing changed: Yes again sends the same key, so it cancels once whatever the first attempt did.
    await show(ctx, {
      text: t.actionFailed,
      buttons: [
        [button(t.buttonYesCancel, { kind: 'cancel-yes', requestId: details.id })],
        [button(t.buttonKeepRequest, { kind: 'request', lang, requestId: details.id })],
      ],
    });
    return;
  }
  if (outcome.kind === 'done') {
    if (options.askReason) {
      // One question at a time: a comment being written (reply mode) is not waited for any more.
      delete ctx.session.reply;
      ctx.session.pending = { kind: 'cancel-reason', requestId: details.id, number: details.number, until: pendingUntil() };
      await show(ctx, reasonPrompt(ctx, outcome.details));
      return;
    }
    delete ctx.session.pending;
    await show(ctx, cancelledScreen(ctx, outcome.details, options.reason === undefined ? undefined : t.reasonAttached));
    return;
  }
  delete ctx.session.pending;
  // Refused: cancelled meanwhile (another device, the desk) or no longer cancellable. Say which.
  const now = await loadOwnedRequest(ctx, details.id);
  const current = now.kind === 'owned' ? now.details : details;
  if (current.status === 'cancelled') await show(ctx, cancelledScreen(ctx, current));
  else await showNotCancellable(ctx, current);
}

function isAskedFor(ctx: BotContext, requestId: string): boolean {
  const pending = activePending(ctx.session);
  return pending?.kind === 'cancel-reason' && pending.requestId === requestId;
}

/** Cancelled, and an optional reason asked for: Skip is the only button, so a message goes nowhere else. */
function reasonPrompt(ctx: BotContext, request: Pick<RequestDetails, 'id' | 'number'>): Screen {
  return { text: ctx.t.cancelledAskReason(escapeHtml(request.number), MAX_REASON_LENGTH), buttons: [[skipButton(ctx, request.id)]] };
}

function skipButton(ctx: BotContext, requestId: string) {
  return button(ctx.t.buttonSkip, { kind: 'cancel-send', requestId });
}

function cancelledScreen(ctx: BotContext, request: Pick<RequestDetails, 'id' | 'number'>, note?: string): Screen {
  const { t, lang } = ctx;
  const text = t.requestCancelled(escapeHtml(request.number)) + (note === undefined ? '' : `\n${note}`);
  return outcomeScreen(t, lang, text, request);
}

async function showNotCancellable(ctx: BotContext, details: RequestDetails): Promise<void> {
  const { t, lang } = ctx;
  if (details.status === 'cancelled') return void (await show(ctx, cancelledScreen(ctx, details)));
  await show(ctx, outcomeScreen(t, lang, t.cannotCancel(escapeHtml(details.number), t.status[details.status]), details));
}
