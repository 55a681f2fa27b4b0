import {
  isOpenStatus,
  type CreatedRequest,
  type EditedComment,
  type NewRequest,
  type RequestDetails,
  type RequestPage,
  type RequestStatus,
} from '../../../lib/backend/schemas.js';
import type { AgentHook } from './agent-hook.js';
import { expectRefusal, expectThat, fail, skip } from './expect.js';
import { HttpAnswerError, type ContractClient, type ProbeClient } from './probe-client.js';

/**
 * What the bot relies on, one check at a time, against a live backend. Everything is done from
 * the customer's side with requests the check creates itself (their description says so); what
 * only an agent can do (resolve a request) goes through `--agent-hook`, or is skipped.
 */

export interface ContractCheck {
  readonly id: string;
  /** What it checks, in one line. */
  readonly title: string;
  /** The calls it makes, for `--dry-run`. */
  readonly sends: string;
  /** Checks that must pass first; otherwise this one is skipped. */
  readonly needs?: readonly string[];
  /** Needs an agent to resolve a request (`--agent-hook`). */
  readonly needsAgent?: boolean;
  /** Resolves with what it saw; throws CheckFailed or CheckSkipped. */
  run(): Promise<string>;
}

export interface CheckSettings {
  readonly user: number;
  readonly otherUser: number;
  /** Names this run's requests and keys, so runs never collide. */
  readonly runId: string;
  /** Bound on the cursor walk. */
  readonly maxPages: number;
  /** How many reopenings to try before saying the backend has no limit. */
  readonly maxReopens: number;
}

export interface CheckClients {
  readonly customer: ProbeClient;
  /** The same, without the API key (undefined when no key was given). */
  readonly anonymous: ProbeClient | undefined;
  readonly agent: AgentHook | undefined;
}

export const TEST_MARK = '[contract check]';
const PAGE = 2;

export interface ContractScenario {
  readonly checks: readonly ContractCheck[];
  /** The requests this run created, for the summary. */
  created(): readonly CreatedRequest[];
  /** Cancels what this run left open; says what it did. */
  cleanup(): Promise<string>;
}

export function contractScenario(settings: CheckSettings, clients: CheckClients): ContractScenario {
  const { user, otherUser, runId } = settings;
  const api: ContractClient = clients.customer.calls;
  const last = clients.customer.last;
  const key = (what: string) => `contract-check-${runId}-${what}`;
  const created: CreatedRequest[] = [];
  let catalogue: { typeId: number; sideId: number; categoryId: number; categoryName: string } | undefined;
  let paging = true;
  const named: Partial<Record<'a' | 'b' | 'c' | 'd', CreatedRequest>> = {};
  let firstBody: NewRequest | undefined;
  let comment: { id: string; text: string } | undefined;

  const request = (label: 'a' | 'b' | 'c' | 'd'): CreatedRequest => named[label] ?? fail(`request ${label} was not created`);
  const newRequest = (label: string, extra = ''): NewRequest => {
    const where = catalogue ?? fail('no catalogue entry to file a request under');
    return {
      request_type_id: where.typeId,
      side_id: where.sideId,
      category_id: where.categoryId,
      description: `${TEST_MARK} Test request ${label} of run ${runId}, made by npm run contract:check; safe to ignore.${extra}`,
      telegram: { user_id: user, chat_id: user, language_code: 'en' },
    };
  };
  const create = async (label: 'a' | 'b' | 'c' | 'd'): Promise<CreatedRequest> => {
    const { request: made, created: isNew } = await api.createRequest(newRequest(label), key(`create-${label}`));
    expectThat(isNew, () => `POST /requests with a new Idempotency-Key answered ${last()?.status}, not 201`);
    created.push(made);
    named[label] = made;
    return made;
  };
  const lastStatus = (details: RequestDetails) => details.status_history.at(-1)?.status;
  const detailsNow = (label: 'a' | 'b' | 'c' | 'd') => api.getRequest(request(label).id);
  const expectStatus = (details: RequestDetails, status: RequestStatus, what: string) => {
    expectThat(details.status === status, () => `${what}: expected status ${status}, got ${details.status}`);
    expectThat(lastStatus(details) === status, () => `${what}: the status_history should end with ${status}, it ends with ${lastStatus(details) ?? 'nothing'}`);
  };
  const agent = (): AgentHook => clients.agent ?? skip('needs the request resolved by an agent (give --agent-hook URL)');
  const pageOf = async (owner: number, query: { limit: number; cursor?: string; openOnly?: boolean }): Promise<RequestPage> => {
    const page = await api.listRequestPage(owner, query);
    // A plain array answers the same whatever the query: the bot pages nothing and filters itself.
    if (!(last()?.text.trim().startsWith('{') ?? true)) paging = false;
    return page;
  };
  const numbers = (items: readonly { number: string }[]) => items.map((item) => item.number).join(', ');
  /** A follow-up (PATCH); a backend written before them answers 404 or 405, which the bot handles. */
  const followUp = async (call: () => Promise<RequestDetails>, what: string): Promise<RequestDetails> => {
    try {
      return await call();
    } catch (error) {
      if (error instanceof HttpAnswerError && [404, 405].includes(error.exchange.status)) {
        skip(`the backend takes no follow-ups (${error.exchange.status}): the bot sends the ${what} as an ordinary comment instead`);
      }
      throw error;
    }
  };

  const checks: ContractCheck[] = [
    {
      id: 'auth.api-key',
      title: 'a call without the API key is refused (401, or 403) with the error body',
      sends: 'GET /request-types without Authorization',
      async run() {
        const anonymous = clients.anonymous ?? skip('no --api-key given');
        await expectRefusal('GET /request-types without Authorization', () => anonymous.calls.listRequestTypes(), [401, 403], undefined, anonymous.last);
        return `GET /request-types without Authorization: ${anonymous.last()?.status}`;
      },
    },
    {
      id: 'catalogue.request-types',
      title: 'the request types: a non-empty list of {id, name}, ids unique',
      sends: 'GET /request-types',
      async run() {
        const types = await api.listRequestTypes();
        expectThat(types.length > 0, () => 'GET /request-types answered an empty list: the bot would have nothing to offer');
        expectUnique(types.map((type) => type.id), 'request type ids');
        return `${types.length} request types`;
      },
    },
    {
      id: 'catalogue.categories',
      title: 'sides and service categories: lists of {id, name} and {id, name, description?}; one type and side with categories',
      sends: 'GET /request-types/{id}/sides and GET /service-categories?request_type_id&side_id, until one has categories',
      needs: ['catalogue.request-types'],
      async run() {
        const types = await api.listRequestTypes();
        let sidesSeen = 0;
        for (const type of types.slice(0, 10)) {
          const sides = await api.listSides(type.id);
          expectUnique(sides.map((side) => side.id), `side ids of request type ${type.id}`);
          sidesSeen += sides.length;
          for (const side of sides.slice(0, 10)) {
            const categories = await api.listServiceCategories(type.id, side.id);
            expectUnique(categories.map((category) => category.id), `category ids of ${type.id}/${side.id}`);
            const category = categories[0];
            if (category === undefined) continue;
            catalogue = { typeId: type.id, sideId: side.id, categoryId: category.id, categoryName: category.name };
            return `type ${type.id} "${type.name}", side ${side.id} "${side.name}", ${categories.length} categories (the test requests use ${category.id} "${category.name}")`;
          }
        }
        fail(sidesSeen === 0 ? 'no request type has sides' : 'no side of the first request types has service categories');
      },
    },
    {
      id: 'catalogue.accept-language',
      title: 'with Accept-Language: ru the catalogue keeps its shape and its ids (names may be translated)',
      sends: 'the same three reads with Accept-Language: ru',
      needs: ['catalogue.categories'],
      async run() {
        const where = catalogue ?? fail('no catalogue');
        const ru = { language: 'ru' };
        const ids = (items: readonly { id: number }[]) => items.map((item) => item.id).join(',');
        const pairs: [string, string, string][] = [
          ['request types', ids(await api.listRequestTypes()), ids(await api.listRequestTypes(ru))],
          ['sides', ids(await api.listSides(where.typeId)), ids(await api.listSides(where.typeId, ru))],
          ['categories', ids(await api.listServiceCategories(where.typeId, where.sideId)), ids(await api.listServiceCategories(where.typeId, where.sideId, ru))],
        ];
        for (const [what, plain, russian] of pairs) {
          expectThat(plain === russian, () => `the ${what}' ids differ with Accept-Language: ru (${plain} vs ${russian}); the bot caches per language and buttons carry ids`);
        }
        return 'same ids in both languages';
      },
    },
    {
      id: 'create.created',
      title: 'POST /requests with a new Idempotency-Key answers 201 with {id, number, status: new, created_at}',
      sends: 'POST /requests (Idempotency-Key contract-check-<run>-create-a)',
      needs: ['catalogue.categories'],
      async run() {
        firstBody = newRequest('a');
        const made = await create('a');
        expectThat(made.status === 'new', () => `a new request has status ${made.status}, expected new`);
        return `201 ${made.number} (${made.id})`;
      },
    },
    {
      id: 'create.same-key',
      title: 'the same Idempotency-Key and body again answers 200 with the same request, not a second one',
      sends: 'POST /requests, same key, same body',
      needs: ['create.created'],
      async run() {
        const first = request('a');
        const { request: again, created: isNew } = await api.createRequest(firstBody ?? fail('no body'), key('create-a'));
        if (again.id !== first.id) created.push(again); // a second request after all: cleaned up with ours
        expectThat(!isNew, () => `expected 200 with ${first.number}, got ${last()?.status} with ${again.number} (${again.id})`);
        expectThat(again.id === first.id && again.number === first.number, () => `expected ${first.number} (${first.id}) again, got ${again.number} (${again.id})`);
        return `200 ${again.number} again`;
      },
    },
    {
      id: 'create.key-conflict',
      title: 'the same Idempotency-Key with another body answers 409 idempotency_conflict',
      sends: 'POST /requests, same key, another description',
      needs: ['create.created'],
      async run() {
        const other = newRequest('a', ' (another body under the same key)');
        await expectRefusal('POST /requests, same key, another body', () => api.createRequest(other, key('create-a')), 409, ['idempotency_conflict'], last);
        return '409 idempotency_conflict';
      },
    },
    {
      id: 'details.read',
      title: 'GET /requests/{id}: the request with its description, status_history (ending with its status) and comments',
      sends: 'GET /requests/{id}',
      needs: ['create.created'],
      async run() {
        const first = request('a');
        const details = await api.getRequest(first.id);
        expectThat(details.id === first.id && details.number === first.number, () => `asked for ${first.id}, got ${details.number} (${details.id})`);
        expectStatus(details, 'new', `GET /requests/${first.id}`);
        expectThat(details.category_name === catalogue?.categoryName, () => `category_name is "${details.category_name}", expected "${catalogue?.categoryName}"`);
        expectThat(details.description === undefined || details.description === firstBody?.description, () => `description is "${details.description}", not the one sent`);
        expectThat(details.telegram_user_id === undefined || details.telegram_user_id === user, () => `telegram_user_id is ${details.telegram_user_id}, expected ${user}`);
        expectThat(details.comments.length === 0, () => `a new request already has ${details.comments.length} comments`);
        const owner = details.telegram_user_id === undefined ? 'no telegram_user_id (the bot then checks ownership through the list)' : 'telegram_user_id';
        return `${details.number}: status new, ${details.status_history.length} history entry, ${owner}`;
      },
    },
    {
      id: 'errors.unknown-request',
      title: 'an unknown request id answers 404 with {"error": {"code", "message"}}',
      sends: 'GET /requests/contract-check-<run>-missing',
      async run() {
        const code = await expectRefusal('GET /requests/<unknown id>', () => api.getRequest(key('missing')), 404, undefined, last);
        return `404 ${code}`;
      },
    },
    {
      id: 'create.more',
      title: 'three more test requests (for paging, the open filter and the lifecycle), each 201',
      sends: '3 × POST /requests',
      needs: ['create.created'],
      async run() {
        const made = [await create('b'), await create('c'), await create('d')];
        return numbers(made);
      },
    },
    {
      id: 'list.newest-first',
      title: 'GET /requests?telegram_user_id&limit=10: this run’s four requests first, newest first, summaries valid',
      sends: 'GET /requests?telegram_user_id=<user>&limit=10',
      needs: ['create.more'],
      async run() {
        const page = await pageOf(user, { limit: 10 });
        const ours = [request('d'), request('c'), request('b'), request('a')];
        // Others may file requests for the same user meanwhile: ours in order, wherever they are.
        const got = page.items.filter((item) => ours.some((mine) => mine.id === item.id));
        expectThat(got.map((item) => item.id).join() === ours.map((item) => item.id).join(), () => `expected ${numbers(ours)} in this order, got ${numbers(page.items)}`);
        expectThat(page.items[0]?.id === ours[0]?.id, () => `the newest, ${ours[0]?.number}, is not first: ${numbers(page.items)}`);
        expectNewestFirst(page.items);
        return `${page.items.length} on the first page: ${numbers(page.items)}${paging ? '' : ' (a plain array: no paging)'}`;
      },
    },
    {
      id: 'list.cursors',
      title: `walking next_cursor (limit=${PAGE}) until null gives every request once: none repeated, none skipped`,
      sends: `GET /requests?telegram_user_id=<user>&limit=${PAGE}&cursor=… until next_cursor is null, and one page of 50`,
      needs: ['list.newest-first'],
      async run() {
        if (!paging) skip('the backend answers a plain array (no paging): the bot shows its newest page only');
        const seen: string[] = [];
        const numberOf = new Map<string, string>();
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = await pageOf(user, { limit: PAGE, ...(cursor !== undefined && { cursor }) });
          pages += 1;
          expectThat(page.items.length <= PAGE, () => `page ${pages} has ${page.items.length} items, more than limit=${PAGE}`);
          for (const item of page.items) {
            expectThat(!numberOf.has(item.id), () => `${item.number} is repeated on page ${pages} (cursor ${cursor ?? 'none'})`);
            numberOf.set(item.id, item.number);
            seen.push(item.id);
          }
          expectThat(page.nextCursor === undefined || page.items.length > 0, () => `page ${pages} is empty but names a next_cursor`);
          cursor = page.nextCursor;
          if (pages >= settings.maxPages && cursor !== undefined) fail(`next_cursor still not null after ${pages} pages`);
        } while (cursor !== undefined);
        const ours = [request('d'), request('c'), request('b'), request('a')];
        const missing = ours.filter((item) => !numberOf.has(item.id));
        expectThat(missing.length === 0, () => `${numbers(missing)} skipped by the cursor walk`);
        const whole = await pageOf(user, { limit: 50 });
        const walked = seen.slice(0, whole.items.length);
        const skipped = whole.items.filter((item) => !walked.includes(item.id));
        expectThat(skipped.length === 0, () => `${numbers(skipped)} on the first page of 50 but skipped by the walk`);
        expectThat(walked.join() === whole.items.map((item) => item.id).join(), () => 'the walk and the page of 50 list the same requests in another order');
        return `${pages} pages, ${seen.length} requests, none repeated or skipped`;
      },
    },
    {
      id: 'comments.add',
      title: 'POST /requests/{id}/comments with a new Idempotency-Key answers 201 with {id, created_at}',
      sends: 'POST /requests/{id}/comments (text)',
      needs: ['create.created'],
      async run() {
        const text = `${TEST_MARK} A comment of run ${runId}`;
        const { comment: added, created: isNew } = await api.addComment(request('a').id, { telegram_user_id: user, text }, key('comment'));
        expectThat(isNew, () => `expected 201, got ${last()?.status}`);
        comment = { id: added.id, text };
        return `201 comment ${added.id}`;
      },
    },
    {
      id: 'comments.same-key',
      title: 'the same comment key again answers 200 with the same comment',
      sends: 'POST /requests/{id}/comments, same key, same body',
      needs: ['comments.add'],
      async run() {
        const first = comment ?? fail('no comment');
        const { comment: again, created: isNew } = await api.addComment(request('a').id, { telegram_user_id: user, text: first.text }, key('comment'));
        expectThat(!isNew && again.id === first.id, () => `expected 200 with comment ${first.id}, got ${last()?.status} with ${again.id}`);
        return `200 comment ${again.id} again`;
      },
    },
    {
      id: 'comments.key-conflict',
      title: 'the same comment key with another text answers 409 idempotency_conflict',
      sends: 'POST /requests/{id}/comments, same key, another text',
      needs: ['comments.add'],
      async run() {
        const body = { telegram_user_id: user, text: `${TEST_MARK} Another text under the same key` };
        await expectRefusal('the same comment key with another text', () => api.addComment(request('a').id, body, key('comment')), 409, ['idempotency_conflict'], last);
        return '409 idempotency_conflict';
      },
    },
    {
      id: 'comments.in-details',
      title: 'the comment is in GET /requests/{id}: once, author customer, its text, the thread oldest first',
      sends: 'GET /requests/{id}',
      needs: ['comments.add'],
      async run() {
        const added = comment ?? fail('no comment');
        const details = await detailsNow('a');
        const mine = details.comments.filter((item) => item.id === added.id);
        expectThat(mine.length === 1, () => `comment ${added.id} appears ${mine.length} times in the thread`);
        const [entry] = mine;
        expectThat(entry?.author === 'customer', () => `comment ${added.id} has author ${entry?.author}, expected customer`);
        expectThat(entry?.text === added.text, () => `comment ${added.id} has text "${entry?.text}", not the one sent`);
        expectThat(details.comments.length === 1, () => `the thread has ${details.comments.length} comments; one was added (twice with the same key)`);
        expectOldestFirst(details.comments.map((item) => item.at), 'comments');
        return `comment ${added.id} once, by customer`;
      },
    },
    {
      id: 'comments.edit',
      title:
        'PATCH /requests/{id}/comments/{comment_id} answers 200 {id, edited_at} and GET shows the new text; the same key and text answer the same; another text 409 idempotency_conflict; by another user 404',
      sends: 'PATCH /requests/{id}/comments/{comment_id} twice with one key, once with another text, once as the other user; GET /requests/{id} twice',
      needs: ['comments.add'],
      async run() {
        const added = comment ?? fail('no comment');
        const id = request('a').id;
        const text = `${TEST_MARK} The comment of run ${runId}, edited`;
        const edit = (as: number, newText: string, what: string) => api.editComment(id, added.id, { telegram_user_id: as, text: newText }, key(what));
        let edited: EditedComment;
        try {
          edited = await edit(user, text, 'comment-edit');
        } catch (error) {
          // A backend written before edits: the bot adds the new text as a comment instead.
          if (error instanceof HttpAnswerError && [404, 405].includes(error.exchange.status)) {
            skip(`the backend takes no comment edits (${error.exchange.status}): the bot adds the new text as a new comment with correction_of naming the first instead`);
          }
          throw error;
        }
        expectThat(edited.id === added.id, () => `the edit of comment ${added.id} answered id ${edited.id}`);
        const expectEdited = (thread: RequestDetails['comments'], when: string) => {
          const mine = thread.filter((item) => item.id === added.id);
          expectThat(mine.length === 1, () => `${when}: comment ${added.id} appears ${mine.length} times in the thread`);
          expectThat(mine[0]?.text === text, () => `${when}: comment ${added.id} has text "${mine[0]?.text}", not the edit sent`);
          expectThat(thread.length === 1, () => `${when}: the thread has ${thread.length} comments; an edit adds none`);
        };
        expectEdited((await detailsNow('a')).comments, 'after the edit');
        const again = await edit(user, text, 'comment-edit');
        const same = (answer: EditedComment) => JSON.stringify({ id: answer.id, edited_at: answer.edited_at });
        expectThat(same(again) === same(edited), () => `the same edit key answered ${same(again)}, not the first answer ${same(edited)}`);
        await expectRefusal('the same edit key with another text', () => edit(user, `${TEST_MARK} another text under the same key`, 'comment-edit'), 409, ['idempotency_conflict'], last);
        await expectRefusal(`an edit by user ${otherUser}`, () => edit(otherUser, `${TEST_MARK} not my comment`, 'comment-edit-other'), 404, undefined, last);
        expectEdited((await detailsNow('a')).comments, 'after the refused edits');
        return `200 comment ${edited.id} edited at ${edited.edited_at}, GET shows it; same key: the same answer; another text: 409 idempotency_conflict; another user: 404`;
      },
    },
    {
      id: 'lifecycle.not-resolved',
      title: 'confirm, reopen and rating of a new request answer 409 invalid_status',
      sends: 'POST /requests/{id}/confirm, /reopen, /rating on a new request',
      needs: ['create.created'],
      async run() {
        const id = request('a').id;
        await expectRefusal('confirm of a new request', () => api.confirmResolution(id, { telegram_user_id: user }, key('confirm-a')), 409, ['invalid_status'], last);
        await expectRefusal('reopen of a new request', () => api.reopenRequest(id, { telegram_user_id: user, reason: `${TEST_MARK} reopen` }, key('reopen-a')), 409, ['invalid_status'], last);
        await expectRefusal('rating of a new request', () => api.rateRequest(id, { telegram_user_id: user, score: 5 }, key('rating-a')), 409, ['invalid_status'], last);
        const details = await detailsNow('a');
        expectStatus(details, 'new', 'after the refused calls');
        return '409 invalid_status three times, still new';
      },
    },
    {
      id: 'lifecycle.cancel',
      title: 'cancel answers 200 with the request, now cancelled, its history ending with cancelled',
      sends: 'POST /requests/{id}/cancel (reason)',
      needs: ['create.more'],
      async run() {
        const details = await api.cancelRequest(request('b').id, { telegram_user_id: user, reason: `${TEST_MARK} cancelled by the check` }, key('cancel-b'));
        expectThat(details.id === request('b').id, () => `cancel answered another request (${details.number})`);
        expectStatus(details, 'cancelled', 'the answer to cancel');
        expectStatus(await detailsNow('b'), 'cancelled', `GET /requests/{id} after cancel`);
        return `${details.number} cancelled`;
      },
    },
    {
      id: 'lifecycle.cancel-same-key',
      title: 'cancel again with the same key and body answers 200, still cancelled, nothing done twice',
      sends: 'POST /requests/{id}/cancel, same key, same body',
      needs: ['lifecycle.cancel'],
      async run() {
        const before = (await detailsNow('b')).status_history.length;
        const details = await api.cancelRequest(request('b').id, { telegram_user_id: user, reason: `${TEST_MARK} cancelled by the check` }, key('cancel-b'));
        expectStatus(details, 'cancelled', 'the answer to the same cancel');
        const after = (await detailsNow('b')).status_history.length;
        expectThat(after === before, () => `the status_history grew from ${before} to ${after} entries: the cancel was done twice`);
        return `${last()?.status ?? 200}, history unchanged`;
      },
    },
    {
      id: 'lifecycle.cancel-key-conflict',
      title: 'the same cancel key with another body answers 409 idempotency_conflict',
      sends: 'POST /requests/{id}/cancel, same key, another reason',
      needs: ['lifecycle.cancel'],
      async run() {
        const body = { telegram_user_id: user, reason: `${TEST_MARK} another reason` };
        await expectRefusal('the same cancel key with another reason', () => api.cancelRequest(request('b').id, body, key('cancel-b')), 409, ['idempotency_conflict'], last);
        return '409 idempotency_conflict';
      },
    },
    {
      id: 'lifecycle.cancel-twice',
      title: 'cancelling a cancelled request with a new key answers 409 invalid_status',
      sends: 'POST /requests/{id}/cancel, new key',
      needs: ['lifecycle.cancel'],
      async run() {
        await expectRefusal('cancel of a cancelled request', () => api.cancelRequest(request('b').id, { telegram_user_id: user }, key('cancel-b-again')), 409, ['invalid_status'], last);
        return '409 invalid_status';
      },
    },
    {
      id: 'followup.cancel-reason',
      title:
        'PATCH /requests/{id}/cancel attaches the reason to the cancelled entry; the same key changes nothing; on a request not cancelled 409 invalid_status; by another user 404',
      sends: 'PATCH /requests/{id}/cancel twice with one key, once on a new request, once as the other user',
      needs: ['lifecycle.cancel'],
      async run() {
        const id = request('b').id;
        const reason = `${TEST_MARK} the reason, told afterwards`;
        const details = await followUp(() => api.attachCancelReason(id, { telegram_user_id: user, reason }, key('cancel-reason-b')), 'reason');
        const entryOf = (of: RequestDetails) => of.status_history.findLast((entry) => entry.status === 'cancelled');
        expectStatus(details, 'cancelled', 'the answer to the reason');
        expectThat(entryOf(details)?.comment === reason, () => `the cancelled entry's comment is ${JSON.stringify(entryOf(details)?.comment ?? null)}, not the reason sent`);
        const again = await api.attachCancelReason(id, { telegram_user_id: user, reason }, key('cancel-reason-b'));
        expectThat(again.status_history.length === details.status_history.length, () => 'the same key added another history entry');
        await expectRefusal('a reason for a request not cancelled', () => api.attachCancelReason(request('a').id, { telegram_user_id: user, reason }, key('cancel-reason-a')), 409, ['invalid_status'], last);
        await expectRefusal(`a reason by user ${otherUser}`, () => api.attachCancelReason(id, { telegram_user_id: otherUser, reason }, key('cancel-reason-other')), 404, undefined, last);
        return 'the reason is on the cancelled entry; same key: nothing twice; not cancelled: 409 invalid_status; another user: 404';
      },
    },
    {
      id: 'comments.closed',
      title: 'a comment on a cancelled request answers 409 with the error body',
      sends: 'POST /requests/{id}/comments on the cancelled request',
      needs: ['lifecycle.cancel'],
      async run() {
        const body = { telegram_user_id: user, text: `${TEST_MARK} too late` };
        const code = await expectRefusal('a comment on a cancelled request', () => api.addComment(request('b').id, body, key('comment-b')), 409, undefined, last);
        return `409 ${code}`;
      },
    },
    {
      id: 'list.open-filter',
      title: 'GET /requests?status=open leaves out cancelled, closed and rejected requests and keeps open ones',
      sends: 'GET /requests?telegram_user_id=<user>&limit=50&status=open',
      needs: ['lifecycle.cancel', 'list.newest-first'],
      async run() {
        if (!paging) skip('the backend answers a plain array (no filter): the bot filters it itself');
        const page = await pageOf(user, { limit: 50, openOnly: true });
        const closed = page.items.filter((item) => !isOpenStatus(item.status));
        expectThat(closed.length === 0, () => `status=open listed ${closed.map((item) => `${item.number} (${item.status})`).join(', ')}`);
        const ids = page.items.map((item) => item.id);
        const missing = [request('d'), request('c'), request('a')].filter((item) => !ids.includes(item.id));
        expectThat(missing.length === 0, () => `status=open left out the open ${numbers(missing)}`);
        return `${page.items.length} open, ${request('b').number} (cancelled) left out`;
      },
    },
    {
      id: 'ownership.list',
      title: 'another user’s list holds none of this user’s requests',
      sends: 'GET /requests?telegram_user_id=<other user>&limit=50',
      needs: ['create.more'],
      async run() {
        const page = await api.listRequestPage(otherUser, { limit: 50 });
        const ours = new Set(created.map((item) => item.id));
        const leaked = page.items.filter((item) => ours.has(item.id));
        expectThat(leaked.length === 0, () => `user ${otherUser}'s list shows ${numbers(leaked)} of user ${user}`);
        return `user ${otherUser} sees none of them`;
      },
    },
    {
      id: 'ownership.comment',
      title: 'a comment by another user on this user’s request answers 404, as if it did not exist',
      sends: 'POST /requests/{id}/comments with the other telegram_user_id',
      needs: ['create.created'],
      async run() {
        const body = { telegram_user_id: otherUser, text: `${TEST_MARK} not my request` };
        await expectRefusal(`a comment by user ${otherUser}`, () => api.addComment(request('a').id, body, key('comment-other')), 404, undefined, last);
        return '404';
      },
    },
    {
      id: 'ownership.lifecycle',
      title: 'cancel, confirm, reopen and rating by another user answer 404 and change nothing',
      sends: 'POST /requests/{id}/cancel, /confirm, /reopen, /rating with the other telegram_user_id',
      needs: ['create.created'],
      async run() {
        const id = request('a').id;
        const as = { telegram_user_id: otherUser };
        await expectRefusal(`confirm by user ${otherUser}`, () => api.confirmResolution(id, as, key('other-confirm')), 404, undefined, last);
        await expectRefusal(`reopen by user ${otherUser}`, () => api.reopenRequest(id, { ...as, reason: `${TEST_MARK} not mine` }, key('other-reopen')), 404, undefined, last);
        await expectRefusal(`rating by user ${otherUser}`, () => api.rateRequest(id, { ...as, score: 1 }, key('other-rating')), 404, undefined, last);
        await expectRefusal(`cancel by user ${otherUser}`, () => api.cancelRequest(id, as, key('other-cancel')), 404, undefined, last);
        expectStatus(await detailsNow('a'), 'new', 'after the other user’s calls');
        return '404 four times, the request unchanged';
      },
    },
    {
      id: 'agent.resolve',
      title: 'an agent resolves two test requests (--agent-hook); GET shows resolved, the history ending with it',
      sends: 'POST <agent hook> {request_id, status: resolved} twice, GET /requests/{id}',
      needs: ['create.more'],
      needsAgent: true,
      async run() {
        const hook = agent();
        for (const label of ['c', 'd'] as const) {
          await hook.moveTo(request(label).id, 'resolved');
          expectStatus(await detailsNow(label), 'resolved', `GET /requests/{id} after the agent resolved ${request(label).number}`);
        }
        return `${request('c').number} and ${request('d').number} resolved`;
      },
    },
    {
      id: 'lifecycle.confirm',
      title: 'confirm of a resolved request answers 200, now closed; the same key again changes nothing',
      sends: 'POST /requests/{id}/confirm twice with one key',
      needs: ['agent.resolve'],
      needsAgent: true,
      async run() {
        const id = request('c').id;
        const details = await api.confirmResolution(id, { telegram_user_id: user }, key('confirm-c'));
        expectStatus(details, 'closed', 'the answer to confirm');
        const again = await api.confirmResolution(id, { telegram_user_id: user }, key('confirm-c'));
        expectStatus(again, 'closed', 'the answer to the same confirm');
        expectThat(again.status_history.length === details.status_history.length, () => 'the same confirm key added another history entry');
        return `${details.number} closed; the same key: ${last()?.status ?? 200}, nothing twice`;
      },
    },
    {
      id: 'lifecycle.rating',
      title: 'rating a closed request answers 2xx with its rating; the same key again answers the same rating',
      sends: 'POST /requests/{id}/rating twice with one key',
      needs: ['lifecycle.confirm'],
      needsAgent: true,
      async run() {
        const id = request('c').id;
        const body = { telegram_user_id: user, score: 4, comment: `${TEST_MARK} rating` };
        const rated = await api.rateRequest(id, body, key('rating-c'));
        const status = last()?.status;
        expectThat(rated.rating?.score === 4, () => `the answer's rating is ${JSON.stringify(rated.rating ?? null)}, expected score 4`);
        const again = await api.rateRequest(id, body, key('rating-c'));
        expectThat(again.rating?.score === 4, () => `the same key answered rating ${JSON.stringify(again.rating ?? null)}`);
        expectThat((await detailsNow('c')).rating?.score === 4, () => 'GET /requests/{id} does not show the rating');
        return `${status} with score 4; the same key: ${last()?.status}`;
      },
    },
    {
      id: 'lifecycle.rating-twice',
      title: 'a second rating with a new key answers 409 already_rated',
      sends: 'POST /requests/{id}/rating, new key',
      needs: ['lifecycle.rating'],
      needsAgent: true,
      async run() {
        await expectRefusal('a second rating', () => api.rateRequest(request('c').id, { telegram_user_id: user, score: 1 }, key('rating-c-again')), 409, ['already_rated'], last);
        return '409 already_rated';
      },
    },
    {
      id: 'followup.rating-comment',
      title: 'PATCH /requests/{id}/rating sets rating.comment; the same key changes nothing; before a rating 409 not_rated; by another user 404',
      sends: 'PATCH /requests/{id}/rating twice with one key, once on an unrated request, once as the other user',
      needs: ['lifecycle.rating'],
      needsAgent: true,
      async run() {
        const id = request('c').id;
        const comment = `${TEST_MARK} the comment, told afterwards`;
        const details = await followUp(() => api.attachRatingComment(id, { telegram_user_id: user, comment }, key('rating-comment-c')), 'comment');
        expectThat(details.rating?.comment === comment && details.rating.score === 4, () => `the rating is ${JSON.stringify(details.rating ?? null)}, expected score 4 with the comment sent`);
        const again = await api.attachRatingComment(id, { telegram_user_id: user, comment }, key('rating-comment-c'));
        expectThat(again.rating?.comment === comment, () => `the same key answered rating ${JSON.stringify(again.rating ?? null)}`);
        await expectRefusal('a rating comment before a rating', () => api.attachRatingComment(request('a').id, { telegram_user_id: user, comment }, key('rating-comment-a')), 409, ['not_rated'], last);
        await expectRefusal(`a rating comment by user ${otherUser}`, () => api.attachRatingComment(id, { telegram_user_id: otherUser, comment }, key('rating-comment-other')), 404, undefined, last);
        return 'rating.comment set; same key: nothing twice; unrated: 409 not_rated; another user: 404';
      },
    },
    {
      id: 'lifecycle.closed-refuses',
      title: 'cancel and reopen of a closed request answer 409 invalid_status',
      sends: 'POST /requests/{id}/cancel and /reopen on the closed request',
      needs: ['lifecycle.confirm'],
      needsAgent: true,
      async run() {
        const id = request('c').id;
        await expectRefusal('cancel of a closed request', () => api.cancelRequest(id, { telegram_user_id: user }, key('cancel-c')), 409, ['invalid_status'], last);
        await expectRefusal('reopen of a closed request', () => api.reopenRequest(id, { telegram_user_id: user, reason: `${TEST_MARK} reopen` }, key('reopen-c')), 409, ['invalid_status'], last);
        return '409 invalid_status twice';
      },
    },
    {
      id: 'lifecycle.reopen',
      title: 'reopen of a resolved request answers 200, back in_progress; the same key again changes nothing; another body is 409 idempotency_conflict',
      sends: 'POST /requests/{id}/reopen three times with one key',
      needs: ['agent.resolve'],
      needsAgent: true,
      async run() {
        const id = request('d').id;
        const body = { telegram_user_id: user, reason: `${TEST_MARK} still a problem` };
        const details = await api.reopenRequest(id, body, key('reopen-d-1'));
        expectStatus(details, 'in_progress', 'the answer to reopen');
        const again = await api.reopenRequest(id, body, key('reopen-d-1'));
        expectThat(again.status_history.length === details.status_history.length, () => 'the same reopen key added another history entry');
        await expectRefusal('the same reopen key with another reason', () => api.reopenRequest(id, { ...body, reason: `${TEST_MARK} another reason` }, key('reopen-d-1')), 409, ['idempotency_conflict'], last);
        return `${details.number} in_progress; same key: nothing twice; another body: 409 idempotency_conflict`;
      },
    },
    {
      id: 'lifecycle.reopen-limit',
      title: `resolving and reopening again until the backend's limit answers 409 reopen_limit (up to ${settings.maxReopens} more times)`,
      sends: 'POST <agent hook> resolved, then POST /requests/{id}/reopen with a new key, repeated',
      needs: ['lifecycle.reopen'],
      needsAgent: true,
      async run() {
        const hook = agent();
        const id = request('d').id;
        for (let round = 2; round <= settings.maxReopens + 1; round += 1) {
          await hook.moveTo(id, 'resolved');
          try {
            await api.reopenRequest(id, { telegram_user_id: user, reason: `${TEST_MARK} round ${round}` }, key(`reopen-d-${round}`));
          } catch (error) {
            const code = await expectRefusal(`reopening ${round}`, () => Promise.reject(error), 409, ['reopen_limit'], last);
            return `409 ${code} at reopening ${round}`;
          }
        }
        skip(`no reopen limit within ${settings.maxReopens + 1} reopenings (the contract lets a backend allow any number)`);
      },
    },
  ];

  return {
    checks,
    created: () => [...created],
    async cleanup() {
      const cancelled: string[] = [];
      const left: string[] = [];
      for (const made of created) {
        try {
          const details = await api.getRequest(made.id);
          if (!['new', 'in_progress', 'waiting_for_customer'].includes(details.status)) {
            left.push(`${made.number} ${details.status}`);
            continue;
          }
          await api.cancelRequest(made.id, { telegram_user_id: user, reason: `${TEST_MARK} cleaning up` }, key(`cleanup-${made.id}`));
          cancelled.push(made.number);
        } catch (error) {
          left.push(`${made.number} not cancelled (${error instanceof Error ? error.message : String(error)})`);
        }
      }
      return [cancelled.length > 0 ? `cancelled ${cancelled.join(', ')}` : 'nothing left open', ...left].join('; ');
    },
  };
}

function expectUnique(ids: readonly (string | number)[], what: string): void {
  const repeated = ids.filter((id, index) => ids.indexOf(id) !== index);
  expectThat(repeated.length === 0, () => `${what} repeat: ${[...new Set(repeated)].join(', ')}`);
}

function expectNewestFirst(items: readonly { number: string; created_at: string }[]): void {
  for (let index = 1; index < items.length; index += 1) {
    const [before, after] = [items[index - 1], items[index]];
    if (before === undefined || after === undefined) continue;
    expectThat(Date.parse(before.created_at) >= Date.parse(after.created_at), () => `not newest first: ${before.number} (${before.created_at}) before ${after.number} (${after.created_at})`);
  }
}

function expectOldestFirst(times: readonly string[], what: string): void {
  for (let index = 1; index < times.length; index += 1) {
    const [before, after] = [times[index - 1], times[index]];
    if (before === undefined || after === undefined) continue;
    expectThat(Date.parse(before) <= Date.parse(after), () => `${what} not oldest first: ${before} before ${after}`);
  }
}
