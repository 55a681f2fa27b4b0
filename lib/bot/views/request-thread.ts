import type { AttachmentKind, Comment, RequestDetails } from '../../backend/schemas.js';
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

/** A file of the thread, by its place in `details.comments` (what its button carries). */
export interface ThreadFileRef {
  readonly commentIndex: number;
  readonly fileIndex: number;
  readonly name: string;
}

export interface RequestPage {
  /** The whole message: `notice`, the header, and one page of the thread. Never over MESSAGE_LIMIT. */
  readonly text: string;
  /** 0 is the newest page; higher is older. */
  readonly index: number;
  readonly pages: number;
  readonly files: readonly ThreadFileRef[];
}

interface Entry {
  readonly html: string;
  readonly files: readonly ThreadFileRef[];
}

/**
 * A request's details with its status history and both sides' comments merged, newest last,
 * split into pages that each fit one Telegram message. Page 0 holds the newest entries, so the
 * person lands on what just happened; an entry too long for a page on its own is shortened.
 */
export function renderRequestPage(
  t: Messages,
  lang: Lang,
  details: RequestDetails,
  requestedIndex: number,
  notice?: string,
  timeZone = 'UTC',
): RequestPage {
  const header = (notice ? `${notice}\n\n` : '') + detailsHeader(t, lang, details, timeZone);
  const budget = MESSAGE_LIMIT - header.length - PAGE_OVERHEAD;
  const pages = paginate(entries(t, lang, details, budget, timeZone), budget);
  const index = Math.min(Math.max(0, requestedIndex), pages.length - 1);
  const page = pages[index] ?? [];
  const body = page.map((entry) => entry.html).join('\n\n');
  const text = body === '' ? header : `${header}\n\n${t.threadTitle(pages.length - index, pages.length)}\n${body}`;
  return { text, index, pages: pages.length, files: page.flatMap((entry) => entry.files) };
}

function detailsHeader(t: Messages, lang: Lang, details: RequestDetails, timeZone: string): string {
  const location = details.location ? `\n${t.locationLine(escapeHtml(details.location))}` : '';
  return (
    t.requestDetails({
      number: escapeHtml(details.number),
      status: statusLabel(t, details.status),
      category: escapeHtml(details.category_name),
      created: formatDate(details.created_at, lang, timeZone),
      updated: formatDate(details.updated_at, lang, timeZone),
    }) +
    location +
    ratingLine(t, details.rating)
  );
}

function entries(t: Messages, lang: Lang, details: RequestDetails, budget: number, timeZone: string): Entry[] {
  const timed: { at: number; order: number; entry: Entry }[] = [];
  details.status_history.forEach((item, i) => {
    const comment = item.comment ? ` — ${escapeHtml(item.comment)}` : '';
    timed.push({ at: Date.parse(item.at), order: i, entry: { html: `• ${formatDate(item.at, lang, timeZone)}: <b>${statusLabel(t, item.status)}</b>${comment}`, files: [] } });
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
  const files = comment.attachments.map((file, fileIndex): ThreadFileRef => ({ commentIndex, fileIndex, name: fileName(file, fileIndex) }));
  const fileLines = files.map((file) => `📎 ${escapeHtml(file.name)}`).join('\n');
  const fixed = head.length + fileLines.length + 2;
  const text = comment.text === undefined ? '' : escapeHtmlWithin(comment.text, budget - fixed, t.threadShortened);
  return { html: [head, text, fileLines].filter((part) => part !== '').join('\n'), files };
}

/** What a file without a name is called on its button (Telegram gives photos, voice and round videos none). */
const UNNAMED: Readonly<Record<AttachmentKind, string>> = {
  photo: 'photo',
  document: 'file',
  voice: 'voice message',
  audio: 'audio',
  video: 'video',
  video_note: 'video note',
  animation: 'animation',
};

function fileName(file: Comment['attachments'][number], index: number): string {
  if ('url' in file) return file.file_name;
  return file.file_name ?? `${UNNAMED[file.kind]} ${index + 1}`;
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
