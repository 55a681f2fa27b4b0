// The person's language, with the bot's own strings (lib/i18n: one source for the chat and the app).
import type { ComponentChildren } from 'preact';
import { escapeHtml } from '../../lib/bot/views/html.js';
import { langFromCode, messages, type Lang, type Messages } from '../../lib/i18n/index.js';

export { escapeHtml };
export type { Lang, Messages };

export function textFor(languageCode: string | undefined): { lang: Lang; t: Messages } {
  const lang = langFromCode(languageCode);
  return { lang, t: messages(lang) };
}

/**
 * The bot's strings are Telegram HTML: bold and escaped text. Shown here as text nodes and `<b>`, never
 * as HTML, so nothing a person or an agent wrote can become markup.
 */
export function Rich({ html }: { readonly html: string }): ComponentChildren {
  const parts = html.split(/(<b>|<\/b>)/);
  const out: ComponentChildren[] = [];
  let bold = false;
  parts.forEach((part, i) => {
    if (part === '<b>') bold = true;
    else if (part === '</b>') bold = false;
    else if (part !== '') {
      const text = decode(part.replace(/<[^>]*>/g, ''));
      out.push(bold ? <b key={i}>{text}</b> : text);
    }
  });
  return out;
}

function decode(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
}

// One formatter per language: building one is the costly part (toLocaleString builds one per call).
const formatters = new Map<Lang, Intl.DateTimeFormat>();

/** A backend timestamp in the person's own time zone and language; an unreadable one as it came. */
export function formatDate(iso: string, lang: Lang): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  let formatter = formatters.get(lang);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(lang === 'ru' ? 'ru-RU' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' });
    formatters.set(lang, formatter);
  }
  return formatter.format(date);
}
