import type { Message } from 'telegraf/types';
import { BackendError } from '../../backend/backend-error.js';
import { isOpenStatus, type NewComment } from '../../backend/schemas.js';
import { endWaiting } from '../../notify/reminders.js';
import { rememberSentComment } from '../comments/sent-comments.js';
import type { CommentTarget } from '../../session/session.js';
import { commentContent, isProblem, MAX_BOT_FILE_BYTES, type CommentContent } from '../comments/comment-content.js';
import type { BotContext } from '../context.js';
import { loadOwnedRequest, showNotOwned } from '../requests/owned-request.js';
import { escapeHtml } from '../views/html.js';
import { mainMenu } from '../views/menus.js';
import { requestDetailsScreen } from '../views/request-details.js';
import { acknowledge, button, keyboard, show } from '../views/screen.js';

/**
 * Add comment (on the details) and Reply (on an agent's comment): the person's next message
 * becomes a comment on that request. Ownership is checked first: a forged id shows nothing.
 */
export async function startComment(ctx: BotContext, requestId: string, options: { readonly newMessage?: boolean } = {}): Promise<void> {
  await acknowledge(ctx);
  const loaded = await loadOwnedRequest(ctx, requestId);
  if (loaded.kind !== 'owned') {
    await show(ctx, { text: loaded.kind === 'unavailable' ? ctx.t.requestsUnavailable : ctx.t.requestNotFound, buttons: [] }, options);
    return;
  }
  const { details } = loaded;
  if (!isOpenStatus(details.status)) return showClosed(ctx, details.number, options);
  // One question at a time: a reason or rating comment the bot asked for is not waited for any more.
  delete ctx.session.pending;
  ctx.session.reply = { requestId: details.id, number: details.number };
  await show(ctx, { text: ctx.t.commentPrompt(escapeHtml(details.number)), buttons: [[button(ctx.t.buttonCancel, { kind: 'cancel' })]] }, options);
}

/**
 * A message for a request's thread (reply mode, a swipe-reply to a notification, or an album's
 * next item). The Idempotency-Key comes from the person and the update: Telegram's redelivery of
 * this message names the same comment, so the backend adds it once.
 */
export async function receiveComment(ctx: BotContext, target: CommentTarget): Promise<void> {
  const message = ctx.message as Message | undefined;
  const content = commentContent(message);
  if (isProblem(content)) {
    const text =
      content.problem === 'too-long'
        ? ctx.t.commentTooLong(4000, content.length)
        : content.problem === 'too-big'
          ? ctx.t.commentFileTooBig(MAX_BOT_FILE_BYTES / 1024 / 1024)
          : ctx.t.commentUnsupported;
    await ctx.reply(text);
    return;
  }
  const mediaGroupId = message && 'media_group_id' in message ? message.media_group_id : undefined;
  // A swipe-reply on a message whose buttons alone named the request: its number (and ownership) first.
  if (target.number === '') {
    const loaded = await loadOwnedRequest(ctx, target.requestId);
    if (loaded.kind !== 'owned') return showNotOwned(ctx, loaded);
    if (!isOpenStatus(loaded.details.status)) return showClosed(ctx, loaded.details.number, { newMessage: true });
    target = { requestId: loaded.details.id, number: loaded.details.number };
  }
  await postComment(ctx, target, content, `tg-${ctx.from?.id}-u${ctx.update.update_id}`, mediaGroupId);
}

/** Try again after an unknown outcome: the kept comment, with its first Idempotency-Key. */
export async function retryComment(ctx: BotContext, requestId: string): Promise<void> {
  const reply = ctx.session.reply;
  if (!reply?.pending || reply.requestId !== requestId) {
    await acknowledge(ctx, ctx.t.menuExpired);
    return;
  }
  await acknowledge(ctx);
  const { key, text, attachments, mediaGroupId } = reply.pending;
  await postComment(ctx, reply, { ...(text !== undefined && { text }), ...(attachments && { attachments }) }, key, mediaGroupId);
}

async function postComment(ctx: BotContext, target: CommentTarget, content: CommentContent, key: string, mediaGroupId: string | undefined): Promise<void> {
  const userId = ctx.from?.id;
  if (userId === undefined) return;
  const body: NewComment = {
    telegram_user_id: userId,
    ...(content.text !== undefined && { text: content.text }),
    ...(content.attachments && { attachments: [...content.attachments] }),
  };
  try {
    const { created, comment } = await ctx.deps.backend.addComment(target.requestId, body, key);
    // Which comment this message became, so an edit of it reaches the backend (in the update's own final write).
    const sentMessage = ctx.message;
    if (sentMessage && ctx.chat) {
      ctx.storeWrites.push(rememberSentComment(ctx.chat.id, sentMessage.message_id, { requestId: target.requestId, number: target.number, commentId: comment.id }));
    }
    ctx.log.info({ request_id: target.requestId, created, files: body.attachments?.length ?? 0 }, 'comment added');
  } catch (error) {
    if (!(error instanceof BackendError)) throw error;
    delete ctx.session.reply;
    if (error.status === 404) {
      ctx.log.warn({ request_id: target.requestId }, 'comment refused: not found or not the person\'s request');
      await ctx.reply(ctx.t.requestNotFound);
      return;
    }
    if (error.status === 409) return showClosed(ctx, target.number, { newMessage: true });
    // Unknown outcome: keep the comment, Try again sends it under the same key.
    ctx.log.error({ err: error, request_id: target.requestId }, 'adding a comment failed');
    ctx.session.reply = { requestId: target.requestId, number: target.number, pending: { key, ...content, attachments: content.attachments ? [...content.attachments] : undefined, mediaGroupId } };
    await show(
      ctx,
      {
        text: ctx.t.commentFailed,
        buttons: [[button(ctx.t.buttonRetry, { kind: 'retry-comment', requestId: target.requestId })], [button(ctx.t.buttonCancel, { kind: 'cancel' })]],
      },
      { newMessage: ctx.callbackQuery === undefined },
    );
    return;
  }
  delete ctx.session.reply;
  // The person answered: a reminder that the request waits for them is no longer due.
  ctx.storeWrites.push(...endWaiting({ userId, requestId: target.requestId }));
  await confirmAdded(ctx, target, mediaGroupId);
}

/**
 * "Added to SR-1042" above the request's thread, as a new message. The items of an album arrive
 * as updates of their own: the first sends the confirmation, the next ones update it with the count.
 */
async function confirmAdded(ctx: BotContext, target: CommentTarget, mediaGroupId: string | undefined): Promise<void> {
  const album = ctx.session.album;
  const continuing = mediaGroupId !== undefined && album?.groupId === mediaGroupId && album.requestId === target.requestId;
  const count = continuing ? album.count + 1 : 1;
  const number = escapeHtml(target.number);
  const notice = count > 1 ? ctx.t.commentFilesAdded(number, count) : ctx.t.commentAdded(number);
  const loaded = await loadOwnedRequest(ctx, target.requestId);
  const screen = loaded.kind === 'owned' ? requestDetailsScreen(ctx.t, ctx.lang, loaded.details, 0, { notice, timeZone: ctx.deps.timeZone }) : { text: notice, buttons: [] };
  let messageId: number | undefined;
  if (continuing && ctx.chat) {
    try {
      await ctx.telegram.editMessageText(ctx.chat.id, album.messageId, undefined, screen.text, { parse_mode: 'HTML', reply_markup: keyboard(screen, ctx.deps.miniAppUrl) });
      messageId = album.messageId;
    } catch (error) {
      ctx.log.debug({ err: error }, 'album confirmation not updated; sending a new one');
    }
  }
  messageId ??= await show(ctx, screen, { newMessage: true });
  if (mediaGroupId === undefined || messageId === undefined) delete ctx.session.album;
  else ctx.session.album = { requestId: target.requestId, number: target.number, groupId: mediaGroupId, count, messageId };
}

/** The request takes no more comments: say so and offer a new request. */
async function showClosed(ctx: BotContext, number: string, options: { readonly newMessage?: boolean }): Promise<void> {
  delete ctx.session.reply;
  const menu = mainMenu(ctx.t, ctx.lang);
  await show(ctx, { text: ctx.t.commentClosed(escapeHtml(number)), buttons: menu.buttons }, options);
}
