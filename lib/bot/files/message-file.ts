import type { Message } from 'telegraf/types';
import type { AttachmentKind, CustomerFile } from '../../backend/schemas.js';
import { MAX_BOT_DOWNLOAD_BYTES } from '../../files/telegram-limits.js';

/** What a message brings as a file: one the bot can take, one too big for it, or none. */
export type MessageFile = { readonly file: CustomerFile } | { readonly problem: 'too-big'; readonly kind: AttachmentKind } | undefined;

interface TelegramFileFields {
  readonly file_id: string;
  readonly file_size?: number;
  readonly file_name?: string;
  readonly mime_type?: string;
  readonly duration?: number;
}

// Order matters: Telegram also puts an animation under `document` (for older clients), so the
// more specific kinds are looked for first.
const KINDS: readonly Exclude<AttachmentKind, 'photo'>[] = ['animation', 'voice', 'audio', 'video', 'video_note', 'document'];

/**
 * The file of a photo, document, voice message, audio file, video, video note or animation, with
 * what Telegram says of it (name, type, size, duration). A photo is its largest size. A file over
 * the 20 MB a bot may download (getFile) is `too-big`: it could never reach the backend.
 */
export function messageFile(message: Message | undefined): MessageFile {
  if (!message) return undefined;
  if ('photo' in message && Array.isArray(message.photo)) {
    const largest = message.photo.at(-1);
    if (!largest) return undefined;
    return checked('photo', largest);
  }
  for (const kind of KINDS) {
    const fields = (message as unknown as Record<string, TelegramFileFields | undefined>)[kind];
    if (fields && typeof fields.file_id === 'string') return checked(kind, fields);
  }
  return undefined;
}

function checked(kind: AttachmentKind, fields: TelegramFileFields): MessageFile {
  if ((fields.file_size ?? 0) > MAX_BOT_DOWNLOAD_BYTES) return { problem: 'too-big', kind };
  return {
    file: {
      telegram_file_id: fields.file_id,
      kind,
      file_name: fields.file_name,
      mime_type: fields.mime_type,
      file_size: fields.file_size,
      duration: fields.duration,
    },
  };
}

/** The text a file came with (its caption), trimmed; undefined when there is none. */
export function captionOf(message: Message | undefined): string | undefined {
  return (message && 'caption' in message ? message.caption : undefined)?.trim() || undefined;
}
