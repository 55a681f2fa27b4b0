import { BackendError } from '../../backend/backend-error.js';
import type { RequestStatus } from '../../backend/schemas.js';
import type { Lang, Messages } from '../../i18n/index.js';
import type { BotContext } from '../context.js';
import { escapeHtml } from '../views/html.js';
import { acknowledge, button, show } from '../views/screen.js';

const LIST_LIMIT = 10;

/** The person's newest requests, one button each. Never cached: statuses change. */
export async function showMyRequests(ctx: BotContext): Promise<void> {
  await acknowledge(ctx);
  const userId = ctx.from?.id;
  if (userId === undefined) return;
  const { t, lang } = ctx;
  let requests;
  try {
    requests = await ctx.deps.backend.listRequests(userId, LIST_LIMIT);
  } catch (error) {
    if (!(error instanceof BackendError)) throw error;
    ctx.log.error({ err: error }, 'listing requests failed');
    await show(ctx, { text: t.requestsUnavailable, buttons: [[button(t.buttonRefresh, { kind: 'my-requests', lang }), menuButton(t, lang)]] });
    return;
  }
  await show(ctx, {
    text: requests.length > 0 ? t.myRequestsTitle : t.myRequestsEmpty,
    buttons: [
      ...requests.map((request) => [
        button(`${request.number} · ${statusLabel(t, request.status)} · ${request.category_name}`, {
          kind: 'request',
          lang,
          requestId: request.id,
        }),
      ]),
      [button(t.buttonNewRequest, { kind: 'types', lang }), menuButton(t, lang)],
    ],
  });
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
      }) + (history ? `\n\n${t.historyTitle}\n${history}` : ''),
    buttons: [back],
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
