import type { BotContext } from '../context.js';
import { currentStep } from '../draft/draft-flow.js';
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

/** The draft is dropped, nothing was sent: "Cancelled. Nothing was sent." and the menu (the contact keyboard removed). */
export async function dropDraft(ctx: BotContext): Promise<void> {
  await acknowledge(ctx);
  const contactKeyboardShown = currentStep(ctx.session.draft)?.replyKeyboard === true;
  delete ctx.session.draft;
  if (contactKeyboardShown) await ctx.reply(ctx.t.cancelled, { reply_markup: { remove_keyboard: true } });
  await show(ctx, mainMenu(ctx.t, ctx.lang, contactKeyboardShown ? ctx.t.mainMenu : ctx.t.cancelled));
}
