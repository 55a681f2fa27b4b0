import type { Message } from 'telegraf/types';
import * as v from 'valibot';
import type { CommentTarget } from '../session/session.js';
import type { KvCommand } from '../store/kv-store.js';
import { decodeCallback, type CallbackAction } from './callback-data.js';
import type { BotContext } from './context.js';

/** As long as a person may still answer a notification by swiping it. */
export const NOTICE_TTL_SECONDS = 30 * 86_400;

const NoticeSchema = v.object({ requestId: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,48}$/)), number: v.string() });

/**
 * Which request a message of the bot was about, by chat and message id. Written when a notification
 * is sent, and when an update that writes the store anyway sends a new message naming one request
 * (the "request created" message, details opened from a notification, "Added to"); read (one
 * command in the update's first round trip) only when a person replies to a message of the bot, so
 * that Telegram's swipe-to-reply adds a comment to that request.
 */
export function noticeKey(chatId: number, messageId: number): string {
  return `notice:${chatId}:${messageId}`;
}

/** The store command that remembers a sent notification; callers add it to a pipeline they send anyway. */
export function rememberNotice(chatId: number, messageId: number, target: CommentTarget): KvCommand {
  return { op: 'set', key: noticeKey(chatId, messageId), value: JSON.stringify({ requestId: target.requestId, number: target.number }), ttlSeconds: NOTICE_TTL_SECONDS };
}

/** The key to look up for this update: a message replying to one of the bot's own messages. */
export function replyLookupKey(ctx: BotContext): string | undefined {
  const message = ctx.message as Message | undefined;
  if (!message || !ctx.chat || !('reply_to_message' in message)) return undefined;
  const replied = message.reply_to_message;
  if (replied?.from?.id !== ctx.botInfo.id) return undefined;
  return noticeKey(ctx.chat.id, replied.message_id);
}

export function parseNotice(raw: string | null | undefined): CommentTarget | undefined {
  if (raw === null || raw === undefined) return undefined;
  try {
    const parsed = v.safeParse(NoticeSchema, JSON.parse(raw));
    return parsed.success ? parsed.output : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Where a swipe-reply goes: the one request the replied message names. Telegram sends the replied
 * message as it stands now, with its inline keyboard, and that decides: it is what the person sees
 * (a message edited by stateless taps since its record was written may show another request, a
 * list, or the menu; a list naming several requests, or a menu naming none, is no target). A message
 * without a keyboard (an agent's file) has only its notice record. `number` is empty when only the
 * keyboard named the request: the caller looks it up.
 */
export function replyTarget(ctx: BotContext): CommentTarget | undefined {
  const recorded = parseNotice(ctx.prefetched);
  const message = ctx.message as Message | undefined;
  const replied = message && 'reply_to_message' in message ? message.reply_to_message : undefined;
  if (!replied || replied.from?.id !== ctx.botInfo.id) return recorded;
  if (!hasKeyboard(replied)) return recorded;
  const named = requestsOnKeyboard(replied);
  if (named.size !== 1) return undefined;
  const requestId = [...named][0] as string;
  return recorded?.requestId === requestId ? recorded : { requestId, number: '' };
}

function keyboardRows(message: object): unknown[] {
  const markup = 'reply_markup' in message ? (message.reply_markup as { inline_keyboard?: unknown } | undefined) : undefined;
  return Array.isArray(markup?.inline_keyboard) ? (markup.inline_keyboard as unknown[]) : [];
}

function hasKeyboard(message: object): boolean {
  return keyboardRows(message).some((row) => Array.isArray(row) && row.length > 0);
}

/** The requests the buttons of a message name (decoded from their callback data). */
function requestsOnKeyboard(message: object): Set<string> {
  const rows = keyboardRows(message);
  const named = new Set<string>();
  for (const row of rows) {
    for (const button of Array.isArray(row) ? row : []) {
      const data = typeof button === 'object' && button !== null && 'callback_data' in button ? button.callback_data : undefined;
      const action = typeof data === 'string' ? decodeCallback(data) : undefined;
      const requestId = action === undefined ? undefined : requestOf(action);
      if (requestId !== undefined) named.add(requestId);
    }
  }
  return named;
}

function requestOf(action: CallbackAction): string | undefined {
  return 'requestId' in action ? action.requestId : undefined;
}
