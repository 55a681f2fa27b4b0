import { TelegramError, type Telegram } from 'telegraf';
import type { CommentEditedNotification } from '../backend/schemas.js';
import type { Lang } from '../i18n/index.js';
import type { CommentMessage } from './comment-message.js';
import { commentMessage, commentMessages } from './notify-comment.js';

type TelegrafSignal = NonNullable<Parameters<Telegram['callApi']>[2]>['signal'];

/** Telegram lets a bot edit its own messages for 48 hours. */
export const COMMENT_EDIT_WINDOW_SECONDS = 48 * 3600;

export interface CommentEditOptions {
  readonly signal?: AbortSignal;
  /** How long after sending the bot tries an edit in place; later it answers the message instead. */
  readonly editWindowSeconds: number;
  readonly nowSeconds: number;
}

/** What telling an edit did: the message that now carries the new text, and whether it is a new one. */
export interface CommentEditResult {
  readonly messageId: number;
  readonly newMessage: boolean;
  /** Every message that carries the new text (several when it is long). */
  readonly messageIds: readonly number[];
}

/**
 * An agent changed a comment the person was told about:
 * - the message that carried it (`original`, from the comment's record) is edited in place while
 *   Telegram allows it and the new text fits one message: same head, new text, Reply and View;
 *   Telegram marks it "edited" (a longer text goes as "Updated: …" messages, as below);
 * - when it is too old or Telegram refuses the edit (too old, or deleted by the person), "Updated: …"
 *   with the new text answers it as a reply (sent even when that message is gone);
 * - when the bot never carried it or cannot match it (no record: sent before comment ids, without
 *   `comment.id`, or more than 30 days ago), the same "Updated: …" arrives as a message of its own.
 * The same edit told twice changes nothing ("message is not modified" counts as done).
 * Other failures reject, for the caller to classify (blocked, rate-limited, unavailable).
 */
export async function sendCommentEdit(
  telegram: Telegram,
  event: CommentEditedNotification,
  lang: Lang,
  original: CommentMessage | undefined,
  options: CommentEditOptions,
): Promise<CommentEditResult> {
  const chatId = event.telegram_user_id;
  const signal = options.signal as TelegrafSignal;
  // A new text longer than one message cannot replace the old in place: it goes as "Updated" messages.
  const single = commentMessage(lang, event, event.comment);
  if (original !== undefined && single !== undefined && options.nowSeconds - original.sentAt < options.editWindowSeconds) {
    try {
      await telegram.callApi('editMessageText', { chat_id: chatId, message_id: original.messageId, ...single, parse_mode: 'HTML' }, { signal });
      return { messageId: original.messageId, newMessage: false, messageIds: [original.messageId] };
    } catch (error) {
      if (!(error instanceof TelegramError) || error.code !== 400) throw error;
      if (/message is not modified/i.test(error.description)) return { messageId: original.messageId, newMessage: false, messageIds: [original.messageId] };
      // Any other 400 is about that message (too old to edit, deleted): answer it instead.
    }
  }
  const messageIds: number[] = [];
  for (const part of commentMessages(lang, event, event.comment, 'update')) {
    const message = await telegram.callApi(
      'sendMessage',
      {
        chat_id: chatId,
        ...part,
        parse_mode: 'HTML',
        ...(original !== undefined && messageIds.length === 0 && { reply_parameters: { message_id: original.messageId, allow_sending_without_reply: true } }),
      },
      { signal },
    );
    messageIds.push(message.message_id);
  }
  return { messageId: messageIds[0] as number, newMessage: true, messageIds };
}
