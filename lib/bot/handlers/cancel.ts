import type { BotContext } from '../context.js';
import { dropDraft } from '../draft/draft-flow.js';
import { mainMenu } from '../views/menus.js';
import { acknowledge, show } from '../views/screen.js';

/**
 * Cancel: leaves reply mode when a comment was being written (the draft, if any, stays for
 * later); otherwise drops the draft (nothing was sent). Returns to the menu, clearing a contact keyboard.
 */
export async function cancel(ctx: BotContext): Promise<void> {
  await acknowledge(ctx);
  if (ctx.session.reply) {
    delete ctx.session.reply;
    await show(ctx, mainMenu(ctx.t, ctx.lang, ctx.t.commentCancelled));
    return;
  }
  if (ctx.session.draft === undefined) {
    await show(ctx, mainMenu(ctx.t, ctx.lang, ctx.t.nothingToCancel));
    return;
  }
  await dropDraft(ctx);
}
