import { createHash } from 'node:crypto';
import { BackendError } from '../../backend/backend-error.js';
import { isOpenStatus, type RequestStatus } from '../../backend/schemas.js';
import type { Lang, Messages } from '../../i18n/index.js';
import { cursorFitsInButton, type CallbackAction } from '../callback-data.js';
import type { BotContext } from '../context.js';
import { escapeHtml } from '../views/html.js';
import { ratingLine, requestActionButtons } from '../views/request-actions.js';
import { acknowledge, button, show, type Button } from '../views/screen.js';

const LIST_LIMIT = 10;
/** A backend cursor too long for a button is kept this long under a short name the button carries. */
const STORED_CURSOR_TTL_SECONDS = 86_400;

/** Which page of My requests: the filter and where the page starts (the newest when neither is set). */
export interface ListPosition {
  readonly openOnly: boolean;
  readonly cursor?: string;
  readonly cursorRef?: string;
}

/**
 * The person's requests, newest first, 10 a page with Older ▶, filtered to open ones or all. Never
 * cached: statuses change. Stateless: the page's position travels in its buttons, so a tap costs no
 * store round trip, unless the backend's cursor is too long for a button (one round trip).
 */
export async function showMyRequests(ctx: BotContext, position: ListPosition = { openOnly: false }): Promise<void> {
  await acknowledge(ctx);
  const userId = ctx.from?.id;
  if (userId === undefined) return;
  const { t, lang } = ctx;
  const { openOnly } = position;
  const cursor = position.cursorRef !== undefined ? await storedCursor(ctx, userId, position.cursorRef) : position.cursor;
  let page;
  try {
    page = await ctx.deps.backend.listRequestPage(userId, { limit: LIST_LIMIT, openOnly, ...(cursor !== undefined && { cursor }) });
  } catch (error) {
    if (!(error instanceof BackendError)) throw error;
    ctx.log.error({ err: error }, 'listing requests failed');
    await show(ctx, { text: t.requestsUnavailable, buttons: [[button(t.buttonRefresh, { kind: 'my-requests', lang }), menuButton(t, lang)]] });
    return;
  }
  // Backends without the filter (or without paging) answer every status: the filter holds anyway.
  const requests = openOnly ? page.items.filter((request) => isOpenStatus(request.status)) : page.items;
  const first = cursor === undefined;
  const older = page.nextCursor === undefined ? undefined : await olderPage(ctx, userId, openOnly, page.nextCursor);
  const paging: Button[] = [
    ...(first ? [] : [button(t.buttonNewest, { kind: 'requests-page', lang, openOnly })]),
    ...(older ? [button(t.buttonOlder, older)] : []),
  ];
  const filter = (label: string, value: boolean) =>
    button(value === openOnly ? t.filterChosen(label) : label, { kind: 'requests-page', lang, openOnly: value });
  await show(ctx, {
    text: !first ? t.myRequestsOlderTitle : requests.length > 0 ? (openOnly ? t.myRequestsOpenTitle : t.myRequestsTitle) : openOnly ? t.myRequestsOpenEmpty : t.myRequestsEmpty,
    buttons: [
      ...requests.map((request) => [
        button(`${request.number} · ${statusLabel(t, request.status)} · ${request.category_name}`, {
          kind: 'request',
          lang,
          requestId: request.id,
        }),
      ]),
      [filter(t.buttonFilterAll, false), filter(t.buttonFilterOpen, true)],
      ...(paging.length > 0 ? [paging] : []),
      [button(t.buttonNewRequest, { kind: 'types', lang }), menuButton(t, lang)],
    ],
  });
}

/** Older ▶: the cursor itself when it fits in the button, else the name of a stored copy. */
async function olderPage(ctx: BotContext, userId: number, openOnly: boolean, cursor: string): Promise<CallbackAction | undefined> {
  if (cursorFitsInButton(cursor)) return { kind: 'requests-page', lang: ctx.lang, openOnly, cursor };
  const ref = createHash('sha256').update(`${userId}:${cursor}`).digest('base64url').slice(0, 12);
  try {
    await ctx.deps.store.exec([{ op: 'set', key: cursorKey(userId, ref), value: cursor, ttlSeconds: STORED_CURSOR_TTL_SECONDS }]);
  } catch (error) {
    // The page still shows; only Older ▶ is left out until the store answers again.
    ctx.log.warn({ err: error }, '[store] list cursor not stored, Older left out');
    return undefined;
  }
  return { kind: 'requests-page', lang: ctx.lang, openOnly, cursorRef: ref };
}

/** A stored cursor; an expired one (or a store outage) starts again from the newest page. */
async function storedCursor(ctx: BotContext, userId: number, ref: string): Promise<string | undefined> {
  try {
    const [cursor] = await ctx.deps.store.exec([{ op: 'get', key: cursorKey(userId, ref) }]);
    return cursor ?? undefined;
  } catch (error) {
    ctx.log.warn({ err: error }, '[store] stored list cursor unreadable, showing the newest page');
    return undefined;
  }
}

function cursorKey(userId: number, ref: string): string {
  return `list-cursor:${userId}:${ref}`;
}

/**
 * One request with its status history. The id comes from a button, which anyone can forge,
 * so the request is shown only when it belongs to the person who tapped.
 */
export async function showRequest(ctx: BotContext, requestId: string, options: { readonly newMessage?: boolean } = {}): Promise<void> {
  await acknowledge(ctx);
  const userId = ctx.from?.id;
  if (userId === undefined) return;
  const { t, lang } = ctx;
  const back = [button(t.buttonRefresh, { kind: 'request', lang, requestId }), button(t.buttonBack, { kind: 'my-requests', lang })];
  let details;
  try {
    const request = await ctx.deps.backend.getRequest(requestId);
    // Backends that name the owner answer in one call; others are checked against the person's list.
    const owned =
      request.telegram_user_id !== undefined
        ? request.telegram_user_id === userId
        : (await ctx.deps.backend.listRequests(userId, LIST_LIMIT)).some((item) => item.id === request.id);
    details = owned ? request : undefined;
  } catch (error) {
    if (!(error instanceof BackendError)) throw error;
    if (error.status !== 404) {
      ctx.log.error({ err: error }, 'loading a request failed');
      await show(ctx, { text: t.requestsUnavailable, buttons: [back] }, options);
      return;
    }
  }
  if (!details) {
    ctx.log.warn({ request_id: requestId }, 'request not shown: not found or not owned by the person');
    await show(ctx, { text: t.requestNotFound, buttons: [[button(t.buttonBack, { kind: 'my-requests', lang })]] }, options);
    return;
  }
  const history = details.status_history
    .map((entry) => `• ${formatDate(entry.at, lang)}: ${statusLabel(t, entry.status)}${entry.comment ? ` (${escapeHtml(entry.comment)})` : ''}`)
    .join('\n');
  await show(ctx, {
    text:
      t.requestDetails({
        number: escapeHtml(details.number),
        status: statusLabel(t, details.status),
        category: escapeHtml(details.category_name),
        created: formatDate(details.created_at, lang),
        updated: formatDate(details.updated_at, lang),
      }) + (history ? `\n\n${t.historyTitle}\n${history}` : '') + ratingLine(t, details.rating),
    buttons: [...requestActionButtons(t, lang, details), back],
  }, options);
}

export function statusLabel(t: Messages, status: RequestStatus): string {
  return t.status[status];
}

function menuButton(t: Messages, lang: Lang) {
  return button(t.buttonMenu, { kind: 'menu', lang });
}

function formatDate(iso: string, lang: Lang): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return escapeHtml(iso);
  return date.toLocaleString(lang === 'ru' ? 'ru-RU' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }) + ' UTC';
}
