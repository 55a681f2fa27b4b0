import * as v from 'valibot';
import type { KvCommand } from '../../store/kv-store.js';
import type { BotContext } from '../context.js';

/** How long a person's edit of a comment still reaches the backend (Telegram lets them edit for 48 h). */
export const COMMENT_EDIT_SECONDS = 48 * 3600;

const SentCommentSchema = v.object({
  requestId: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,48}$/)),
  number: v.pipe(v.string(), v.maxLength(64)),
  commentId: v.pipe(v.string(), v.nonEmpty(), v.maxLength(128)),
});
export type SentComment = v.InferOutput<typeof SentCommentSchema>;

/**
 * Which comment a person's message became, by chat and message id: written in the comment's own
 * update (the same final pipeline as its session and "done" marker, so no round trip of its own),
 * kept 48 h, and read only when Telegram says that message was edited (in the edit's first round trip).
 */
export function sentCommentKey(chatId: number, messageId: number): string {
  return `sent-comment:${chatId}:${messageId}`;
}

export function rememberSentComment(chatId: number, messageId: number, sent: SentComment): KvCommand {
  return { op: 'set', key: sentCommentKey(chatId, messageId), value: JSON.stringify(sent), ttlSeconds: COMMENT_EDIT_SECONDS };
}

/** The key to look up for this update: an edit of a message the person sent. */
export function editLookupKey(ctx: BotContext): string | undefined {
  const edited = ctx.editedMessage;
  return edited && ctx.chat ? sentCommentKey(ctx.chat.id, edited.message_id) : undefined;
}

export function parseSentComment(raw: string | null | undefined): SentComment | undefined {
  if (raw === null || raw === undefined) return undefined;
  try {
    const parsed = v.safeParse(SentCommentSchema, JSON.parse(raw));
    return parsed.success ? parsed.output : undefined;
  } catch {
    return undefined;
  }
}
