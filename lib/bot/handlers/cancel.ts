import type { BotContext } from '../context.js';
import { currentStep } from '../draft/draft-flow.js';
import { mainMenu } from '../views/menus.js';
import { acknowledge, show } from '../views/screen.js';

/** Drops the draft (nothing was sent) and returns to the menu; also clears a contact keyboard. */
export async function cancel(ctx: BotContext): Promise<void> {
  const hadDraft = ctx.session.draft !== undefined;
  const contactKeyboardShown = currentStep(ctx.session.draft)?.replyKeyboard === true;
  delete ctx.session.draft;
  await acknowledge(ctx);
  if (contactKeyboardShown) await ctx.reply(ctx.t.cancelled, { reply_markup: { remove_keyboard: true } });
  const text = hadDraft ? ctx.t.cancelled : ctx.t.nothingToCancel;
  await show(ctx, mainMenu(ctx.t, ctx.lang, contactKeyboardShown ? ctx.t.mainMenu : text));
}
