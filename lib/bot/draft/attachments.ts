import type { Message } from 'telegraf/types';
import type { Attachment } from '../../backend/schemas.js';
import type { Draft } from '../../session/session.js';

/**
 * The files of a draft, in one place: the photo step and the summary add to it, the summary and the
 * submission read it. A draft holds one photo today (a new one replaces it); holding several files
 * of every kind is a change here and in the session's draft.
 */
export function addPhoto(draft: Draft, fileId: string): 'added' | 'replaced' {
  const had = draft.photoFileId !== undefined;
  draft.photoFileId = fileId;
  return had ? 'replaced' : 'added';
}

export function removePhotos(draft: Draft): void {
  delete draft.photoFileId;
}

export function hasAttachments(draft: Draft): boolean {
  return draft.photoFileId !== undefined;
}

/** What the submission sends under `attachments`. */
export function draftAttachments(draft: Draft): Attachment[] {
  return draft.photoFileId === undefined ? [] : [{ telegram_file_id: draft.photoFileId, kind: 'photo' }];
}

/** The largest size of a photo message (Telegram sends several, largest last). */
export function largestPhoto(message: Message | undefined): string | undefined {
  return message && 'photo' in message && Array.isArray(message.photo) ? message.photo.at(-1)?.file_id : undefined;
}
