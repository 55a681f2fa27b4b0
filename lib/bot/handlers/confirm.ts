import { BackendError } from '../../backend/backend-error.js';
import type { NewRequest } from '../../backend/schemas.js';
import { submissionKey } from '../../requests/idempotency-keys.js';
import type { BotContext } from '../context.js';
import { draftAttachments, hasAttachments } from '../draft/attachments.js';
import { showOutOfDate } from '../draft/draft-flow.js';
import { SUMMARY_STEP } from '../draft/steps.js';
import { draftNames, retryButtons, summaryText } from '../draft/summary.js';
import { showExpired } from '../views/expired.js';
import { escapeHtml } from '../views/html.js';
import { mainMenu } from '../views/menus.js';
import { recordOnScreen } from '../on-screen.js';
import { acknowledge, acknowledgeNow, button, show } from '../views/screen.js';
import { rememberNotice } from '../reply-target.js';

/**
 * Submits the draft. The Idempotency-Key is derived from the draft, so a double tap, a
 * retried webhook or a retry after a timeout all name the same request: the backend creates
 * it once and answers the others with the same number.
 */
export async function confirmDraft(ctx: BotContext, draftId: string): Promise<void> {
  const { session } = ctx;
  if (session.submitted?.draftId === draftId) {
    await acknowledge(ctx);
    await show(ctx, mainMenu(ctx.t, ctx.lang, ctx.t.alreadySubmitted(escapeHtml(session.submitted.number))));
    return;
  }
  const draft = session.draft;
  if (!draft || draft.id !== draftId) return showExpired(ctx);
  if (draft.step !== SUMMARY_STEP || draft.description === undefined) return showOutOfDate(ctx, draft);
  const from = ctx.from;
  const chatId = ctx.chat?.id;
  if (!from || chatId === undefined) return;
  if (!(await ctx.deps.submissionLimiter.allow(from.id))) {
    ctx.handler = 'rate-limited';
    await acknowledge(ctx, ctx.t.submitRateLimited);
    await show(ctx, { text: ctx.t.submitRateLimited, buttons: retryButtons(ctx, draft.id) });
    recordOnScreen(ctx, { kind: 'draft' });
    return;
  }
  // The backend may take seconds: the toast shows now, before the update is done.
  await acknowledgeNow(ctx, ctx.t.submitting);
  draft.attempted = true;

  const body: NewRequest = {
    request_type_id: draft.typeId,
    side_id: draft.sideId,
    category_id: draft.categoryId,
    description: draft.description,
    ...(draft.phone !== undefined ? { contact_phone: draft.phone } : {}),
    ...(hasAttachments(draft) ? { attachments: draftAttachments(draft) } : {}),
    ...(draft.location !== undefined ? { location: draft.location } : {}),
    ...(draft.geo !== undefined ? { geo: draft.geo } : {}),
    telegram: {
      user_id: from.id,
      chat_id: chatId,
      ...(from.username !== undefined ? { username: from.username } : {}),
      ...(from.language_code !== undefined ? { language_code: from.language_code } : {}),
    },
  };
  try {
    const { request, created } = await ctx.deps.backend.createRequest(body, idempotencyKey(from.id, draft.id));
    ctx.log.info({ request_id: request.id, number: request.number, created }, 'request submitted');
    session.submitted = { draftId: draft.id, number: request.number };
    delete session.draft;
    // The confirmation keeps what was sent, so the chat shows the request as submitted.
    const names = await draftNames(ctx, draft);
    const sent = names ? `\n\n${summaryText(ctx, draft, names)}` : '';
    const menu = mainMenu(ctx.t, ctx.lang, ctx.t.submitted(escapeHtml(request.number)) + sent);
    // The menu, and the request one tap away (as a new message, so this one keeps what was sent).
    const view = [button(ctx.t.buttonViewRequest(request.number), { kind: 'open-request', lang: ctx.lang, requestId: request.id })];
    const messageId = await show(ctx, { ...menu, buttons: [...menu.buttons.slice(0, -1), view, ...menu.buttons.slice(-1)] });
    // A swipe-reply on this message adds a comment to the request; remembered in the write this update makes anyway.
    if (messageId !== undefined) ctx.storeWrites.push(rememberNotice(chatId, messageId, { requestId: request.id, number: request.number }));
  } catch (error) {
    if (!(error instanceof BackendError)) throw error;
    // The draft stays in the session untouched: Try again sends the same key.
    ctx.log.error({ err: error }, 'request submission failed');
    await show(ctx, { text: ctx.t.submitFailed, buttons: retryButtons(ctx, draft.id) });
    recordOnScreen(ctx, { kind: 'draft' });
  }
}

/** The submission's key, the same scheme as the Mini App's (lib/requests/idempotency-keys.ts). */
export function idempotencyKey(userId: number, draftId: string): string {
  return submissionKey(userId, draftId);
}
