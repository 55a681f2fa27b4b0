import type { BotContext } from '../context.js';
import { mainMenu } from '../views/menus.js';
import { acknowledge, show } from '../views/screen.js';

/** Never mind on a question the bot asked (a reason, a comment, a location): it is dropped, nothing is sent. */
export async function neverMind(ctx: BotContext): Promise<void> {
  delete ctx.session.pending;
  await acknowledge(ctx);
  await show(ctx, mainMenu(ctx.t, ctx.lang, ctx.t.nothingChanged));
}
