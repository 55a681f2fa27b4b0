import type { RequestStatus } from '../../backend/schemas.js';
import type { Lang, Messages } from '../../i18n/index.js';
import { escapeHtml } from './html.js';

export function statusLabel(t: Messages, status: RequestStatus): string {
  return t.status[status];
}

// One formatter per language and zone: building one is the costly part, and there are few of each.
const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * A backend timestamp as the person reads it: in the organisation's time zone (TIME_ZONE), named
 * by its abbreviation ("15 Jan 2026, 12:30 GMT+3", "… 09:30 UTC"); an unreadable one as it came.
 */
export function formatDate(iso: string, lang: Lang, timeZone = 'UTC'): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return escapeHtml(iso);
  const key = `${lang}:${timeZone}`;
  let formatter = formatters.get(key);
  if (formatter === undefined) {
    // dateStyle cannot be combined with timeZoneName: the same fields, spelled out.
    formatter = new Intl.DateTimeFormat(lang === 'ru' ? 'ru-RU' : 'en-GB', {
      day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone, timeZoneName: 'short',
    });
    formatters.set(key, formatter);
  }
  return formatter.format(date);
}
