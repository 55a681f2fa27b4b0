import type { InlineKeyboardMarkup } from 'telegraf/types';
import { escapeHtmlInParts } from './html.js';
import { MESSAGE_LIMIT } from './request-thread.js';

/** One Telegram message of a text sent in parts: HTML, and the buttons when it is the last. */
export interface MessagePart {
  readonly text: string;
  readonly reply_markup?: InlineKeyboardMarkup;
}

/**
 * `head`, the escaped `text` and `tail` as messages of at most MESSAGE_LIMIT (as sent): one when
 * they fit, else the text in parts with the head on the first and the tail and buttons on the last.
 * `glue` goes between the head and the text (a blank line unless told).
 */
export function splitMessage(
  head: string,
  text: string,
  tail: string,
  reply_markup: InlineKeyboardMarkup,
  glue = '\n\n',
): readonly [MessagePart, ...MessagePart[]] {
  const room = MESSAGE_LIMIT - Math.max(head.length + glue.length, tail.length + 2);
  const parts = text === '' ? [''] : escapeHtmlInParts(text, room);
  const last = parts.length - 1;
  const out = parts.map((part, i): MessagePart => {
    const first = i === 0 && head !== '' ? (part === '' ? head : head + glue) : '';
    const end = i === last && tail !== '' ? (part === '' && first === '' ? tail : `\n\n${tail}`) : '';
    const body = first + part + end;
    return i === last ? { text: body, reply_markup } : { text: body };
  });
  return out as [MessagePart, ...MessagePart[]];
}
