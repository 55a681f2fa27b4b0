import type { TelegramFileSource } from '../../files/telegram-file.js';
import type { Logger } from '../../logger.js';
import type { Timed } from '../../metrics/timed.js';
import { CANCELLABLE } from '../../requests/request-rules.js';
import type { KvStore } from '../../store/kv-store.js';
import type { BackendClient } from '../backend-client.js';
import { BackendError } from '../backend-error.js';
import { isOpenStatus, type RequestDetails, type RequestStatus } from '../schemas.js';
import { readBotText, refLine, writeBotText, type BotNoteKind } from './bot-notes.js';
import { catalogueOf, categoriesOf, requestTypesOf, sidesOf, type RedmineCatalogue } from './catalogue.js';
import { createIdempotencyRecords } from './idempotency-records.js';
import { detailsOf, geoFields, isBotJournal, ownerOf, requestNumber, summaryOf, type IssueContext } from './issue-mapping.js';
import { createRedmineHttp, type RedmineHttp } from './redmine-http.js';
import {
  NoContentSchema,
  RedmineCurrentUserSchema,
  RedmineCustomFieldListSchema,
  RedmineIssueAnswerSchema,
  RedmineIssueListSchema,
  RedmineProjectListSchema,
  RedmineStatusListSchema,
  type RedmineIssue,
  type RedmineProject,
} from './redmine-schemas.js';
import { createStatusMap } from './status-map.js';
import { uploadPersonFile, type PersonFile, type RedmineUpload } from './uploads.js';

export interface RedmineBackendOptions {
  readonly url: string;
  readonly apiKey: string;
  /** The project's identifier: its subprojects are the sides. */
  readonly project: string;
  /** The id (digits) or the name of the issue custom field holding the Telegram id. */
  readonly telegramField: string;
  readonly statusMap: Readonly<Record<string, string>>;
  /** Where the person's files are fetched from to upload them into Redmine. */
  readonly telegram: TelegramFileSource;
  /** Idempotency records (Redmine has no keys of its own). */
  readonly store: KvStore;
  readonly timeoutMs: number;
  readonly maxConnections: number;
  readonly slowCallMs: number;
  readonly logger: Logger;
  readonly timed?: Timed;
}

/** What the bot learns about this Redmine once per instance: statuses, its own user, the field. */
export interface RedmineSetup extends IssueContext {
  readonly rootProjectId: number;
}

/** The Redmine backend's own calls beyond the contract: the cron's poll and `redmine:check` read them. */
export interface RedmineBackend extends BackendClient {
  readonly http: RedmineHttp;
  setup(): Promise<RedmineSetup>;
  catalogue(): Promise<RedmineCatalogue>;
  /** An issue with its journals and attachments; 404 when it is not one of the project's. */
  issue(id: number | string): Promise<RedmineIssue>;
}

const ISSUE_INCLUDE = 'journals,attachments';
const LEASE_SECONDS = 60;
/** How often a person may say Still a problem on one request (the demo backend's default too); one more is 409 reopen_limit. */
const MAX_REOPENINGS = 2;
/** How many of the person's newest issues are searched for a submission's marker after an unknown outcome. */
const MARKER_SEARCH_LIMIT = 25;

/**
 * A BackendClient speaking to Redmine's REST API (docs/redmine.md): the same answers the REST
 * implementation gives, so nothing above the seam changes. The catalogue is Redmine's project tree
 * (cached above, by the catalogue's two-tier cache); a request is an issue; the thread is its
 * public journals; the person's acts are notes (and status changes) written by the bot's user.
 */
export function createRedmineBackend(options: RedmineBackendOptions): RedmineBackend {
  const http = createRedmineHttp(options);
  const records = createIdempotencyRecords(options.store, LEASE_SECONDS);
  let setupPromise: Promise<RedmineSetup> | undefined;

  const setup = (): Promise<RedmineSetup> => {
    setupPromise ??= loadSetup().catch((error: unknown) => {
      setupPromise = undefined;
      throw error;
    });
    return setupPromise;
  };

  async function loadSetup(): Promise<RedmineSetup> {
    const [statuses, me, fieldId, tree] = await Promise.all([
      http.call({ method: 'GET', template: '/issue_statuses.json', path: 'issue_statuses.json' }, RedmineStatusListSchema),
      http.call({ method: 'GET', template: '/users/current.json', path: 'users/current.json' }, RedmineCurrentUserSchema),
      telegramFieldId(),
      catalogue0(),
    ]);
    return {
      statuses: createStatusMap(statuses.issue_statuses, options.statusMap),
      botUserId: me.user.id,
      telegramFieldId: fieldId,
      rootProjectId: tree.root.id,
    };
  }

  async function telegramFieldId(): Promise<number> {
    const field = options.telegramField.trim();
    if (/^\d+$/.test(field)) return Number(field);
    // By name: the field list needs an administrator's key; a bot's own user may not see it.
    const list = await http.call({ method: 'GET', template: '/custom_fields.json', path: 'custom_fields.json' }, RedmineCustomFieldListSchema).catch(() => undefined);
    const found = list?.custom_fields.find((entry) => entry.customized_type === 'issue' && entry.name.toLowerCase() === field.toLowerCase());
    if (found === undefined) {
      throw new BackendError({ method: 'GET', path: '/custom_fields.json', kind: 'invalid-response', detail: 'REDMINE_TELEGRAM_FIELD names no issue custom field this key can see: give its id' });
    }
    return found.id;
  }

  async function catalogue(): Promise<RedmineCatalogue> {
    const projects: RedmineProject[] = [];
    for (let offset = 0; ; offset += 100) {
      const page = await http.call(
        { method: 'GET', template: '/projects.json', path: 'projects.json', searchParams: { include: 'trackers,issue_categories', limit: 100, offset } },
        RedmineProjectListSchema,
      );
      projects.push(...page.projects);
      if (page.projects.length === 0 || offset + page.limit >= page.total_count) break;
    }
    const found = catalogueOf(projects, options.project);
    if (found === undefined) {
      throw new BackendError({ method: 'GET', path: '/projects.json', kind: 'http', status: 404, detail: 'REDMINE_PROJECT is not a project this key can see' });
    }
    return found;
  }

  const notFound = (path: string) => new BackendError({ method: 'GET', path, kind: 'http', status: 404, statusText: 'Not Found' });
  const refused = (path: string, code: string) => new BackendError({ method: 'POST', path, kind: 'http', status: 409, statusText: 'Conflict', code });
  const inFlight = (path: string) => new BackendError({ method: 'POST', path, kind: 'http', status: 503, statusText: 'Busy', code: 'in_progress' });

  async function issue(id: number | string): Promise<RedmineIssue> {
    if (!/^\d{1,10}$/.test(String(id))) throw notFound('/issues/:id.json');
    const [context, answer] = await Promise.all([
      setup(),
      http.call({ method: 'GET', template: '/issues/:id.json', path: `issues/${id}.json`, searchParams: { include: ISSUE_INCLUDE } }, RedmineIssueAnswerSchema),
    ]);
    const found = answer.issue;
    const cat = await catalogue0();
    // An issue of another project is not a request the bot knows of.
    if (found.project.id !== context.rootProjectId && !cat.sides.some((side) => side.id === found.project.id)) throw notFound('/issues/:id.json');
    return found;
  }

  // The catalogue behind ownership checks: loaded once per instance (the project tree rarely changes; a new side restarts nothing).
  let catalogueOnce: Promise<RedmineCatalogue> | undefined;
  const catalogue0 = (): Promise<RedmineCatalogue> => {
    catalogueOnce ??= catalogue().catch((error: unknown) => {
      catalogueOnce = undefined;
      throw error;
    });
    return catalogueOnce;
  };

  /** The person's issue, or 404 (another person's request is as unknown as a missing one). */
  async function ownedIssue(id: string, telegramUserId: number, path: string): Promise<{ issue: RedmineIssue; context: RedmineSetup }> {
    const [found, context] = await Promise.all([issue(id).catch((error: unknown) => {
      if (error instanceof BackendError && error.status === 404) throw notFound(path);
      throw error;
    }), setup()]);
    if (ownerOf(found, context.telegramFieldId) !== telegramUserId) throw notFound(path);
    return { issue: found, context };
  }

  const journalWithRef = (found: RedmineIssue, key: string) => found.journals.find((journal) => journal.notes.includes(refLine(key)));

  async function uploads(files: readonly PersonFile[] | undefined): Promise<RedmineUpload[]> {
    const made: RedmineUpload[] = [];
    for (const file of files ?? []) made.push(await uploadPersonFile(http, options.telegram, file, options.timeoutMs));
    return made;
  }

  async function updateIssue(id: number, change: { notes: string; statusId?: number; uploads?: RedmineUpload[] }): Promise<void> {
    const body = {
      issue: {
        notes: change.notes,
        ...(change.statusId !== undefined && { status_id: change.statusId }),
        ...(change.uploads !== undefined && change.uploads.length > 0 && { uploads: change.uploads }),
      },
    };
    await http.call({ method: 'PUT', template: '/issues/:id.json', path: `issues/${id}.json`, json: body }, NoContentSchema);
  }

  /**
   * One act on the person's request, at most once per key: the marker in the journals (or the key's
   * record) says it was done; otherwise the rule decides, the bot writes its note, and the request
   * is answered as it stands after.
   */
  async function act(
    id: string,
    telegramUserId: number,
    key: string,
    path: string,
    decide: (details: RequestDetails, context: RedmineSetup) => { refusal: string } | { notes: string; kind: BotNoteKind; status?: RequestStatus; files?: readonly PersonFile[] },
  ): Promise<RequestDetails> {
    const { issue: before, context } = await ownedIssue(id, telegramUserId, path);
    if (journalWithRef(before, key) !== undefined) return detailsOf(before, context);
    // The marker is not in the journals: an earlier attempt made nothing, or is still at it (busy).
    const record = await records.acquire(key);
    if (record.state === 'busy') throw inFlight(path);
    if (record.state === 'unknown') await records.take(key);
    const decision = decide(detailsOf(before, context), context);
    if ('refusal' in decision) {
      await records.release(key);
      throw refused(path, decision.refusal);
    }
    const statusId = decision.status === undefined ? undefined : (context.statuses.toRedmine(decision.status) ?? fallbackStatus(context, decision.status));
    try {
      await updateIssue(before.id, {
        notes: writeBotText(decision.notes, { Kind: decision.kind, Ref: key }),
        ...(statusId !== undefined && { statusId }),
        uploads: await uploads(decision.files),
      });
    } catch (error) {
      await records.settleFailure(key, error);
      throw error;
    }
    return detailsOf(await issue(id), context);
  }

  function fallbackStatus(context: RedmineSetup, status: RequestStatus): number | undefined {
    // No "Cancelled" status in this Redmine: a cancellation closes the issue as rejected.
    return status === 'cancelled' ? context.statuses.toRedmine('rejected') : undefined;
  }

  async function findSubmission(telegramUserId: number, key: string): Promise<RedmineIssue | undefined> {
    const context = await setup();
    const answer = await http.call(
      {
        method: 'GET',
        template: '/issues.json?cf_telegram=:id',
        path: 'issues.json',
        searchParams: { project_id: options.project, [`cf_${context.telegramFieldId}`]: telegramUserId, status_id: '*', sort: 'id:desc', limit: MARKER_SEARCH_LIMIT },
      },
      RedmineIssueListSchema,
    );
    return answer.issues.find((candidate) => candidate.description.includes(refLine(key)));
  }

  const client: RedmineBackend = {
    http,
    setup,
    catalogue,
    issue,
    async listRequestTypes() {
      return requestTypesOf(await catalogue());
    },
    async listSides(requestTypeId) {
      return sidesOf(await catalogue(), requestTypeId);
    },
    async listServiceCategories(requestTypeId, sideId) {
      return categoriesOf(await catalogue(), requestTypeId, sideId);
    },
    async createRequest(body, key) {
      const context = await setup();
      const path = '/issues.json';
      const created = (found: RedmineIssue, isNew: boolean) => ({
        request: { id: String(found.id), number: requestNumber(found.id), status: context.statuses.toRequest(found.status.id), created_at: found.created_on },
        created: isNew,
      });
      const record = await records.acquire(key);
      if (record.state !== 'acquired') {
        // Seen before: an attempt created it (its answer lost, or this is a redelivery), or is still at it. The marker says.
        const earlier = await findSubmission(body.telegram.user_id, key);
        if (earlier !== undefined) return created(earlier, false);
        if (record.state === 'busy') throw inFlight(path);
        await records.take(key);
      }
      const description = body.description.trim();
      const fields = {
        Location: body.location,
        ...geoFields(body.geo),
        Phone: body.contact_phone,
        Telegram: body.telegram.username === undefined ? undefined : `@${body.telegram.username}`,
        Kind: 'request',
        Ref: key,
      };
      let answer;
      try {
        const files = await uploads(body.attachments);
        answer = await http.call(
          {
            method: 'POST',
            template: '/issues.json',
            path: 'issues.json',
            json: {
              issue: {
                project_id: body.side_id,
                tracker_id: body.request_type_id,
                category_id: body.category_id,
                subject: subjectOf(description),
                description: writeBotText(description, fields),
                custom_fields: [{ id: context.telegramFieldId, value: String(body.telegram.user_id) }],
                ...(files.length > 0 && { uploads: files }),
              },
            },
          },
          RedmineIssueAnswerSchema,
        );
      } catch (error) {
        // Refused for sure (422 names a bad tracker or category): the next attempt may act at once;
        // no answer: the next attempt looks for the marker first.
        await records.settleFailure(key, error);
        throw error;
      }
      return created(answer.issue, true);
    },
    async listRequests(telegramUserId, limit = 10) {
      return (await client.listRequestPage(telegramUserId, { limit })).items;
    },
    async listRequestPage(telegramUserId, page) {
      const context = await setup();
      const offset = page.cursor !== undefined && /^\d{1,6}$/.test(page.cursor) ? Number(page.cursor) : 0;
      const answer = await http.call(
        {
          method: 'GET',
          template: '/issues.json?cf_telegram=:id',
          path: 'issues.json',
          searchParams: {
            project_id: options.project,
            [`cf_${context.telegramFieldId}`]: telegramUserId,
            status_id: page.openOnly === true ? 'open' : '*',
            sort: 'id:desc',
            limit: page.limit,
            offset,
          },
        },
        RedmineIssueListSchema,
      );
      // Redmine's "open" is every status not flagged closed; the bot's open also leaves out rejected and cancelled.
      const items = answer.issues
        .filter((found) => ownerOf(found, context.telegramFieldId) === telegramUserId)
        .map((found) => summaryOf(found, context))
        .filter((summary) => page.openOnly !== true || isOpenStatus(summary.status));
      const next = offset + answer.issues.length;
      return { items, nextCursor: next < answer.total_count && answer.issues.length > 0 ? String(next) : undefined };
    },
    async getRequest(id) {
      const [found, context] = await Promise.all([issue(id), setup()]);
      if (ownerOf(found, context.telegramFieldId) === undefined) throw notFound('/issues/:id.json');
      return detailsOf(found, context);
    },
    async addComment(requestId, body, key) {
      const path = '/requests/:id/comments';
      const { issue: before, context } = await ownedIssue(requestId, body.telegram_user_id, path);
      const commentOf = (journal: { id: number; created_on: string }, isNew: boolean) => ({ comment: { id: String(journal.id), created_at: journal.created_on }, created: isNew });
      const earlier = journalWithRef(before, key);
      if (earlier !== undefined) return commentOf(earlier, false);
      if (!isOpenStatus(context.statuses.toRequest(before.status.id))) throw refused(path, 'request_closed');
      const record = await records.acquire(key);
      if (record.state === 'busy') throw inFlight(path);
      if (record.state === 'unknown') await records.take(key);
      try {
        const fields = { Kind: 'comment', ...(body.correction_of !== undefined && { 'Correction of': `#note-${body.correction_of}` }), Ref: key };
        await updateIssue(before.id, { notes: writeBotText(body.text ?? '', fields), uploads: await uploads(body.attachments) });
      } catch (error) {
        await records.settleFailure(key, error);
        throw error;
      }
      const journal = journalWithRef(await issue(requestId), key);
      if (journal === undefined) throw new BackendError({ method: 'PUT', path, kind: 'invalid-response', detail: 'the note is not in the journals' });
      return commentOf(journal, true);
    },
    async editComment(requestId, commentId, body, key) {
      const path = '/requests/:id/comments/:comment_id';
      const { issue: before, context } = await ownedIssue(requestId, body.telegram_user_id, path);
      // Only the person's own comment (a note of the bot's user) on a request still open, as the REST contract.
      const journal = before.journals.find((entry) => String(entry.id) === commentId && isBotJournal(entry, context));
      const note = journal === undefined ? undefined : readBotText(journal.notes);
      if (journal === undefined || note === undefined || (note.fields.Kind ?? 'comment') !== 'comment' || !isOpenStatus(context.statuses.toRequest(before.status.id))) {
        throw notFound(path);
      }
      if (note.fields.Edit === key) return { id: commentId, edited_at: note.fields.Edited ?? journal.created_on };
      const record = await records.acquire(key);
      if (record.state === 'busy') throw inFlight(path);
      if (record.state === 'unknown') await records.take(key);
      const editedAt = new Date().toISOString();
      try {
        // Redmine 5.0 edits a note in place (PUT /journals/:id.json, 204); the footer keeps the note's key and names this edit's.
        const notes = writeBotText(body.text, { ...note.fields, Edited: editedAt, Edit: key });
        await http.call({ method: 'PUT', template: '/journals/:id.json', path: `journals/${journal.id}.json`, json: { journal: { notes } } }, NoContentSchema);
      } catch (error) {
        await records.settleFailure(key, error);
        // An older Redmine (no such route) or a role that may not edit notes: 405, and the bot adds the text as a correction.
        if (error instanceof BackendError && (error.status === 403 || error.status === 404 || error.status === 405)) {
          throw new BackendError({ method: 'PATCH', path, kind: 'http', status: 405, statusText: 'Method Not Allowed', detail: `Redmine answered ${error.status}`, cause: error });
        }
        throw error;
      }
      return { id: commentId, edited_at: editedAt };
    },
    cancelRequest: (id, body, key) =>
      act(id, body.telegram_user_id, key, '/requests/:id/cancel', (details) =>
        CANCELLABLE.includes(details.status)
          ? { kind: 'cancel', status: 'cancelled', notes: lines('Cancelled by the customer in Telegram.', body.reason && `Reason: ${body.reason}`) }
          : { refusal: 'invalid_status' },
      ),
    confirmResolution: (id, body, key) =>
      act(id, body.telegram_user_id, key, '/requests/:id/confirm', (details) =>
        details.status === 'resolved' ? { kind: 'confirm', status: 'closed', notes: 'The customer confirmed the solution in Telegram.' } : { refusal: 'invalid_status' },
      ),
    reopenRequest: (id, body, key) =>
      act(id, body.telegram_user_id, key, '/requests/:id/reopen', (details) =>
        details.status !== 'resolved'
          ? { refusal: 'invalid_status' }
          : reopenings(details) >= MAX_REOPENINGS
            ? { refusal: 'reopen_limit' }
            : {
              kind: 'reopen',
              status: 'in_progress',
              notes: lines('The customer says the problem is still there.', body.reason && `Reason: ${body.reason}`),
              files: body.attachments,
            },
      ),
    rateRequest: (id, body, key) =>
      act(id, body.telegram_user_id, key, '/requests/:id/rating', (details) => {
        if (details.rating !== undefined) return { refusal: 'already_rated' };
        if (details.status !== 'resolved' && details.status !== 'closed') return { refusal: 'invalid_status' };
        return { kind: 'rating', notes: lines(`Rating: ${body.score}/5 ${'★'.repeat(body.score)}${'☆'.repeat(5 - body.score)}`, body.comment && `Comment: ${body.comment}`) };
      }),
    attachCancelReason: (id, body, key) =>
      act(id, body.telegram_user_id, key, '/requests/:id/cancel', (details) =>
        details.status === 'cancelled' ? { kind: 'cancel-reason', notes: `Reason: ${body.reason}` } : { refusal: 'invalid_status' },
      ),
    attachRatingComment: (id, body, key) =>
      act(id, body.telegram_user_id, key, '/requests/:id/rating', (details) =>
        details.rating !== undefined ? { kind: 'rating-comment', notes: `Rating comment: ${body.comment}` } : { refusal: 'not_rated' },
      ),
    poolStats: () => http.poolStats(),
    close: () => http.close(),
  };
  return client;
}

/** The issue's subject: the description's first line, shortened (Redmine allows 255 characters). */
function subjectOf(description: string): string {
  const first = description.split('\n')[0]?.trim() ?? '';
  return first.length > 80 ? `${first.slice(0, 79)}…` : first;
}

/** Times the request went from resolved back to work: each is a Still a problem (or an agent's reopening). */
function reopenings(details: RequestDetails): number {
  return details.status_history.filter((entry, i) => i > 0 && details.status_history[i - 1]?.status === 'resolved' && isOpenStatus(entry.status) && entry.status !== 'resolved').length;
}

function lines(...parts: (string | undefined)[]): string {
  return parts.filter((part) => part !== undefined && part !== '').join('\n');
}
