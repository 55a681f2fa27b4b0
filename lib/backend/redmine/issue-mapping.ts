import { ATTACHMENT_KINDS, type AgentFile, type Attachment, type AttachmentKind, type Comment, type CommentFile, type Geo, type Rating, type RequestDetails, type RequestSummary, type StatusHistoryEntry } from '../schemas.js';
import { readBotText } from './bot-notes.js';
import type { RedmineAttachment, RedmineIssue, RedmineJournal } from './redmine-schemas.js';
import type { StatusMap } from './status-map.js';

/** What reading an issue needs to know about this Redmine. */
export interface IssueContext {
  readonly statuses: StatusMap;
  readonly telegramFieldId: number;
  /** The bot's own Redmine user: its journals are the person's side. */
  readonly botUserId: number;
}

/** How a person's file is remembered on its Redmine attachment: `tg:<kind>:<file id>[:<seconds>]` in the description. */
const TELEGRAM_FILE = new RegExp(`^tg:(${ATTACHMENT_KINDS.join('|')}):([A-Za-z0-9_-]+)(?::(\\d{1,6}))?$`);

export function telegramFileDescription(kind: AttachmentKind, fileId: string, duration?: number): string {
  return `tg:${kind}:${fileId}${duration === undefined ? '' : `:${duration}`}`;
}

export function requestNumber(issueId: number): string {
  return `#${issueId}`;
}

/** The Telegram id in the issue's custom field, when there is a valid one. */
export function ownerOf(issue: RedmineIssue, fieldId: number): number | undefined {
  const value = issue.custom_fields.find((field) => field.id === fieldId)?.value;
  const text = Array.isArray(value) ? value[0] : value;
  return text !== undefined && text !== null && /^\d{1,15}$/.test(text.trim()) ? Number(text.trim()) : undefined;
}

export function summaryOf(issue: RedmineIssue, context: IssueContext): RequestSummary {
  return {
    id: String(issue.id),
    number: requestNumber(issue.id),
    status: context.statuses.toRequest(issue.status.id),
    category_name: issue.category?.name ?? issue.tracker.name,
    created_at: issue.created_on,
    updated_at: issue.updated_on,
  };
}

/** Private notes never reach the person; Redmine already hides them from a bot without the permission. */
function publicJournals(issue: RedmineIssue): RedmineJournal[] {
  return issue.journals.filter((journal) => !journal.private_notes);
}

export function statusChangeOf(journal: RedmineJournal): number | undefined {
  const detail = journal.details.find((entry) => entry.property === 'attr' && entry.name === 'status_id');
  return detail?.new_value ? Number(detail.new_value) : undefined;
}

export function isBotJournal(journal: RedmineJournal, context: IssueContext): boolean {
  return journal.user?.id === context.botUserId;
}

/** A file of the thread: the person's by its Telegram file id, an agent's by Redmine's download URL. */
export function commentFileOf(attachment: RedmineAttachment): CommentFile {
  const telegram = TELEGRAM_FILE.exec(attachment.description.trim());
  if (telegram !== null) {
    return {
      telegram_file_id: telegram[2] as string,
      kind: telegram[1] as AttachmentKind,
      file_name: attachment.filename,
      mime_type: attachment.content_type || undefined,
      file_size: attachment.filesize,
      duration: telegram[3] === undefined ? undefined : Number(telegram[3]),
    };
  }
  const mime = attachment.content_type || 'application/octet-stream';
  // An agent's sound or film plays as one in the chat; anything else goes as an image or a document.
  const kind: AgentFile['kind'] = mime.startsWith('audio/') ? 'audio' : mime.startsWith('video/') ? 'video' : undefined;
  return { url: attachment.content_url, file_name: attachment.filename, mime_type: mime, ...(kind !== undefined && { kind }) };
}

/** The footer lines of a shared map point (and venue), for the description. */
export function geoFields(geo: Geo | undefined): Record<string, string | undefined> {
  if (geo === undefined) return {};
  const { latitude: lat, longitude: lon } = geo;
  return {
    Geo: `${lat},${lon} https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=18/${lat}/${lon}`,
    Place: geo.title,
    Address: geo.address,
  };
}

function geoOf(fields: Readonly<Record<string, string>>): Geo | undefined {
  const point = /^(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)/.exec(fields.Geo ?? '');
  if (point === null) return undefined;
  const latitude = Number(point[1]);
  const longitude = Number(point[2]);
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return undefined;
  return { latitude, longitude, ...(fields.Place !== undefined && { title: fields.Place.slice(0, 256) }), ...(fields.Address !== undefined && { address: fields.Address.slice(0, 256) }) };
}

export function journalAttachments(journal: RedmineJournal, issue: RedmineIssue): RedmineAttachment[] {
  const ids = journal.details.filter((entry) => entry.property === 'attachment' && entry.new_value).map((entry) => Number(entry.name));
  return issue.attachments.filter((attachment) => ids.includes(attachment.id));
}

export function detailsOf(issue: RedmineIssue, context: IssueContext): RequestDetails {
  const { text: description, fields } = readBotText(issue.description);
  const journalFileIds = new Set(issue.journals.flatMap((journal) => journalAttachments(journal, issue).map((attachment) => attachment.id)));
  const history: StatusHistoryEntry[] = [{ status: 'new', at: issue.created_on, comment: undefined }];
  const comments: Comment[] = [];
  let rating: Rating | undefined;
  for (const journal of publicJournals(issue)) {
    const bot = isBotJournal(journal, context);
    const note = bot ? readBotText(journal.notes) : { text: journal.notes, fields: {} as Record<string, string> };
    const kind = bot ? (note.fields.Kind ?? 'comment') : 'comment';
    const text = note.text.trim() === '' ? undefined : note.text.trim();
    const statusId = statusChangeOf(journal);
    if (statusId !== undefined) {
      // A reopening's photo or file came with its status change: it belongs to that entry.
      const files = journalAttachments(journal, issue).map(commentFileOf).flatMap((file) => ('telegram_file_id' in file ? [file] : []));
      history.push({
        status: context.statuses.toRequest(statusId),
        at: journal.created_on,
        comment: bot ? reasonOf(kind, text) : text,
        ...(files.length > 0 && { attachments: files }),
      });
      continue;
    }
    if (kind === 'rating') {
      const score = /(\d)\s*\/\s*5/.exec(text ?? '');
      const comment = /^Comment:\s*([\s\S]+)$/m.exec(text ?? '')?.[1]?.trim();
      if (score !== null) rating = { score: Number(score[1]), comment, at: journal.created_on };
      continue;
    }
    if (kind === 'rating-comment') {
      if (rating !== undefined) rating = { ...rating, comment: text?.replace(/^Rating comment:\s*/, '') };
      continue;
    }
    if (kind === 'cancel-reason') {
      const last = history.findLastIndex((entry) => entry.status === 'cancelled');
      if (last >= 0) history[last] = { ...(history[last] as StatusHistoryEntry), comment: text?.replace(/^Reason:\s*/, '') };
      continue;
    }
    const files = journalAttachments(journal, issue).map(commentFileOf);
    if (text === undefined && files.length === 0) continue;
    const correctionOf = /^#note-(\S+)$/.exec(note.fields['Correction of'] ?? '')?.[1];
    comments.push({
      id: String(journal.id),
      author: bot ? 'customer' : 'agent',
      author_name: bot ? undefined : journal.user?.name,
      text,
      attachments: files,
      at: journal.created_on,
      correction_of: correctionOf,
      edited_at: bot && note.fields.Edited !== undefined && !Number.isNaN(Date.parse(note.fields.Edited)) ? note.fields.Edited : undefined,
    });
  }
  const attachments: Attachment[] = issue.attachments
    .filter((attachment) => !journalFileIds.has(attachment.id))
    .map(commentFileOf)
    .flatMap((file) => ('telegram_file_id' in file ? [file] : []));
  const owner = ownerOf(issue, context.telegramFieldId);
  return {
    ...summaryOf(issue, context),
    status_history: history,
    ...(owner !== undefined && { telegram_user_id: owner }),
    description,
    request_type_name: issue.tracker.name,
    side_name: issue.project.name,
    // The catalogue's ids are Redmine's (tracker, project, category): a new request can take the same service.
    request_type_id: issue.tracker.id,
    side_id: issue.project.id,
    ...(issue.category !== undefined && { category_id: issue.category.id }),
    // The bot writes Phone into the description when one was shared.
    contact_phone: fields.Phone ?? null,
    ...(attachments.length > 0 && { attachments }),
    comments,
    location: fields.Location,
    geo: geoOf(fields),
    rating,
  };
}

/** The person's words of a lifecycle note (the bot writes a fixed line first, e.g. "Reason: …"). */
function reasonOf(kind: string, text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (kind === 'cancel' || kind === 'reopen') {
    const reason = /^Reason:\s*([\s\S]*)$/m.exec(text);
    return reason === null ? undefined : (reason[1] as string).trim() || undefined;
  }
  return undefined;
}
