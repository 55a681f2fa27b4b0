import type { BotContext } from '../context.js';
import { recordOnScreen } from '../on-screen.js';
import { categoriesScreen, requestTypesScreen, sidesScreen } from '../views/catalog-screens.js';
import { showExpired } from '../views/expired.js';
import { acknowledge, show } from '../views/screen.js';

/**
 * Catalogue navigation: request type → side → service category, every screen from the cached
 * catalogue. Stateless: the position travels in the buttons, so a warm tap costs no store round trip.
 * Shown by a stateful update (a command, a draft's Back, a tap while a draft exists), the list is
 * recorded as what is on display, so a message typed next is read against it.
 */
export async function showRequestTypes(ctx: BotContext): Promise<void> {
  await acknowledge(ctx);
  const types = await ctx.deps.catalog.requestTypes(ctx.lang);
  await show(ctx, requestTypesScreen(ctx.t, ctx.lang, types));
  recordOnScreen(ctx, { kind: 'list' });
}

export async function showSides(ctx: BotContext, typeId: number): Promise<void> {
  await acknowledge(ctx);
  const type = await ctx.deps.catalog.findRequestType(typeId, ctx.lang);
  if (!type) return showExpired(ctx);
  const sides = await ctx.deps.catalog.sides(typeId, ctx.lang);
  await show(ctx, sidesScreen(ctx.t, ctx.lang, type, sides));
  recordOnScreen(ctx, { kind: 'list', typeId });
}

export async function showCategories(ctx: BotContext, typeId: number, sideId: number, page: number): Promise<void> {
  await acknowledge(ctx);
  const [type, side] = await Promise.all([ctx.deps.catalog.findRequestType(typeId, ctx.lang), ctx.deps.catalog.findSide(typeId, sideId, ctx.lang)]);
  if (!type || !side) return showExpired(ctx);
  const categories = await ctx.deps.catalog.categories(typeId, sideId, ctx.lang);
  await show(ctx, categoriesScreen(ctx.t, ctx.lang, type, side, categories, page));
  recordOnScreen(ctx, { kind: 'list', typeId, sideId });
}
