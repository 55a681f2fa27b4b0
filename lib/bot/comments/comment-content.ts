import type { Message } from 'telegraf/types';
import { MAX_COMMENT_LENGTH, type CustomerFile } from '../../backend/schemas.js';
import { MAX_BOT_DOWNLOAD_BYTES } from '../../files/telegram-limits.js';
import { captionOf, messageFile } from '../files/message-file.js';

/** Telegram lets a bot download files of up to 20 MB (getFile); a larger one could never reach the backend. */
export const MAX_BOT_FILE_BYTES = MAX_BOT_DOWNLOAD_BYTES;

export type CommentContent = { readonly text?: string; readonly attachments?: readonly CustomerFile[] };

export type ContentProblem =
  | { readonly problem: 'too-long'; readonly length: number }
  | { readonly problem: 'too-big' }
  | { readonly problem: 'unsupported' };

/** What a message adds to a request's thread: its text (or caption) and its file of any kind. */
export function commentContent(message: Message | undefined): CommentContent | ContentProblem {
  if (!message) return { problem: 'unsupported' };
  const text = ('text' in message ? message.text.trim() || undefined : undefined) ?? captionOf(message);
  if (text !== undefined && [...text].length > MAX_COMMENT_LENGTH) return { problem: 'too-long', length: [...text].length };
  const found = messageFile(message);
  if (found && 'problem' in found) return { problem: 'too-big' };
  if (found) return { ...(text && { text }), attachments: [found.file] };
  if ('text' in message && text !== undefined) return { text };
  return { problem: 'unsupported' };
}

export function isProblem(content: CommentContent | ContentProblem): content is ContentProblem {
  return 'problem' in content;
}
