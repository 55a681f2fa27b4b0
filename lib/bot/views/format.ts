import type { RequestStatus } from '../../backend/schemas.js';
import type { Lang, Messages } from '../../i18n/index.js';
import { escapeHtml } from './html.js';

export function statusLabel(t: Messages, status: RequestStatus): string {
  return t.status[status];
}

/** A backend timestamp as the person reads it (UTC, named as such); an unreadable one as it came. */
export function formatDate(iso: string, lang: Lang): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return escapeHtml(iso);
  return date.toLocaleString(lang === 'ru' ? 'ru-RU' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }) + ' UTC';
}
