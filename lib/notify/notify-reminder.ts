import type { Telegram } from 'telegraf';
import { encodeCallback } from '../bot/callback-data.js';
import { escapeHtml } from '../bot/views/html.js';
import { messages, type Lang } from '../i18n/index.js';

type TelegrafSignal = NonNullable<Parameters<Telegram['callApi']>[2]>['signal'];

/**
 * "SR-1042 is waiting for your answer", with Reply (or a swipe) and View, in the person's language.
 * One Bot API call; a refusal or a network failure rejects (the caller decides what it means).
 * @returns the id of the message sent.
 */
export async function sendReminder(
  telegram: Telegram,
  target: { readonly userId: number; readonly requestId: string; readonly number: string },
  lang: Lang,
  signal?: AbortSignal,
): Promise<number> {
  const t = messages(lang);
  const message = await telegram.callApi(
    'sendMessage',
    {
      chat_id: target.userId,
      text: `${t.reminderWaiting(escapeHtml(target.number))}\n\n<i>${t.agentCommentReplyHint}</i>`,
      parse_mode: 'HTML',
      reply_markup: {
        inline_keyboard: [
          [
            { text: t.buttonReply, callback_data: encodeCallback({ kind: 'reply', requestId: target.requestId }) },
            { text: t.buttonViewRequest(target.number), callback_data: encodeCallback({ kind: 'open-request', lang, requestId: target.requestId }) },
          ],
        ],
      },
    },
    { signal: signal as TelegrafSignal },
  );
  return message.message_id;
}
