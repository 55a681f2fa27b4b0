import type { RequestStatus } from '../schemas.js';
import type { RedmineStatus } from './redmine-schemas.js';

/** Redmine's default status names (and common ones) and what they mean to the person. */
const DEFAULT_NAMES: Readonly<Record<string, RequestStatus>> = {
  new: 'new',
  'in progress': 'in_progress',
  feedback: 'waiting_for_customer',
  resolved: 'resolved',
  closed: 'closed',
  rejected: 'rejected',
  cancelled: 'cancelled',
  canceled: 'cancelled',
  // Russian installations name the defaults in Russian.
  'новая': 'new',
  'в работе': 'in_progress',
  'обратная связь': 'waiting_for_customer',
  'решена': 'resolved',
  'закрыта': 'closed',
  'отклонена': 'rejected',
  'отменена': 'cancelled',
};

/** Redmine's statuses in the bot's words, and back: which Redmine status each act of the person sets. */
export interface StatusMap {
  /** The bot's status of a Redmine status id; a status nobody mapped reads as open or closed by Redmine's flag. */
  toRequest(statusId: number): RequestStatus;
  /** The Redmine status the bot sets for `status`; undefined when none maps to it. */
  toRedmine(status: RequestStatus): number | undefined;
  /** Redmine statuses that map to none of the bot's by name (redmine:check reports them). */
  readonly unmapped: readonly RedmineStatus[];
}

/** Maps by name (case-insensitive), REDMINE_STATUS_MAP first; the first Redmine status of a bot status is the one the bot sets. */
export function createStatusMap(statuses: readonly RedmineStatus[], overrides: Readonly<Record<string, string>>): StatusMap {
  const lowerOverrides = new Map(Object.entries(overrides).map(([name, status]) => [name.toLowerCase(), status as RequestStatus]));
  const byId = new Map<number, RequestStatus>();
  const toRedmine = new Map<RequestStatus, number>();
  const unmapped: RedmineStatus[] = [];
  for (const status of statuses) {
    const name = status.name.trim().toLowerCase();
    const mapped = lowerOverrides.get(name) ?? DEFAULT_NAMES[name];
    if (mapped === undefined) {
      unmapped.push(status);
      continue;
    }
    byId.set(status.id, mapped);
    if (!toRedmine.has(mapped)) toRedmine.set(mapped, status.id);
  }
  const closedFlag = new Map(statuses.map((status) => [status.id, status.is_closed]));
  return {
    toRequest: (id) => byId.get(id) ?? (closedFlag.get(id) === true ? 'closed' : 'in_progress'),
    toRedmine: (status) => toRedmine.get(status),
    unmapped,
  };
}
