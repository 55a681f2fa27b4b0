import type { Message } from 'telegraf/types';
import * as v from 'valibot';
import type { CommentTarget } from '../session/session.js';
import type { KvCommand } from '../store/kv-store.js';
import type { BotContext } from './context.js';

/** As long as a person may still answer a notification by swiping it. */
export const NOTICE_TTL_SECONDS = 30 * 86_400;

const NoticeSchema = v.object({ requestId: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,48}$/)), number: v.string() });

/**
 * Which request a notification message was about, by chat and message id. Written when the
 * notification is sent; read (one command in the update's first round trip) only when a person
 * replies to a message of the bot, so that Telegram's swipe-to-reply answers the agent.
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
