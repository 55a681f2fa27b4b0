import type { Message } from 'telegraf/types';
import { MAX_LOCATION_LENGTH } from '../../backend/schemas.js';
import { qrCodePng } from '../../deep-link/qr-code.js';
import { deepLink, miniAppLink, encodeStartPayload, locationProblem, normalizeLocation, StartPayloadError } from '../../deep-link/start-payload.js';
import { activePending, pendingUntil, type Pending } from '../../session/session.js';
import type { BotContext } from '../context.js';
import { draftNames } from '../draft/summary.js';
import { categoriesScreen, PAGE_SIZE, requestTypesScreen, sidesScreen, type CatalogRoute } from '../views/catalog-screens.js';
import { showExpired } from '../views/expired.js';
import { escapeHtml } from '../views/html.js';
import { acknowledge, button, keyboard, show } from '../views/screen.js';

/** The catalogue screens of `/link`: the same as a new request's, leading to a link instead of a draft. */
const LINK_ROUTE: CatalogRoute = {
  typesTitle: (t) => t.linkChooseType,
  types: (lang) => ({ kind: 'link-types', lang }),
  sides: (lang, typeId) => ({ kind: 'link-sides', lang, typeId }),
  categories: (lang, typeId, sideId, page) => ({ kind: 'link-categories', lang, typeId, sideId, page }),
  pick: (typeId, sideId, categoryId) => ({ kind: 'link-pick', typeId, sideId, categoryId }),
};

type LinkTarget = { readonly typeId: number; readonly sideId: number; readonly categoryId: number };

/**
 * `/link` (admins): browse to a service like a new request, type a location (or Skip), and get the
 * deep link with a PNG QR code to print. Callers check `isAdmin` for every step.
 */
export async function showLinkTypes(ctx: BotContext): Promise<void> {
  await acknowledge(ctx);
  const types = await ctx.deps.catalog.requestTypes(ctx.lang);
  await show(ctx, requestTypesScreen(ctx.t, ctx.lang, types, LINK_ROUTE));
}

export async function showLinkSides(ctx: BotContext, typeId: number): Promise<void> {
  await acknowledge(ctx);
  const type = await ctx.deps.catalog.findRequestType(typeId, ctx.lang);
  if (!type) return showExpired(ctx);
  await show(ctx, sidesScreen(ctx.t, ctx.lang, type, await ctx.deps.catalog.sides(typeId, ctx.lang), LINK_ROUTE));
}

export async function showLinkCategories(ctx: BotContext, typeId: number, sideId: number, page: number): Promise<void> {
  await acknowledge(ctx);
  const [type, side] = await Promise.all([ctx.deps.catalog.findRequestType(typeId, ctx.lang), ctx.deps.catalog.findSide(typeId, sideId, ctx.lang)]);
  if (!type || !side) return showExpired(ctx);
  const categories = await ctx.deps.catalog.categories(typeId, sideId, ctx.lang);
  await show(ctx, categoriesScreen(ctx.t, ctx.lang, type, side, categories, page, LINK_ROUTE));
}

/** A service was chosen: the next message is the location printed on the poster (or Skip). */
export async function pickLinkCategory(ctx: BotContext, target: LinkTarget): Promise<void> {
  await acknowledge(ctx);
  const category = await ctx.deps.catalog.findCategory(target.typeId, target.sideId, target.categoryId, ctx.lang);
  if (!category) return showExpired(ctx);
  const { typeId, sideId, categoryId } = target;
  // One question at a time: a comment being written (reply mode) is not waited for any more.
  delete ctx.session.reply;
  ctx.session.pending = { kind: 'link-location', typeId, sideId, categoryId, until: pendingUntil() };
  const { t } = ctx;
  await show(ctx, {
    text: t.linkAskLocation(escapeHtml(category.name), MAX_LOCATION_LENGTH),
    buttons: [
      [button(t.buttonSkip, { kind: 'link-skip' })],
      [button(t.buttonBack, { kind: 'link-back', typeId, sideId, categoryId }), button(t.buttonNeverMind, { kind: 'drop-pending' })],
    ],
  });
}

/** Back on the location step: the question is over; the service list at the service's page. */
export async function backFromLinkLocation(ctx: BotContext, target: LinkTarget): Promise<void> {
  if (ctx.session.pending?.kind === 'link-location') delete ctx.session.pending;
  const categories = await ctx.deps.catalog.categories(target.typeId, target.sideId, ctx.lang);
  const index = categories.findIndex((category) => category.id === target.categoryId);
  await showLinkCategories(ctx, target.typeId, target.sideId, index === -1 ? 0 : Math.floor(index / PAGE_SIZE));
}

/** Skip: a link without a location. */
export async function skipLinkLocation(ctx: BotContext): Promise<void> {
  await acknowledge(ctx);
  const pending = activePending(ctx.session);
  if (pending?.kind !== 'link-location') return showExpired(ctx);
  await sendLink(ctx, pending, undefined);
}

/** A message while the location is asked for. */
export async function receiveLinkLocation(ctx: BotContext, pending: Extract<Pending, { kind: 'link-location' }>): Promise<void> {
  const message = ctx.message as Message | undefined;
  // A place picked on the map answers with its name, cut to what a poster's link carries.
  const venue = message && 'venue' in message ? [...message.venue.title.trim()].slice(0, MAX_LOCATION_LENGTH).join('') : undefined;
  const text = message && 'text' in message ? normalizeLocation(message.text) : venue !== undefined ? normalizeLocation(venue) : '';
  const problem = locationProblem(text);
  if (problem === 'location-too-long') {
    await ctx.reply(ctx.t.linkLocationTooLong(MAX_LOCATION_LENGTH, [...text].length));
    return;
  }
  if (problem !== undefined) {
    await ctx.reply(ctx.t.linkLocationUnsupported);
    return;
  }
  await sendLink(ctx, pending, text);
}

/** The link and its QR code as a photo; the caption carries the link too, for copying. */
async function sendLink(ctx: BotContext, target: LinkTarget, location: string | undefined): Promise<void> {
  const { t } = ctx;
  const identity = ctx.deps.identity ? await ctx.deps.identity() : ctx.botInfo;
  const username = identity?.username ?? '';
  if (username === '') {
    await ctx.reply(t.linkNoUsername);
    return;
  }
  const names = await draftNames(ctx, target);
  if (!names) return showExpired(ctx);
  let payload: string;
  try {
    const { typeId, sideId, categoryId } = target;
    payload = encodeStartPayload({ typeId, sideId, categoryId, ...(location !== undefined && { location }) });
  } catch (error) {
    if (!(error instanceof StartPayloadError)) throw error;
    // Only very long catalogue ids with a long location get here: a shorter location fits.
    await ctx.reply(t.linkLocationTooLong(MAX_LOCATION_LENGTH, [...(location ?? '')].length));
    return;
  }
  const link = deepLink(username, payload);
  const png = await qrCodePng(link);
  delete ctx.session.pending;
  const service = [names.type, names.side, names.category, ...(location !== undefined ? [`📍 ${location}`] : [])].join(' · ');
  await ctx.replyWithPhoto(
    { source: png, filename: `qr-${payload}.png` },
    {
      caption: t.linkReady(link, service) + (ctx.deps.miniAppShortName !== undefined ? `\n${t.appLinkLine(miniAppLink(username, ctx.deps.miniAppShortName, payload))}` : ''),
      reply_markup: keyboard({ text: '', buttons: [[button(t.buttonMenu, { kind: 'menu', lang: ctx.lang })]] }),
    },
  );
  ctx.log.info({ category_id: target.categoryId, location: location !== undefined, bytes: png.length }, 'deep link made');
}
