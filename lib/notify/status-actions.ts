import type { InlineKeyboardButton } from 'telegraf/types';
import type { StatusNotification } from '../backend/schemas.js';
import { decodeCallback, encodeCallback } from '../bot/callback-data.js';
import { ratingRow, resolutionRow } from '../bot/views/request-actions.js';
import type { Button } from '../bot/views/screen.js';
import type { Messages } from '../i18n/index.js';

/**
 * The buttons a status notification carries besides View: a resolved request asks ✅ Solved or
 * ↩️ Still a problem; a closed one asks for a rating (1⭐…5⭐). The taps check ownership like any other.
 */
export function statusActionRows(t: Messages, notification: StatusNotification): InlineKeyboardButton[][] {
  const rows: Button[][] =
    notification.status === 'resolved'
      ? [resolutionRow(t, notification.request_id)]
      : notification.status === 'closed'
        ? [ratingRow(notification.request_id)]
        : [];
  return rows.flatMap((row) => {
    const buttons = row.map((b) => ({ text: b.label, data: encodeIfFits(b) }));
    // A request id too long for a button's 64 bytes: the notification keeps its View button only.
    return buttons.every((b) => b.data !== undefined) ? [buttons.map((b) => ({ text: b.text, callback_data: b.data as string }))] : [];
  });
}

function encodeIfFits(b: Button): string | undefined {
  try {
    const data = encodeCallback(b.action);
    return decodeCallback(data) === undefined ? undefined : data;
  } catch {
    return undefined;
  }
}
