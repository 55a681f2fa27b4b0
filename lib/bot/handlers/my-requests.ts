import { createHash } from 'node:crypto';
import { BackendError } from '../../backend/backend-error.js';
import { isOpenStatus } from '../../backend/schemas.js';
import type { Lang, Messages } from '../../i18n/index.js';
import { cursorFitsInButton, myRequestsAction, requestAction, type CallbackAction, type ListPosition } from '../callback-data.js';
import type { BotContext } from '../context.js';
import { loadOwnedRequest } from '../requests/owned-request.js';
import { statusLabel } from '../views/format.js';
import { requestDetailsScreen } from '../views/request-details.js';
import { acknowledge, button, show, type Button } from '../views/screen.js';

const LIST_LIMIT = 10;
/** A backend cursor too long for a button is kept this long under a short name the button carries. */
const STORED_CURSOR_TTL_SECONDS = 86_400;

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
    page = await ctx.deps.backend.listRequestPage(userId, { limit: LIST_LIMIT, openOnly, ...(cursor !== undefined && { cursor }) }, { language: lang });
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
      // Each request remembers this page: Back from its details returns here.
      ...requests.map((request) => [
        button(`${request.number} · ${statusLabel(t, request.status)} · ${request.category_name}`, requestAction(lang, request.id, { list: position })),
      ]),
      [filter(t.buttonFilterAll, false), filter(t.buttonFilterOpen, true)],
      ...(paging.length > 0 ? [paging] : []),
      [button(t.buttonNewRequest, { kind: 'types', lang }), menuButton(t, lang)],
    ],
  }, first ? { unchanged: openOnly ? t.filterShowingOpen : t.filterShowingAll } : {});
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
 * One request with its status history and thread, a page at a time. The id comes from a button,
 * which anyone can forge, so the request is shown only when it belongs to the person who tapped.
 */
export async function showRequest(
  ctx: BotContext,
  requestId: string,
  options: { readonly newMessage?: boolean; readonly page?: number; readonly notice?: string; readonly list?: ListPosition } = {},
): Promise<number | undefined> {
  await acknowledge(ctx);
  const { t, lang } = ctx;
  const loaded = await loadOwnedRequest(ctx, requestId);
  if (loaded.kind !== 'owned') {
    const back = [button(t.buttonBack, myRequestsAction(lang, options.list))];
    const text = loaded.kind === 'unavailable' ? t.requestsUnavailable : t.requestNotFound;
    const retry = loaded.kind === 'unavailable' ? [button(t.buttonRefresh, requestAction(lang, requestId, { list: options.list }))] : [];
    return show(ctx, { text, buttons: [[...retry, ...back]] }, options);
  }
  return show(ctx, requestDetailsScreen(t, lang, loaded.details, options.page ?? 0, { notice: options.notice, list: options.list, timeZone: ctx.deps.timeZone }), options);
}

function menuButton(t: Messages, lang: Lang) {
  return button(t.buttonMenu, { kind: 'menu', lang });
}
