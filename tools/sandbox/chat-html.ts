// A sandbox conversation as one HTML page that looks like a Telegram chat, for screenshots of the
// README. Pure: transcript entries in, HTML out; chat-screenshots.ts drives Chromium.
import type { InlineButtonView, ReplyButtonView, TranscriptEntry } from './render.js';

/** What the person did, in the order they did it: a typed message, or something else (a tap). */
export type PersonTurn = { readonly kind: 'typed'; readonly text: string } | { readonly kind: 'other' };

/** One bubble of the chat as it stands at the end: the bot's messages as last edited, deleted ones gone. */
export type ChatBubble =
  | {
      readonly from: 'bot';
      readonly messageId: number;
      readonly html: string;
      readonly photo: boolean;
      readonly document?: string;
      readonly buttons: readonly (readonly InlineButtonView[])[];
    }
  | { readonly from: 'person'; readonly text: string };

export interface ChatState {
  readonly bubbles: readonly ChatBubble[];
  /** The reply keyboard under the input field, if the newest message brought one. */
  readonly replyKeyboard?: readonly (readonly ReplyButtonView[])[];
}

/**
 * Folds a conversation into what the chat shows at its end, as Telegram does: an edited message
 * changes in place, a deleted one disappears, a tap leaves no bubble, a typed message and a shared
 * contact do.
 */
export function chatState(turns: readonly { readonly turn: PersonTurn; readonly entries: readonly TranscriptEntry[] }[]): ChatState {
  const bubbles: ChatBubble[] = [];
  let replyKeyboard: readonly (readonly ReplyButtonView[])[] | undefined;
  for (const { turn, entries } of turns) {
    if (turn.kind === 'typed') bubbles.push({ from: 'person', text: turn.text });
    for (const entry of entries) {
      if (entry.kind === 'you' && entry.text.startsWith('you shared your phone number')) {
        bubbles.push({ from: 'person', text: `📞 ${entry.text.replace('you shared your phone number', '').trim()}` });
      } else if (entry.kind === 'message') {
        const bubble: ChatBubble = {
          from: 'bot',
          messageId: entry.messageId,
          html: entry.html,
          photo: entry.photo,
          ...(entry.document !== undefined && { document: entry.document }),
          buttons: entry.buttons,
        };
        const at = bubbles.findIndex((b) => b.from === 'bot' && b.messageId === entry.messageId);
        if (entry.edited && at >= 0) bubbles[at] = bubble;
        else bubbles.push(bubble);
        // Shown only while the newest message is the one that brought it: the bot removes it when the step ends.
        if (!entry.edited) replyKeyboard = entry.replyKeyboard;
      } else if (entry.kind === 'deleted') {
        const at = bubbles.findIndex((b) => b.from === 'bot' && b.messageId === entry.messageId);
        if (at >= 0) bubbles.splice(at, 1);
      }
    }
  }
  return { bubbles, ...(replyKeyboard !== undefined && { replyKeyboard }) };
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function buttonsHtml(rows: readonly (readonly { readonly label: string }[])[], className: string): string {
  if (rows.length === 0) return '';
  const lines = rows.map((row) => `<div class="row">${row.map((b) => `<span class="button">${escapeHtml(b.label)}</span>`).join('')}</div>`);
  return `<div class="${className}">${lines.join('')}</div>`;
}

function bubbleHtml(bubble: ChatBubble): string {
  if (bubble.from === 'person') return `<div class="bubble person">${escapeHtml(bubble.text)}</div>`;
  const media = bubble.photo ? '<div class="photo">🖼</div>' : bubble.document !== undefined ? `<div class="document"><span class="icon">📄</span>${escapeHtml(bubble.document)}</div>` : '';
  // The bot's HTML is Telegram's own subset (b, i, code, a, blockquote), escaped by the bot: shown as sent.
  const text = bubble.html === '' ? '' : `<div class="text">${bubble.html}</div>`;
  return `<div class="bot-message"><div class="bubble bot">${media}${text}</div>${buttonsHtml(bubble.buttons, 'inline-keyboard')}</div>`;
}

const STYLE = `
  * { box-sizing: border-box; }
  body { margin: 0; font: 15px/1.35 -apple-system, "Segoe UI", Roboto, "DejaVu Sans", "Noto Color Emoji"; background: #c6d9b6; }
  header { background: #fff; padding: 10px 14px; border-bottom: 1px solid #d8d8d8; }
  header .name { font-weight: 600; } header .status { color: #8a8a8a; font-size: 13px; }
  main { display: flex; flex-direction: column; gap: 6px; padding: 10px 10px 14px; }
  .bubble { max-width: 82%; padding: 7px 10px; border-radius: 14px; white-space: pre-wrap; word-wrap: break-word; box-shadow: 0 1px 1px rgba(0,0,0,.12); }
  .bubble.person { align-self: flex-end; background: #e1fec6; border-bottom-right-radius: 4px; }
  .bot-message { align-self: flex-start; max-width: 82%; display: flex; flex-direction: column; gap: 3px; }
  .bubble.bot { max-width: 100%; background: #fff; border-bottom-left-radius: 4px; }
  .bubble a { color: #168acd; text-decoration: none; }
  .bubble code { font-family: ui-monospace, monospace; font-size: 14px; }
  .bubble blockquote { margin: 4px 0; padding-left: 8px; border-left: 3px solid #168acd; }
  .photo { width: 220px; height: 130px; border-radius: 10px; margin-bottom: 6px; background: linear-gradient(135deg, #9cc3e6, #5d8fbd); display: grid; place-items: center; font-size: 40px; }
  .document { display: flex; align-items: center; gap: 8px; margin-bottom: 6px; color: #168acd; }
  .document .icon { display: grid; place-items: center; width: 40px; height: 40px; border-radius: 50%; background: #4fae4e; font-size: 20px; }
  .inline-keyboard, .reply-keyboard { display: flex; flex-direction: column; gap: 3px; }
  .row { display: flex; gap: 3px; }
  .inline-keyboard .button { flex: 1; text-align: center; padding: 7px 8px; border-radius: 8px; background: rgba(60, 90, 60, .38); color: #fff; font-weight: 500; font-size: 14px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  footer { background: #f1f1f1; padding: 6px; border-top: 1px solid #d8d8d8; }
  .reply-keyboard .button { flex: 1; text-align: center; padding: 9px; border-radius: 6px; background: #fff; box-shadow: 0 1px 1px rgba(0,0,0,.15); }
  .input { margin-top: 6px; padding: 9px 12px; border-radius: 18px; background: #fff; color: #9a9a9a; }
`;

/** The chat at its end as a standalone page (no scripts, no outside resources). */
export function chatPageHtml(state: ChatState, options: { readonly title: string; readonly lang: string }): string {
  const keyboard = state.replyKeyboard === undefined ? '' : buttonsHtml(state.replyKeyboard, 'reply-keyboard');
  const inputHint = options.lang === 'ru' ? 'Сообщение' : 'Message';
  return `<!doctype html>
<html lang="${escapeHtml(options.lang)}"><head><meta charset="utf-8"><title>${escapeHtml(options.title)}</title><style>${STYLE}</style></head>
<body><header><div class="name">${escapeHtml(options.title)}</div><div class="status">bot</div></header>
<main>${state.bubbles.map(bubbleHtml).join('\n')}</main>
<footer>${keyboard}<div class="input">${inputHint}</div></footer></body></html>`;
}
