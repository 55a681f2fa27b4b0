import { activePending } from '../../session/session.js';
import type { BotContext } from '../context.js';
import { dropDraft } from '../draft/draft-flow.js';
import { listOnScreen } from '../on-screen.js';
import { mainMenu } from '../views/menus.js';
import { acknowledge, show } from '../views/screen.js';
import { neverMind } from './never-mind.js';

/**
 * Cancel (a button, or /cancel): anything begun is cancelled and the menu follows. Reply mode is
 * left (the draft, if any, stays for later); a question the bot asked is dropped; otherwise the
 * draft is dropped, nothing was sent. A Cancel button always stands on something begun (a list, a
 * step); /cancel says "There is nothing to cancel" only when the session knows of nothing.
 */
export async function cancel(ctx: BotContext): Promise<void> {
  await acknowledge(ctx);
  const { t, lang, session } = ctx;
  if (session.reply) {
    delete session.reply;
    await show(ctx, mainMenu(t, lang, t.commentCancelled));
    return;
  }
  const pending = activePending(session);
  if (pending && pending.kind !== 'link-location') return neverMind(ctx);
  if (session.pending) delete session.pending;
  if (session.draft !== undefined) return dropDraft(ctx);
  const begun = ctx.callbackQuery !== undefined || pending !== undefined || listOnScreen(session) !== undefined;
  await show(ctx, mainMenu(t, lang, begun ? t.cancelled : t.nothingToCancel));
}
