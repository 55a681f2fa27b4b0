import { TelegramError, type Telegram } from 'telegraf';
import type { CommentEditedNotification } from '../backend/schemas.js';
import type { Lang } from '../i18n/index.js';
import type { CommentMessage } from './comment-message.js';
import { commentMessage } from './notify-comment.js';

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
}

/**
 * An agent changed a comment the person was told about:
 * - the message that carried it (`original`, from the comment's record) is edited in place while
 *   Telegram allows it: same head, new text, Reply and View; Telegram marks it "edited";
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
  if (original !== undefined && options.nowSeconds - original.sentAt < options.editWindowSeconds) {
    try {
      await telegram.callApi(
        'editMessageText',
        { chat_id: chatId, message_id: original.messageId, ...commentMessage(lang, event, event.comment), parse_mode: 'HTML' },
        { signal },
      );
      return { messageId: original.messageId, newMessage: false };
    } catch (error) {
      if (!(error instanceof TelegramError) || error.code !== 400) throw error;
      if (/message is not modified/i.test(error.description)) return { messageId: original.messageId, newMessage: false };
      // Any other 400 is about that message (too old to edit, deleted): answer it instead.
    }
  }
  const message = await telegram.callApi(
    'sendMessage',
    {
      chat_id: chatId,
      ...commentMessage(lang, event, event.comment, 'update'),
      parse_mode: 'HTML',
      ...(original !== undefined && { reply_parameters: { message_id: original.messageId, allow_sending_without_reply: true } }),
    },
    { signal },
  );
  return { messageId: message.message_id, newMessage: true };
}
