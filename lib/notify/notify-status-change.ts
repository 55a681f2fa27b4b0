import type { Telegram } from 'telegraf';
import type { StatusNotification } from '../backend/schemas.js';
import { encodeCallback } from '../bot/callback-data.js';
import { escapeHtml } from '../bot/views/html.js';
import { splitMessage } from '../bot/views/message-parts.js';
import { messages, type Lang } from '../i18n/index.js';
import { statusActionRows } from './status-actions.js';

type TelegrafSignal = NonNullable<Parameters<Telegram['callApi']>[2]>['signal'];

/**
 * Tells a person their request changed status, in their language, with a button to its details.
 * A comment longer than one message goes whole in several, in order, the buttons on the last. A
 * refusal or a network failure rejects (the caller decides what it means).
 * @returns the ids of the messages sent, the first first.
 */
export async function sendStatusChange(
  telegram: Telegram,
  notification: StatusNotification,
  lang: Lang,
  signal?: AbortSignal,
): Promise<readonly [number, ...number[]]> {
  const t = messages(lang);
  const head = t.statusChanged(escapeHtml(notification.number), t.status[notification.status]);
  const reply_markup = {
    inline_keyboard: [
      [{ text: t.buttonViewRequest(notification.number), callback_data: encodeCallback({ kind: 'open-request', lang, requestId: notification.request_id }) }],
      ...statusActionRows(t, notification),
    ],
  };
  const comment = notification.comment?.trim() ?? '';
  // The comment follows on the next line after its 💬, as a one-message notification always had it.
  const parts = splitMessage(head, comment, '', reply_markup, `\n${t.statusComment('')}`);
  const ids: number[] = [];
  for (const part of parts) {
    // Telegraf types its option with the abort-controller shim; Node's own AbortSignal is what node-fetch takes.
    const message = await telegram.callApi('sendMessage', { chat_id: notification.telegram_user_id, ...part, parse_mode: 'HTML' }, { signal: signal as TelegrafSignal });
    ids.push(message.message_id);
  }
  return ids as [number, ...number[]];
}
