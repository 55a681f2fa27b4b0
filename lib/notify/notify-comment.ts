import type { Telegram } from 'telegraf';
import type { InlineKeyboardMarkup } from 'telegraf/types';
import { isOpenStatus, type AgentFile, type CommentNotification } from '../backend/schemas.js';
import { encodeCallback } from '../bot/callback-data.js';
import { escapeHtml, escapeHtmlWithin } from '../bot/views/html.js';
import { MESSAGE_LIMIT } from '../bot/views/request-thread.js';
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
 * An agent's comment as one message: who wrote on which request (or, for an update, that it
 * changed), the text, the hint, and Reply (or a swipe) and View. The comment's notification, its
 * in-place edit and an "Updated" message are all rendered here, so they never drift apart.
 */
export function commentMessage(
  lang: Lang,
  event: Pick<CommentNotification, 'request_id' | 'number'> & { readonly status?: CommentNotification['status'] },
  comment: { readonly author_name?: string; readonly text?: string },
  form: 'comment' | 'update' = 'comment',
): { readonly text: string; readonly reply_markup: InlineKeyboardMarkup } {
  const t = messages(lang);
  const number = escapeHtml(event.number);
  const author = escapeHtml(comment.author_name ?? t.threadAgent);
  const head = form === 'update' ? t.agentCommentUpdated(number, author) : t.agentComment(number, author);
  // A request that takes no more comments offers no Reply, and says so instead of the hint.
  const closed = event.status !== undefined && !isOpenStatus(event.status);
  const hint = `<i>${closed ? t.agentCommentOnClosed : t.agentCommentReplyHint}</i>`;
  const room = MESSAGE_LIMIT - head.length - hint.length - 4;
  const body = comment.text?.trim() ? escapeHtmlWithin(comment.text.trim(), room, t.threadShortened) : '';
  return {
    text: [head, body, hint].filter((part) => part !== '').join('\n\n'),
    reply_markup: {
      inline_keyboard: [
        [
          ...(closed ? [] : [{ text: t.buttonReply, callback_data: encodeCallback({ kind: 'reply', requestId: event.request_id }) }]),
          { text: t.buttonViewRequest(event.number), callback_data: encodeCallback({ kind: 'open-request', lang, requestId: event.request_id }) },
        ],
      ],
    },
  };
}

/**
 * An agent's comment, as the person reads it (`commentMessage`); then each file, under the text.
 * The text goes first and always arrives: a file the bot cannot fetch is told as such in one line
 * of its own.
 * @returns the ids of the text message and of each file sent: a swipe-reply to any of them answers the agent.
 */
export async function sendCommentNotification(
  deps: CommentNotificationDeps,
  event: CommentNotification,
  lang: Lang,
  options: { readonly signal?: AbortSignal; readonly deadline?: number } = {},
): Promise<readonly [number, ...number[]]> {
  const t = messages(lang);
  const chatId = event.telegram_user_id;
  const message = await deps.telegram.callApi(
    'sendMessage',
    { chat_id: chatId, ...commentMessage(lang, event, event.comment), parse_mode: 'HTML' },
    { signal: options.signal as TelegrafSignal },
  );

  const sent: [number, ...number[]] = [message.message_id];
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
