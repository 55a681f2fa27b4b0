import type { RequestDetails } from '../backend/schemas.js';

/**
 * Where a long text of a request is, as a "Read in full" button names it: its description (`d`),
 * a comment of the thread (`c<index>`), or the comment of a change of status (`h<index>`).
 */
export type TextPlace = 'd' | `c${number}` | `h${number}`;

const PLACE = /^(d|[ch]\d{1,4})$/;

export function isTextPlace(text: string): text is TextPlace {
  return PLACE.test(text);
}

/** The text a place names, in the request as it is now; undefined when it is no longer there. */
export function textAt(details: RequestDetails, place: TextPlace): string | undefined {
  if (place === 'd') return details.description;
  const index = Number(place.slice(1));
  return place.startsWith('c') ? details.comments[index]?.text : details.status_history[index]?.comment;
}
