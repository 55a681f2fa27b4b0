import type { Message } from 'telegraf/types';
import { MAX_COMMENT_LENGTH, type CustomerFile } from '../../backend/schemas.js';

/** Telegram lets a bot download files of up to 20 MB (getFile); a larger one could never reach the backend. */
export const MAX_BOT_FILE_BYTES = 20 * 1024 * 1024;

export type CommentContent = { readonly text?: string; readonly attachments?: readonly CustomerFile[] };

export type ContentProblem =
  | { readonly problem: 'too-long'; readonly length: number }
  | { readonly problem: 'too-big' }
  | { readonly problem: 'unsupported' };

/** What a message adds to a request's thread: its text (or caption) and its photo or document. */
export function commentContent(message: Message | undefined): CommentContent | ContentProblem {
  if (!message) return { problem: 'unsupported' };
  const raw = 'text' in message ? message.text : 'caption' in message ? message.caption : undefined;
  const text = raw?.trim() || undefined;
  if (text !== undefined && [...text].length > MAX_COMMENT_LENGTH) return { problem: 'too-long', length: [...text].length };
  if ('photo' in message) {
    const largest = message.photo.at(-1);
    if (!largest) return { problem: 'unsupported' };
    return { ...(text && { text }), attachments: [{ telegram_file_id: largest.file_id, kind: 'photo', file_name: undefined, mime_type: undefined }] };
  }
  if ('document' in message) {
    const { document } = message;
    if ((document.file_size ?? 0) > MAX_BOT_FILE_BYTES) return { problem: 'too-big' };
    return {
      ...(text && { text }),
      attachments: [{ telegram_file_id: document.file_id, kind: 'document', file_name: document.file_name, mime_type: document.mime_type }],
    };
  }
  if ('text' in message && text !== undefined) return { text };
  return { problem: 'unsupported' };
}

export function isProblem(content: CommentContent | ContentProblem): content is ContentProblem {
  return 'problem' in content;
}
