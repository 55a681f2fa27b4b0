import type { Telegram } from 'telegraf';
import type { InlineKeyboardMarkup } from 'telegraf/types';
import { isOpenStatus, type AgentFile, type CommentNotification } from '../backend/schemas.js';
import { encodeCallback } from '../bot/callback-data.js';
import { escapeHtml } from '../bot/views/html.js';
import { splitMessage, type MessagePart } from '../bot/views/message-parts.js';
import type { SendAttachmentOptions, SendAttachmentResult } from '../files/send-attachment.js';
import { messages, type Lang } from '../i18n/index.js';

type TelegrafSignal = NonNullable<Parameters<Telegram['callApi']>[2]>['signal'];

export interface CommentNotificationDeps {
  readonly telegram: Telegram;
  /** Downloads an agent's file and uploads it to the chat (lib/files/send-attachment.ts). */
  readonly sendAttachment: (
    telegram: Telegram,
    chatId: number,
    file: AgentFile,
    extra: { readonly reply_parameters: { readonly message_id: number } },
    options?: SendAttachmentOptions,
  ) => Promise<SendAttachmentResult>;
}

/**
 * An agent's comment as the person reads it: who wrote on which request (or, for an update, that
 * it changed), the text, the hint, and Reply (or a swipe) and View. A text longer than one message
 * goes whole in several, in order, the head on the first and the hint and buttons on the last.
 * The comment's notification, its in-place edit and an "Updated" message are all rendered here,
 * so they never drift apart.
 */
export function commentMessages(
  lang: Lang,
  event: Pick<CommentNotification, 'request_id' | 'number'> & { readonly status?: CommentNotification['status'] },
  comment: { readonly author_name?: string; readonly text?: string },
  form: 'comment' | 'update' = 'comment',
): readonly [MessagePart, ...MessagePart[]] {
  const t = messages(lang);
  const number = escapeHtml(event.number);
  const author = escapeHtml(comment.author_name ?? t.threadAgent);
  const head = form === 'update' ? t.agentCommentUpdated(number, author) : t.agentComment(number, author);
  // A request that takes no more comments offers no Reply, and says so instead of the hint.
  const closed = event.status !== undefined && !isOpenStatus(event.status);
  const hint = `<i>${closed ? t.agentCommentOnClosed : t.agentCommentReplyHint}</i>`;
  const reply_markup: InlineKeyboardMarkup = {
    inline_keyboard: [
      [
        ...(closed ? [] : [{ text: t.buttonReply, callback_data: encodeCallback({ kind: 'reply', requestId: event.request_id }) }]),
        { text: t.buttonViewRequest(event.number), callback_data: encodeCallback({ kind: 'open-request', lang, requestId: event.request_id }) },
      ],
    ],
  };
  return splitMessage(head, comment.text?.trim() ?? '', hint, reply_markup);
}

/** The comment as one message, when it fits one (an edit in place); undefined when it takes several. */
export function commentMessage(
  lang: Lang,
  event: Pick<CommentNotification, 'request_id' | 'number'> & { readonly status?: CommentNotification['status'] },
  comment: { readonly author_name?: string; readonly text?: string },
  form: 'comment' | 'update' = 'comment',
): { readonly text: string; readonly reply_markup: InlineKeyboardMarkup } | undefined {
  const parts = commentMessages(lang, event, comment, form);
  const [only] = parts;
  return parts.length === 1 && only.reply_markup !== undefined ? { text: only.text, reply_markup: only.reply_markup } : undefined;
}

/**
 * An agent's comment, as the person reads it (`commentMessage`); then each file, under the text.
 * The text goes first and always arrives: a file the bot cannot fetch is told as such in one line
 * of its own.
 * @returns the ids of the text's messages (the first first) and of each file sent: a swipe-reply to any of them answers the agent.
 */
export async function sendCommentNotification(
  deps: CommentNotificationDeps,
  event: CommentNotification,
  lang: Lang,
  options: { readonly signal?: AbortSignal; readonly deadline?: number } = {},
): Promise<readonly [number, ...number[]]> {
  const t = messages(lang);
  const chatId = event.telegram_user_id;
  // The text in order, one message after the other; the files answer the last (it has the buttons).
  const textIds: number[] = [];
  for (const part of commentMessages(lang, event, event.comment)) {
    const sentPart = await deps.telegram.callApi('sendMessage', { chat_id: chatId, ...part, parse_mode: 'HTML' }, { signal: options.signal as TelegrafSignal });
    textIds.push(sentPart.message_id);
  }
  const message = { message_id: textIds.at(-1) as number };
  const sent: [number, ...number[]] = [textIds[0] as number, ...textIds.slice(1)];
  const undelivered: string[] = [];
  // Every download and upload ends at the deadline: a file server that drips must not hold the
  // event past its lease (a copy would then be sent again).
  const filesEnd = options.deadline === undefined ? undefined : AbortSignal.timeout(Math.max(0, options.deadline - Date.now()));
  for (const file of event.comment.attachments) {
    // Past the deadline the event's lease may end: the rest are told, not sent.
    if (options.deadline !== undefined && Date.now() > options.deadline) {
      undelivered.push(file.file_name);
      continue;
    }
    // One file after the other, in the agent's order, each under the comment.
    const result = await deps.sendAttachment(deps.telegram, chatId, file, { reply_parameters: { message_id: message.message_id } }, { signal: filesEnd });
    if (result.delivered) sent.push(result.messageId);
    else undelivered.push(file.file_name);
  }
  if (undelivered.length > 0) {
    await deps.telegram.callApi('sendMessage', {
      chat_id: chatId,
      text: undelivered.map((name) => t.fileNotDelivered(escapeHtml(name))).join('\n'),
      parse_mode: 'HTML',
      reply_parameters: { message_id: message.message_id, allow_sending_without_reply: true },
    });
  }
  return sent;
}
