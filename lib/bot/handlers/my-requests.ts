import { BackendError } from '../../backend/backend-error.js';
import type { Lang, Messages } from '../../i18n/index.js';
import type { BotContext } from '../context.js';
import { loadOwnedRequest } from '../requests/owned-request.js';
import { statusLabel } from '../views/format.js';
import { requestDetailsScreen } from '../views/request-details.js';
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
 * One request with its status history and thread, a page at a time. The id comes from a button,
 * which anyone can forge, so the request is shown only when it belongs to the person who tapped.
 */
export async function showRequest(
  ctx: BotContext,
  requestId: string,
  options: { readonly newMessage?: boolean; readonly page?: number; readonly notice?: string } = {},
): Promise<number | undefined> {
  await acknowledge(ctx);
  const { t, lang } = ctx;
  const loaded = await loadOwnedRequest(ctx, requestId);
  if (!loaded.found) {
    const back = [button(t.buttonBack, { kind: 'my-requests', lang })];
    const text = loaded.reason === 'unavailable' ? t.requestsUnavailable : t.requestNotFound;
    const retry = loaded.reason === 'unavailable' ? [button(t.buttonRefresh, { kind: 'request', lang, requestId })] : [];
    return show(ctx, { text, buttons: [[...retry, ...back]] }, options);
  }
  return show(ctx, requestDetailsScreen(t, lang, loaded.details, options.page ?? 0, options.notice), options);
}

function menuButton(t: Messages, lang: Lang) {
  return button(t.buttonMenu, { kind: 'menu', lang });
}
