import type { Attachment, CommentFile, RequestDetails } from '../backend/schemas.js';

/**
 * Where a file of a request is, as a button or a Mini App link names it: submitted with the request
 * (`a`), in a comment of the thread (`c<index>`), or with a change of status (`h<index>`: a
 * reopening's photo). The file itself is `fileIndex` there.
 */
export type FilePlace = 'a' | `c${number}` | `h${number}`;

const PLACE = /^(a|[ch]\d{1,4})$/;

export function isFilePlace(text: string): text is FilePlace {
  return PLACE.test(text);
}

/** The file a place names, looked up in the request as it is now; undefined when it is no longer there. */
export function fileAt(details: RequestDetails, place: FilePlace, fileIndex: number): CommentFile | Attachment | undefined {
  if (place === 'a') return details.attachments?.[fileIndex];
  const index = Number(place.slice(1));
  if (place.startsWith('c')) return details.comments[index]?.attachments[fileIndex];
  return details.status_history[index]?.attachments?.[fileIndex];
}
