import { activePending } from '../../session/session.js';
import type { BotContext } from '../context.js';
import { dropDraft, showOutOfDate } from '../draft/draft-flow.js';
import { escapeHtml } from '../views/html.js';
import { listOnScreen } from '../on-screen.js';
import { mainMenu } from '../views/menus.js';
import { acknowledge, show } from '../views/screen.js';
import { neverMind } from './never-mind.js';
import { showRequest } from './my-requests.js';

/**
 * Cancel (a button, or /cancel): anything begun is cancelled and the menu follows. Reply mode is
 * left for the request's details (the draft, if any, stays for later); a question the bot asked is dropped; otherwise the
 * draft is dropped, nothing was sent. A Cancel button always stands on something begun (a list, a
 * step); /cancel says "There is nothing to cancel" only when the session knows of nothing.
 * A draft's Cancel names its draft: tapped after that draft was sent, it says so rather than
 * "nothing was sent"; tapped on an older draft's screen, it leaves the current draft alone.
 */
export async function cancel(ctx: BotContext, draftId?: string): Promise<void> {
  const { t, lang, session } = ctx;
  if (draftId !== undefined && session.draft?.id !== draftId) {
    if (session.submitted?.draftId === draftId) {
      await acknowledge(ctx);
      await show(ctx, mainMenu(t, lang, t.alreadySubmitted(escapeHtml(session.submitted.number))));
      return;
    }
    if (session.draft !== undefined) return showOutOfDate(ctx, session.draft);
  }
  await acknowledge(ctx);
  if (session.reply) {
    // Back where Add comment (or Reply) was tapped: the request's details, nothing added.
    const { requestId } = session.reply;
    delete session.reply;
    await showRequest(ctx, requestId, { notice: t.commentCancelled });
    return;
  }
  const pending = activePending(session);
  if (pending && pending.kind !== 'link-location') return neverMind(ctx);
  if (session.pending) delete session.pending;
  if (session.draft !== undefined) return dropDraft(ctx);
  const begun = ctx.callbackQuery !== undefined || pending !== undefined || listOnScreen(session) !== undefined;
  await show(ctx, mainMenu(t, lang, begun ? t.cancelled : t.nothingToCancel));
}
