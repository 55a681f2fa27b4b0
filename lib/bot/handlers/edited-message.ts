import { BackendError } from '../../backend/backend-error.js';
import { MAX_COMMENT_LENGTH } from '../../backend/schemas.js';
import type { Draft } from '../../session/session.js';
import { COMMENT_EDIT_SECONDS, parseSentComment, type SentComment } from '../comments/sent-comments.js';
import type { BotContext } from '../context.js';
import { checkDescription } from '../draft/step-description.js';
import { SUMMARY_STEP } from '../draft/steps.js';
import { refreshSummary } from '../draft/summary.js';
import { escapeHtml } from '../views/html.js';

/**
 * The person edited a message they sent (`edited_message`):
 * - the description of the open draft: replaced (a summary on display is edited in place);
 * - a comment sent within 48 h: the backend gets the new text as an edit
 *   (`PATCH /requests/{id}/comments/{comment_id}`), or, from a backend without edits (404, 405), as a
 *   new comment marked as a correction of the earlier one;
 * - anything else: ignored, without a reply (an edit is not a new message).
 * Telegram's redelivery of the same edit is dropped by its update id; the backend's Idempotency-Key
 * comes from that update too, so an edit acts once.
 */
export async function receiveEdit(ctx: BotContext): Promise<void> {
  const edited = ctx.editedMessage;
  const userId = ctx.from?.id;
  if (!edited || userId === undefined) return;
  const text = ('text' in edited ? edited.text : 'caption' in edited ? edited.caption : undefined)?.trim() || undefined;
  const draft = ctx.session.draft;
  if (draft && draft.descriptionMessageId === edited.message_id && !draft.attempted && text !== undefined) {
    ctx.handler = 'edit-description';
    return editDescription(ctx, draft, text);
  }
  const sent = parseSentComment(ctx.prefetched);
  const ageSeconds = Math.floor(Date.now() / 1000) - edited.date;
  if (sent && text !== undefined && ageSeconds <= COMMENT_EDIT_SECONDS) {
    ctx.handler = 'edit-comment';
    return editComment(ctx, userId, sent, text);
  }
  ctx.handler = 'edit-ignored';
}

async function editDescription(ctx: BotContext, draft: Draft, text: string): Promise<void> {
  const checked = await checkDescription(ctx, text);
  if (checked === undefined) return;
  draft.description = checked;
  if (draft.step === SUMMARY_STEP) return refreshSummary(ctx);
  await ctx.reply(ctx.t.descriptionEdited);
}

async function editComment(ctx: BotContext, userId: number, sent: SentComment, text: string): Promise<void> {
  const { backend } = ctx.deps;
  const newText = [...text].slice(0, MAX_COMMENT_LENGTH).join('');
  const key = `tg-${userId}-e${ctx.update.update_id}`;
  try {
    await backend.editComment(sent.requestId, sent.commentId, { telegram_user_id: userId, text: newText }, key);
    ctx.log.info({ request_id: sent.requestId }, 'comment edited');
  } catch (error) {
    if (!(error instanceof BackendError) || (error.status !== 404 && error.status !== 405)) throw error;
    // A backend without comment edits: the new text as a comment of its own, marked as a correction.
    const correction = [...`✏️ ${newText}`].slice(0, MAX_COMMENT_LENGTH).join('');
    await backend.addComment(sent.requestId, { telegram_user_id: userId, text: correction, correction_of: sent.commentId }, key);
    ctx.log.info({ request_id: sent.requestId, status: error.status }, 'comment edit sent as a correction');
  }
  await ctx.reply(ctx.t.commentEditSent(escapeHtml(sent.number)), { parse_mode: 'HTML' });
}
