// Pure rendering of what the bot did, for a terminal: Telegram HTML to readable text, numbered
// inline buttons, reply keyboards, toasts. No I/O here; terminal-chat.ts prints the lines.

/** An inline button as the person sees it: numbered in reading order within its message. */
export interface InlineButtonView {
  readonly number: number;
  readonly label: string;
  /** Set for a button that sends a callback query. */
  readonly callbackData?: string;
  /** Set for a button that opens a link. */
  readonly url?: string;
  /** A `web_app` button: Telegram opens the Mini App at this URL. */
  readonly webApp?: string;
}

/** A reply keyboard button (the keyboard under the input field). */
export interface ReplyButtonView {
  readonly label: string;
  /** Sends the person's own contact instead of the label. */
  readonly requestContact: boolean;
}

/** One thing that happened in the chat, in order. */
export type TranscriptEntry =
  | {
      readonly kind: 'message';
      readonly messageId: number;
      /** An earlier message changed in place (a screen update), rather than a new message. */
      readonly edited: boolean;
      /** As sent, Telegram HTML. */
      readonly html: string;
      /** Readable text: tags stripped, entities decoded. */
      readonly text: string;
      /** The message carries a photo (the text is then its caption). */
      readonly photo: boolean;
      /** The name of the document the message carries, if it is one. */
      readonly document?: string;
      readonly buttons: readonly (readonly InlineButtonView[])[];
      /** A reply keyboard sent with this message. */
      readonly replyKeyboard?: readonly (readonly ReplyButtonView[])[];
    }
  | { readonly kind: 'deleted'; readonly messageId: number }
  /** A callback answer: a toast (or an alert) over the chat. */
  | { readonly kind: 'toast'; readonly text: string; readonly alert: boolean }
  /** What the person did beyond typing: a tap, a shared contact, a photo. */
  | { readonly kind: 'you'; readonly text: string }
  /** Something the sandbox reports: a status change in the demo backend. */
  | { readonly kind: 'notice'; readonly text: string }
  /** Something went wrong: a webhook answer that is not 200, an error logged by the bot, a bad input. */
  | { readonly kind: 'error'; readonly text: string };

export interface RenderOptions {
  /** Show `<b>` as ANSI bold (only on a terminal); plain text otherwise. */
  readonly bold?: boolean;
}

const BOLD_ON = '\u001b[1m';
const BOLD_OFF = '\u001b[22m';
const INDENT = '    ';

const NAMED_ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", nbsp: ' ' };

/** Decodes the entities Telegram HTML allows: the named four and numeric ones. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) return safeCodePoint(Number.parseInt(name.slice(2), 16)) ?? whole;
    if (name.startsWith('#')) return safeCodePoint(Number.parseInt(name.slice(1), 10)) ?? whole;
    return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
  });
}

function safeCodePoint(code: number): string | undefined {
  return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
}

/**
 * Telegram HTML (parse_mode HTML) as readable text: tags stripped, entities decoded, `<b>` as
 * ANSI bold when asked, links as `text (url)` when the url is not the text itself.
 */
export function htmlToText(html: string, options: RenderOptions = {}): string {
  let out = '';
  let boldDepth = 0;
  const links: { href: string | undefined; start: number }[] = [];
  let last = 0;
  for (const match of html.matchAll(/<(\/?)([a-z][\w-]*)([^>]*)>/gi)) {
    out += decodeEntities(html.slice(last, match.index));
    last = match.index + match[0].length;
    const closing = match[1] === '/';
    const tag = (match[2] ?? '').toLowerCase();
    if (tag === 'b' || tag === 'strong') {
      if (!options.bold) continue;
      if (!closing && boldDepth++ === 0) out += BOLD_ON;
      if (closing && boldDepth > 0 && --boldDepth === 0) out += BOLD_OFF;
    } else if (tag === 'a') {
      if (!closing) {
        const href = /\bhref\s*=\s*"([^"]*)"/i.exec(match[3] ?? '')?.[1];
        links.push({ href: href === undefined ? undefined : decodeEntities(href), start: out.length });
      } else {
        const link = links.pop();
        if (link?.href && out.slice(link.start) !== link.href) out += ` (${link.href})`;
      }
    }
  }
  out += decodeEntities(html.slice(last));
  if (boldDepth > 0) out += BOLD_OFF;
  return out;
}

/** The inline keyboard of a message (Telegram's `reply_markup`), numbered row by row. */
export function numberInlineButtons(replyMarkup: unknown): InlineButtonView[][] {
  const rows = isObject(replyMarkup) && Array.isArray(replyMarkup.inline_keyboard) ? (replyMarkup.inline_keyboard as unknown[]) : [];
  let number = 0;
  return rows
    .filter((row): row is unknown[] => Array.isArray(row))
    .map((row) =>
      row.filter(isObject).map((button): InlineButtonView => {
        number += 1;
        const label = typeof button.text === 'string' ? button.text : '?';
        if (typeof button.callback_data === 'string') return { number, label, callbackData: button.callback_data };
        if (typeof button.url === 'string') return { number, label, url: button.url };
        if (isObject(button.web_app) && typeof button.web_app.url === 'string') return { number, label, webApp: button.web_app.url };
        return { number, label };
      }),
    )
    .filter((row) => row.length > 0);
}

/** The reply keyboard of a `reply_markup`, if it is one. */
export function replyKeyboardOf(replyMarkup: unknown): ReplyButtonView[][] | undefined {
  if (!isObject(replyMarkup) || !Array.isArray(replyMarkup.keyboard)) return undefined;
  return (replyMarkup.keyboard as unknown[])
    .filter((row): row is unknown[] => Array.isArray(row))
    .map((row) =>
      row.map((button): ReplyButtonView => {
        if (typeof button === 'string') return { label: button, requestContact: false };
        const label = isObject(button) && typeof button.text === 'string' ? button.text : '?';
        return { label, requestContact: isObject(button) && button.request_contact === true };
      }),
    )
    .filter((row) => row.length > 0);
}

export function renderInlineButtons(rows: readonly (readonly InlineButtonView[])[]): string[] {
  return rows.map((row) => INDENT + row.map((b) => `[${b.number}] ${b.label}${b.url === undefined && b.webApp === undefined ? '' : ' ↗'}`).join('  '));
}

export function renderReplyKeyboard(rows: readonly (readonly ReplyButtonView[])[]): string[] {
  const lines = rows.map((row) => `${INDENT}⌨ ${row.map((b) => `[${b.label}]`).join(' ')}`);
  const contact = rows.some((row) => row.some((b) => b.requestContact));
  lines.push(`${INDENT}  (type a keyboard button's text${contact ? ', or /contact to share your phone' : ''})`);
  return lines;
}

/** One entry as terminal lines (no trailing newline). */
export function renderEntry(entry: TranscriptEntry, options: RenderOptions = {}): string[] {
  switch (entry.kind) {
    case 'message': {
      const attachment = entry.photo ? '🖼 [photo]' : entry.document !== undefined ? `📄 [document: ${entry.document}]` : '';
      const body = (attachment !== '' ? `${attachment}${entry.html === '' ? '' : '\n'}` : '') + htmlToText(entry.html, options);
      const [first = '', ...rest] = body.split('\n');
      const lines = [`${entry.edited ? 'bot (edited):' : 'bot:'} ${first}`.trimEnd(), ...rest.map((line) => (line === '' ? '' : INDENT + line))];
      lines.push(...renderInlineButtons(entry.buttons));
      if (entry.replyKeyboard) lines.push(...renderReplyKeyboard(entry.replyKeyboard));
      return lines;
    }
    case 'deleted':
      return ['bot: (deleted a message)'];
    case 'toast':
      return [`  ${entry.alert ? '[alert]' : '[toast]'} ${entry.text}`];
    case 'you':
      return [`  (${entry.text})`];
    case 'notice':
      return [`  -- ${entry.text}`];
    case 'error':
      return [`!! ${entry.text}`];
  }
}

export function renderEntries(entries: readonly TranscriptEntry[], options: RenderOptions = {}): string[] {
  return entries.flatMap((entry) => renderEntry(entry, options));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
