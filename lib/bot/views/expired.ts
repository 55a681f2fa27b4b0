import type { BotContext } from '../context.js';
import { mainMenu } from './menus.js';
import { acknowledge, show } from './screen.js';

/** A button that no longer matches the catalogue or the draft: say so and offer a fresh menu. */
export async function showExpired(ctx: BotContext): Promise<void> {
  ctx.handler = 'expired';
  await acknowledge(ctx, ctx.t.menuExpired);
  await show(ctx, mainMenu(ctx.t, ctx.lang, ctx.t.menuExpired), { newMessage: true });
}
