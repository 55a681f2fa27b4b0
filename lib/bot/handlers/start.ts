import type { BotContext } from '../context.js';
import { escapeHtml } from '../views/html.js';
import { helpScreen, mainMenu } from '../views/menus.js';
import { acknowledge, show } from '../views/screen.js';

export async function start(ctx: BotContext): Promise<void> {
  const name = escapeHtml(ctx.from?.first_name ?? '');
  await show(ctx, mainMenu(ctx.t, ctx.lang, ctx.t.welcome(name)), { newMessage: true });
}

export async function showMenu(ctx: BotContext): Promise<void> {
  await acknowledge(ctx);
  await show(ctx, mainMenu(ctx.t, ctx.lang));
}

export async function help(ctx: BotContext): Promise<void> {
  await acknowledge(ctx);
  await show(ctx, helpScreen(ctx.t, ctx.lang, ctx.deps.miniAppUrl !== undefined));
}

/** Anything the conversation does not expect: a gentle hint and the menu. */
export async function fallback(ctx: BotContext): Promise<void> {
  await show(ctx, mainMenu(ctx.t, ctx.lang, ctx.t.fallback), { newMessage: true });
}
