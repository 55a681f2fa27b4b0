import * as v from 'valibot';
import { NOTICE_TTL_SECONDS } from '../bot/reply-target.js';
import type { KvCommand } from '../store/kv-store.js';

/** Which message of a chat carried an agent's comment, and when it was sent. */
export interface CommentMessage {
  readonly messageId: number;
  /** Unix seconds: Telegram lets a bot edit its message only for a while. */
  readonly sentAt: number;
}

const RecordSchema = v.object({ m: v.pipe(v.number(), v.integer(), v.minValue(1)), at: v.pipe(v.number(), v.integer(), v.minValue(0)) });

/**
 * `comment-message:{chat}:{request}:{comment}`: written with the comment notification's notice
 * record (same round trip), read with the lease of a `comment_edited` event (same round trip).
 * Parts are URI-encoded so that ids holding `:` cannot name another comment's key.
 */
export function commentMessageKey(chatId: number, requestId: string, commentId: string): string {
  return `comment-message:${chatId}:${encodeURIComponent(requestId)}:${encodeURIComponent(commentId)}`;
}

/** Lives as long as the notice record: an edit after that arrives as a fresh "Updated" message. */
export function rememberCommentMessage(chatId: number, requestId: string, commentId: string, message: CommentMessage): KvCommand {
  return {
    op: 'set',
    key: commentMessageKey(chatId, requestId, commentId),
    value: JSON.stringify({ m: message.messageId, at: message.sentAt }),
    ttlSeconds: NOTICE_TTL_SECONDS,
  };
}

export function parseCommentMessage(raw: string | null | undefined): CommentMessage | undefined {
  if (raw === null || raw === undefined) return undefined;
  try {
    const parsed = v.safeParse(RecordSchema, JSON.parse(raw));
    return parsed.success ? { messageId: parsed.output.m, sentAt: parsed.output.at } : undefined;
  } catch {
    return undefined;
  }
}
