import type { Attachment, Comment, CommentFile, RequestDetails } from '../../backend/schemas.js';
import type { FilePlace } from '../../requests/request-files.js';
import type { TextPlace } from '../../requests/request-texts.js';
import { placeName } from '../draft/draft-geo.js';
import type { Lang, Messages } from '../../i18n/index.js';
import { formatDate, statusLabel } from './format.js';
import { escapeHtml, escapeHtmlWithin } from './html.js';
import { ratingLine } from './request-actions.js';

/** Telegram's limit for one message's text. Measured on the HTML we send, which is never shorter. */
export const MESSAGE_LIMIT = 4096;
/** More file buttons than this under one page would bury the navigation. */
export const MAX_FILE_BUTTONS = 8;
// Room for the page title and separators around the entries.
const PAGE_OVERHEAD = 120;
/**
 * Most of a message the description may take in the details' head (escaped): a description the
 * bot takes (2000 characters) fits, and a page of the thread keeps room below it.
 */
const DESCRIPTION_ROOM = 2400;

/** A file of the request, by its place (what its button carries). */
export interface ThreadFileRef {
  readonly place: FilePlace;
  readonly fileIndex: number;
  readonly name: string;
}

export interface RequestPage {
  /** The whole message: `notice`, the header, and one page of the thread. Never over MESSAGE_LIMIT. */
  readonly text: string;
  /** 0 is the newest page; higher is older. */
  readonly index: number;
  readonly pages: number;
  /** The files submitted with the request (on every page), then those of this page's entries. */
  readonly files: readonly ThreadFileRef[];
  /** Texts shortened on this page (the description, an entry too long for a page): each gets "Read in full". */
  readonly shortened: readonly ShortenedText[];
}

/** A text shown shortened, and what its button says it is. */
export interface ShortenedText {
  readonly place: TextPlace;
  /** Plain text: the author, the status, or "Description". */
  readonly what: string;
}

interface Entry {
  readonly html: string;
  readonly files: readonly ThreadFileRef[];
  readonly shortened?: ShortenedText;
}

/**
 * A request's details with its status history and both sides' comments merged, newest last,
 * split into pages that each fit one Telegram message. Page 0 holds the newest entries, so the
 * person lands on what just happened; an entry too long for a page on its own is shortened, and
 * named in `shortened` (its "Read in full" button sends it whole).
 */
export function renderRequestPage(
  t: Messages,
  lang: Lang,
  details: RequestDetails,
  requestedIndex: number,
  notice?: string,
  timeZone = 'UTC',
): RequestPage {
  const head = detailsHeader(t, lang, details, timeZone);
  const header = (notice ? `${notice}\n\n` : '') + head.html;
  const budget = MESSAGE_LIMIT - header.length - PAGE_OVERHEAD;
  const pages = paginate(entries(t, lang, details, budget, timeZone), budget);
  const index = Math.min(Math.max(0, requestedIndex), pages.length - 1);
  const page = pages[index] ?? [];
  const body = page.map((entry) => entry.html).join('\n\n');
  const text = body === '' ? header : `${header}\n\n${t.threadTitle(pages.length - index, pages.length)}\n${body}`;
  const submitted = (details.attachments ?? []).map((file, fileIndex): ThreadFileRef => ({ place: 'a', fileIndex, name: fileName(t, file, fileIndex) }));
  const shortened = [...(head.shortened ? [head.shortened] : []), ...page.flatMap((entry) => (entry.shortened ? [entry.shortened] : []))];
  return { text, index, pages: pages.length, files: [...submitted, ...page.flatMap((entry) => entry.files)], shortened };
}

/** What was submitted (type, side, service, description, where, files, phone), the dates and the rating. */
function detailsHeader(t: Messages, lang: Lang, details: RequestDetails, timeZone: string): { readonly html: string; readonly shortened?: ShortenedText } {
  const lines = [
    t.requestDetails({
      number: escapeHtml(details.number),
      status: statusLabel(t, details.status),
      ...(details.request_type_name !== undefined && { type: escapeHtml(details.request_type_name) }),
      ...(details.side_name !== undefined && { side: escapeHtml(details.side_name) }),
      category: escapeHtml(details.category_name),
    }),
  ];
  let shortened: ShortenedText | undefined;
  if (details.description !== undefined) {
    const html = escapeHtmlWithin(details.description, DESCRIPTION_ROOM, t.threadShortened);
    if (html !== escapeHtml(details.description)) shortened = { place: 'd', what: t.descriptionWord };
    lines.push(t.detailsDescription(html));
  }
  if (details.location !== undefined) lines.push(t.locationLine(escapeHtml(details.location)));
  if (details.geo !== undefined) lines.push(t.geoLine(escapeHtml(placeName(details.geo))));
  const phone = details.contact_phone === undefined ? undefined : details.contact_phone !== null;
  lines.push(t.detailsFilesAndPhone(details.attachments?.length ?? 0, phone));
  lines.push(t.detailsDates(formatDate(details.created_at, lang, timeZone), formatDate(details.updated_at, lang, timeZone)));
  return { html: lines.join('\n') + ratingLine(t, details.rating), ...(shortened && { shortened }) };
}

function entries(t: Messages, lang: Lang, details: RequestDetails, budget: number, timeZone: string): Entry[] {
  const timed: { at: number; order: number; entry: Entry }[] = [];
  details.status_history.forEach((item, historyIndex) => {
    // A reopening's files come with its entry (the person's reason is its comment).
    const files = (item.attachments ?? []).map((file, fileIndex): ThreadFileRef => ({ place: `h${historyIndex}`, fileIndex, name: fileName(t, file, fileIndex) }));
    const fileLines = files.map((file) => `📎 ${escapeHtml(file.name)}`).join('\n');
    const head = `• ${formatDate(item.at, lang, timeZone)}: <b>${statusLabel(t, item.status)}</b>`;
    const html = item.comment ? escapeHtmlWithin(item.comment, budget - head.length - fileLines.length - 4, t.threadShortened) : '';
    const comment = html === '' ? '' : ` — ${html}`;
    const cut = item.comment !== undefined && html !== escapeHtml(item.comment);
    const entry: Entry = {
      html: [head + comment, fileLines].filter((part) => part !== '').join('\n'),
      files,
      ...(cut && { shortened: { place: `h${historyIndex}`, what: statusLabel(t, item.status) } }),
    };
    timed.push({ at: Date.parse(item.at), order: historyIndex, entry });
  });
  details.comments.forEach((comment, commentIndex) => {
    timed.push({ at: Date.parse(comment.at), order: details.status_history.length + commentIndex, entry: commentEntry(t, lang, comment, commentIndex, budget, timeZone) });
  });
  // Newest last; a timestamp that does not parse keeps the backend's order.
  return timed.sort((a, b) => (a.at - b.at || a.order - b.order) || 0).map((item) => item.entry);
}

function commentEntry(t: Messages, lang: Lang, comment: Comment, commentIndex: number, budget: number, timeZone: string): Entry {
  const who = comment.author === 'customer' ? `👤 ${t.threadYou}` : `🧑‍🔧 ${escapeHtml(comment.author_name ?? t.threadAgent)}`;
  const head = `<b>${who}</b> · ${formatDate(comment.at, lang, timeZone)}`;
  const files = comment.attachments.map((file, fileIndex): ThreadFileRef => ({ place: `c${commentIndex}`, fileIndex, name: fileName(t, file, fileIndex) }));
  const fileLines = files.map((file) => `📎 ${escapeHtml(file.name)}`).join('\n');
  const fixed = head.length + fileLines.length + 2;
  const text = comment.text === undefined ? '' : escapeHtmlWithin(comment.text, budget - fixed, t.threadShortened);
  // Shortened to fit a page: its "Read in full" button sends the whole text.
  const cut = comment.text !== undefined && text !== escapeHtml(comment.text);
  const what = comment.author === 'customer' ? t.threadYou : (comment.author_name ?? t.threadAgent);
  return { html: [head, text, fileLines].filter((part) => part !== '').join('\n'), files, ...(cut && { shortened: { place: `c${commentIndex}`, what } }) };
}

function fileName(t: Messages, file: CommentFile | Attachment, index: number): string {
  if ('url' in file) return file.file_name;
  return file.file_name ?? `${t.unnamedFile[file.kind]} ${index + 1}`;
}

/** Pages from the newest entry backwards, each within `budget` characters and MAX_FILE_BUTTONS files. */
function paginate(all: readonly Entry[], budget: number): Entry[][] {
  const pages: Entry[][] = [];
  let current: Entry[] = [];
  let size = 0;
  let files = 0;
  for (let i = all.length - 1; i >= 0; i--) {
    const entry = all[i] as Entry;
    const grows = entry.html.length + 2;
    if (current.length > 0 && (size + grows > budget || files + entry.files.length > MAX_FILE_BUTTONS)) {
      pages.push(current);
      current = [];
      size = 0;
      files = 0;
    }
    current.unshift(entry);
    size += grows;
    files += entry.files.length;
  }
  if (current.length > 0 || pages.length === 0) pages.push(current);
  return pages;
}
