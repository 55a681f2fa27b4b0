import type { Telegram } from 'telegraf';
import type { StatusNotification } from '../backend/schemas.js';
import { encodeCallback } from '../bot/callback-data.js';
import { escapeHtml, escapeHtmlWithin } from '../bot/views/html.js';
import { MESSAGE_LIMIT } from '../bot/views/request-thread.js';
import { messages, type Lang } from '../i18n/index.js';
import { statusActionRows } from './status-actions.js';

type TelegrafSignal = NonNullable<Parameters<Telegram['callApi']>[2]>['signal'];

/**
 * Tells a person their request changed status, in their language, with a button to its details.
 * One Bot API call; a refusal or a network failure rejects (the caller decides what it means).
 * @returns the id of the message sent.
 */
export async function sendStatusChange(
  telegram: Telegram,
  notification: StatusNotification,
  lang: Lang,
  signal?: AbortSignal,
): Promise<number> {
  const t = messages(lang);
  const lines = [t.statusChanged(escapeHtml(notification.number), t.status[notification.status])];
  if (notification.comment) {
    // A comment longer than one message is shortened, not refused by Telegram (and so lost).
    const room = MESSAGE_LIMIT - lines[0]!.length - t.statusComment('').length - 1;
    lines.push(t.statusComment(escapeHtmlWithin(notification.comment, room, t.threadShortened)));
  }
  const message = await telegram.callApi(
    'sendMessage',
    {
      chat_id: notification.telegram_user_id,
      text: lines.join('\n'),
      parse_mode: 'HTML',
      reply_markup: {
        inline_keyboard: [
          [
            {
              text: t.buttonViewRequest(notification.number),
              callback_data: encodeCallback({ kind: 'open-request', lang, requestId: notification.request_id }),
            },
          ],
          ...statusActionRows(t, notification),
        ],
      },
    },
    // Telegraf types its option with the abort-controller shim; Node's own AbortSignal is what node-fetch takes.
    { signal: signal as TelegrafSignal },
  );
  return message.message_id;
}
