import type { Logger } from '../../logger.js';
import type { NotifyOutcome } from '../../notify/notify-outcome.js';
import type { KvStore } from '../../store/kv-store.js';
import { BackendError } from '../backend-error.js';
import type { NotificationEvent } from '../schemas.js';
import { journalEvents } from './journal-events.js';
import type { RedmineBackend } from './redmine-backend.js';
import { RedmineIssueListSchema } from './redmine-schemas.js';

export interface RedminePollOptions {
  /** Issues read per run at most (each costs one call for its journals). */
  readonly maxIssues: number;
  /** How long one run may take before it stops and says `more`. */
  readonly budgetMs: number;
  /** How long a run holds the lock: a second run meanwhile does nothing. */
  readonly lockSeconds: number;
}

export const DEFAULT_POLL_OPTIONS: RedminePollOptions = { maxIssues: 25, budgetMs: 40_000, lockSeconds: 55 };

export interface RedminePollReport {
  /** Another run holds the lock: this one did nothing. */
  readonly busy?: true;
  readonly issues: number;
  readonly delivered: number;
  /** Events to be retried (Telegram asked to wait): the watermark stays before them. */
  readonly deferred: number;
  /** More issues changed than this run read: run again. */
  readonly more: boolean;
  readonly watermark: string;
}

export interface RedminePollDeps {
  readonly backend: RedmineBackend;
  readonly store: KvStore;
  readonly notify: (event: NotificationEvent) => Promise<NotifyOutcome>;
  readonly logger: Logger;
}

const WATERMARK_KEY = 'redmine:poll:watermark';
const LOCK_KEY = 'redmine:poll:lock';

/**
 * Notifications without webhooks: reads the issues updated since the watermark (oldest first),
 * turns their new journals into notify events (journal-events.ts) and delivers them. The watermark
 * (Redis) advances only past issues whose every event was delivered (or is final: blocked,
 * rejected, already sent), so a run that stops early, fails or is cut short resumes where it left;
 * a lock makes a second run at once do nothing, and event ids make a re-read issue send nothing twice.
 * The first run only sets the watermark: history is not replayed.
 */
export function createRedminePoll(deps: RedminePollDeps, options: RedminePollOptions = DEFAULT_POLL_OPTIONS) {
  const { backend, store, notify, logger } = deps;
  return async function poll(): Promise<RedminePollReport> {
    const started = Date.now();
    const [locked, stored] = await store.exec([
      { op: 'set', key: LOCK_KEY, value: String(started), ttlSeconds: options.lockSeconds, onlyIfAbsent: true },
      { op: 'get', key: WATERMARK_KEY },
    ] as const);
    if (!locked) return { busy: true, issues: 0, delivered: 0, deferred: 0, more: false, watermark: stored ?? '' };
    try {
      const context = await backend.setup();
      const project = (await backend.catalogue()).root.identifier;
      const list = (since: string | undefined, limit: number) =>
        backend.http.call(
          {
            method: 'GET',
            template: '/issues.json?updated_on=>=:time',
            path: 'issues.json',
            searchParams: {
              project_id: project,
              status_id: '*',
              sort: since === undefined ? 'updated_on:desc' : 'updated_on,id',
              limit,
              ...(since !== undefined && { updated_on: `>=${since}` }),
            },
          },
          RedmineIssueListSchema,
        );
      if (stored === null) {
        const newest = (await list(undefined, 1)).issues[0];
        // From the newest change on: what happened before the first run is not told (but for that one second's).
        const watermark = newest?.updated_on ?? new Date(started).toISOString().replace(/\.\d{3}Z$/, 'Z');
        await store.exec([{ op: 'set', key: WATERMARK_KEY, value: watermark }] as const);
        return { issues: 0, delivered: 0, deferred: 0, more: false, watermark };
      }
      let watermark = stored;
      const page = await list(stored, options.maxIssues);
      let delivered = 0;
      let deferred = 0;
      let read = 0;
      for (const summary of page.issues) {
        if (Date.now() - started > options.budgetMs) break;
        // Gone since the list (deleted, moved out of the project): nothing to tell. Any other failure
        // ends the run before the watermark passes this issue.
        const issue = await backend.issue(summary.id).catch((error: unknown) => {
          if (error instanceof BackendError && error.status === 404) return undefined;
          throw error;
        });
        read++;
        let settled = true;
        for (const event of issue === undefined ? [] : journalEvents(issue, context, stored)) {
          const outcome = await notify(event);
          if (outcome.delivered && outcome.duplicate !== true) delivered++;
          if (!outcome.delivered && 'retryAfterSeconds' in outcome) {
            settled = false;
            deferred++;
            break;
          }
        }
        // Stop at the first issue not fully told: the watermark must not pass it.
        if (!settled) break;
        watermark = summary.updated_on;
        await store.exec([{ op: 'set', key: WATERMARK_KEY, value: watermark }] as const);
      }
      const more = deferred > 0 || read < page.issues.length || page.total_count > page.issues.length;
      logger.info({ issues: read, delivered, deferred, more }, 'redmine poll');
      return { issues: read, delivered, deferred, more, watermark };
    } finally {
      await store.exec([{ op: 'del', key: LOCK_KEY }] as const).catch(() => undefined);
    }
  };
}
