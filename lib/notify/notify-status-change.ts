import { TelegramError, type Telegram } from 'telegraf';
import type { StatusNotification } from '../backend/schemas.js';
import { encodeCallback } from '../bot/callback-data.js';
import { escapeHtml } from '../bot/views/html.js';
import { DEFAULT_LANG, messages } from '../i18n/index.js';
import type { Logger } from '../logger.js';
import { parseSession, sessionKey } from '../session/session.js';
import { statusActionRows } from './status-actions.js';
import type { KvStore } from '../store/kv-store.js';

export type NotifyResult = { readonly delivered: true; readonly messageId: number } | { readonly delivered: false; readonly reason: 'blocked' };

/**
 * Tells a person their request changed status, in their language, with a button to its details.
 * A person who blocked the bot cannot be told (403): that is an answer, not a failure to retry.
 */
export async function notifyStatusChange(
  deps: { readonly telegram: Telegram; readonly store: KvStore; readonly logger: Logger },
  notification: StatusNotification,
): Promise<NotifyResult> {
  const userId = notification.telegram_user_id;
  let lang = DEFAULT_LANG;
  try {
    const [raw] = await deps.store.exec([{ op: 'get', key: sessionKey(userId) }]);
    lang = parseSession(raw).lang ?? DEFAULT_LANG;
  } catch (error) {
    deps.logger.warn({ err: error }, '[store] session unreadable for a notification, using the default language');
  }
  const t = messages(lang);
  const lines = [t.statusChanged(escapeHtml(notification.number), t.status[notification.status])];
  if (notification.comment) lines.push(t.statusComment(escapeHtml(notification.comment)));
  try {
    const message = await deps.telegram.sendMessage(userId, lines.join('\n'), {
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
    });
    deps.logger.info({ request_id: notification.request_id, status: notification.status }, 'status notification sent');
    return { delivered: true, messageId: message.message_id };
  } catch (error) {
    if (error instanceof TelegramError && (error.code === 403 || error.code === 400)) {
      deps.logger.warn({ request_id: notification.request_id, code: error.code }, 'status notification not deliverable');
      return { delivered: false, reason: 'blocked' };
    }
    throw error;
  }
}
