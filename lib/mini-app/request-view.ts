import type { Attachment, CommentFile, RequestDetails, RequestStatus } from '../backend/schemas.js';
import { fileAt, isFilePlace } from '../requests/request-files.js';
import { isPhotoType } from '../files/content-type.js';
import { requestActions, type RequestActions } from '../requests/request-rules.js';
import type { FileLinkPayload } from './deps.js';
import type { TokenSigner } from './signed-token.js';

/** A file as the page shows it: inline when a photo, a download otherwise, both through a signed link. */
export interface FileView {
  readonly name: string;
  readonly photo: boolean;
  readonly url: string;
  readonly mime_type?: string;
}

export type ThreadEntryView =
  | { readonly kind: 'status'; readonly status: RequestStatus; readonly at: string; readonly comment?: string; readonly files: readonly FileView[] }
  | {
      readonly kind: 'comment';
      readonly author: 'customer' | 'agent';
      readonly author_name?: string;
      readonly text?: string;
      readonly at: string;
      readonly files: readonly FileView[];
    };

/** `GET /api/app/requests/:id`: what was submitted, the whole thread (oldest first), and what the person may do. */
export interface RequestView {
  readonly id: string;
  readonly number: string;
  readonly status: RequestStatus;
  readonly category_name: string;
  readonly request_type_name?: string;
  readonly side_name?: string;
  readonly description?: string;
  readonly location?: string;
  readonly created_at: string;
  readonly updated_at: string;
  readonly rating?: { readonly score: number; readonly comment?: string };
  readonly files: readonly FileView[];
  readonly thread: readonly ThreadEntryView[];
  readonly actions: RequestActions;
}

/** How long a file link made for a page works: long enough to read a thread, short enough to be worthless once leaked. */
export const FILE_LINK_TTL_SECONDS = 3600;

export function requestView(details: RequestDetails, userId: number, fileLinks: TokenSigner<FileLinkPayload>): RequestView {
  const link = (ref: string) => `/api/app/files/${fileLinks.sign({ u: userId, r: details.id, f: ref }, FILE_LINK_TTL_SECONDS)}`;
  const timed: { at: number; order: number; entry: ThreadEntryView }[] = [];
  details.status_history.forEach((item, i) => {
    const files = (item.attachments ?? []).map((file, fi) => fileView(file, fi, link(`h${i}.${fi}`)));
    timed.push({ at: Date.parse(item.at), order: i, entry: { kind: 'status', status: item.status, at: item.at, ...(item.comment !== undefined && { comment: item.comment }), files } });
  });
  details.comments.forEach((comment, ci) => {
    timed.push({
      at: Date.parse(comment.at),
      order: details.status_history.length + ci,
      entry: {
        kind: 'comment',
        author: comment.author,
        ...(comment.author_name !== undefined && { author_name: comment.author_name }),
        ...(comment.text !== undefined && { text: comment.text }),
        at: comment.at,
        files: comment.attachments.map((file, fi) => fileView(file, fi, link(`c${ci}.${fi}`))),
      },
    });
  });
  return {
    id: details.id,
    number: details.number,
    status: details.status,
    category_name: details.category_name,
    ...(details.request_type_name !== undefined && { request_type_name: details.request_type_name }),
    ...(details.side_name !== undefined && { side_name: details.side_name }),
    ...(details.description !== undefined && { description: details.description }),
    ...(details.location !== undefined && { location: details.location }),
    created_at: details.created_at,
    updated_at: details.updated_at,
    ...(details.rating !== undefined && { rating: { score: details.rating.score, ...(details.rating.comment !== undefined && { comment: details.rating.comment }) } }),
    files: (details.attachments ?? []).map((file, i) => fileView(file, i, link(`a${i}`))),
    // Newest last, as the chat's thread; a timestamp that does not parse keeps the backend's order.
    thread: timed.sort((a, b) => (a.at - b.at || a.order - b.order) || 0).map((item) => item.entry),
    actions: requestActions(details),
  };
}

function fileView(file: CommentFile | Attachment, index: number, url: string): FileView {
  if ('url' in file) return { name: file.file_name, photo: isPhotoType(file.mime_type), url, mime_type: file.mime_type };
  const name = ('file_name' in file ? file.file_name : undefined) ?? (file.kind === 'photo' ? `photo-${index + 1}.jpg` : `file-${index + 1}`);
  const mime = 'mime_type' in file ? file.mime_type : undefined;
  return { name, photo: file.kind === 'photo', url, ...(mime !== undefined && { mime_type: mime }) };
}

/** The file a link names (`a<i>`, `c<i>.<j>`, `h<i>.<j>`: see FilePlace), looked up in the request as it is now. */
export function fileOfRef(details: RequestDetails, ref: string): CommentFile | Attachment | undefined {
  const submitted = /^a(\d{1,4})$/.exec(ref);
  if (submitted) return fileAt(details, 'a', Number(submitted[1]));
  const placed = /^([ch]\d{1,5})\.(\d{1,3})$/.exec(ref);
  const place = placed?.[1];
  return place !== undefined && isFilePlace(place) ? fileAt(details, place, Number(placed?.[2])) : undefined;
}
