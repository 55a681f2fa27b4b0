import type { Attachment, CustomerFile } from '../../backend/schemas.js';
import { MAX_DESCRIPTION_LENGTH } from '../../backend/schemas.js';
import type { Draft } from '../../session/session.js';

/** The most files one request carries (the contract's limit): an album counts item by item. */
export const MAX_DRAFT_FILES = 10;

/**
 * The files of a draft, in one place: the attachment step and the summary add to them, the summary
 * and the submission read them. A draft stored before files of every kind held one `photoFileId`:
 * it reads as the first file.
 */
export function draftFiles(draft: Draft): CustomerFile[] {
  const legacy: CustomerFile[] = draft.photoFileId === undefined ? [] : [photoFile(draft.photoFileId)];
  return [...legacy, ...(draft.files ?? [])];
}

/** Adds a file; `full` (nothing added) once the draft has MAX_DRAFT_FILES. */
export function addFile(draft: Draft, file: CustomerFile): 'added' | 'full' {
  const files = draftFiles(draft);
  if (files.length >= MAX_DRAFT_FILES) return 'full';
  delete draft.photoFileId;
  draft.files = [...files, file];
  return 'added';
}

export function removeFiles(draft: Draft): void {
  delete draft.photoFileId;
  delete draft.files;
  delete draft.album;
}

export function hasAttachments(draft: Draft): boolean {
  return draftFiles(draft).length > 0;
}

/** What the submission sends under `attachments`. */
export function draftAttachments(draft: Draft): Attachment[] {
  return draftFiles(draft);
}

/** A file's caption goes with the description (a new line of it), within the longest description we send. */
export function appendCaption(draft: Draft, caption: string | undefined): void {
  if (caption === undefined) return;
  const joined = draft.description === undefined ? caption : `${draft.description}\n${caption}`;
  draft.description = [...joined].slice(0, MAX_DESCRIPTION_LENGTH).join('');
}

function photoFile(fileId: string): CustomerFile {
  return { telegram_file_id: fileId, kind: 'photo', file_name: undefined, mime_type: undefined, file_size: undefined, duration: undefined };
}
