import type { AgentFile, NotificationEvent, RequestStatus } from '../schemas.js';
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
    comment: { id: String(journal.id), author_name: journal.user?.name, ...(text !== '' && { text: text.slice(0, 4000) }), attachments: files },
  });
  return events;
}
