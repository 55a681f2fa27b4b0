import { MAX_AGENT_TEXT_BYTES, type AgentFile, type NotificationEvent, type RequestStatus } from '../schemas.js';
import { commentFileOf, isBotJournal, journalAttachments, ownerOf, requestNumber, statusChangeOf, type IssueContext } from './issue-mapping.js';
import type { RedmineIssue, RedmineJournal } from './redmine-schemas.js';

/**
 * An issue's new journals as the events `/api/notify` handles: a status change (its note as the
 * status comment), an agent's public note with its files. The event id names the journal, so the
 * at-most-once machinery of the notifications sends each once however often it is read.
 * The bot's own journals (the person's acts) and private notes are never told.
 */
export function journalEvents(issue: RedmineIssue, context: IssueContext, since: string): NotificationEvent[] {
  const telegramUserId = ownerOf(issue, context.telegramFieldId);
  if (telegramUserId === undefined) return [];
  const base = { request_id: String(issue.id), number: requestNumber(issue.id), telegram_user_id: telegramUserId };
  // The issue's status now rides on comments: a closed request's comment gets no Reply.
  const status = context.statuses.toRequest(issue.status.id);
  const sinceMs = Date.parse(since);
  const events: NotificationEvent[] = [];
  for (const journal of issue.journals) {
    if (journal.private_notes || isBotJournal(journal, context) || Date.parse(journal.created_on) < sinceMs) continue;
    events.push(...eventsOf(journal, issue, context, base, status));
  }
  return events;
}

function eventsOf(
  journal: RedmineJournal,
  issue: RedmineIssue,
  context: IssueContext,
  base: { request_id: string; number: string; telegram_user_id: number },
  status: RequestStatus,
): NotificationEvent[] {
  const text = journal.notes.trim();
  const files = journalAttachments(journal, issue)
    .map(commentFileOf)
    .filter((file): file is AgentFile => 'url' in file)
    .slice(0, 10);
  const statusId = statusChangeOf(journal);
  const events: NotificationEvent[] = [];
  if (statusId !== undefined) {
    events.push({ kind: 'status', event_id: `redmine-j${journal.id}`, ...base, status: context.statuses.toRequest(statusId), comment: text === '' ? undefined : text });
    // A status change's note is its comment; files that came with it still reach the person.
    if (files.length > 0) {
      events.push({ kind: 'comment', event_id: `redmine-j${journal.id}-files`, ...base, status, comment: { id: `${journal.id}-files`, author_name: journal.user?.name, attachments: files } });
    }
    return events;
  }
  if (text === '' && files.length === 0) return events;
  events.push({
    kind: 'comment',
    event_id: `redmine-j${journal.id}`,
    ...base,
    status,
    comment: { id: String(journal.id), author_name: journal.user?.name, ...(text !== '' && { text: withinNotifyLimit(text) }), attachments: files },
  });
  return events;
}

/**
 * The note as /api/notify takes it: whole up to MAX_AGENT_TEXT_BYTES of UTF-8 (the bot sends a long
 * one as several messages); only a note longer than that (rare in Redmine) loses its end, cut at a
 * character, so the event is delivered rather than refused.
 */
function withinNotifyLimit(text: string): string {
  if (Buffer.byteLength(text) <= MAX_AGENT_TEXT_BYTES) return text;
  let end = MAX_AGENT_TEXT_BYTES;
  const bytes = Buffer.from(text);
  // Back to the start of a character: continuation bytes are 10xxxxxx.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString('utf8');
}
