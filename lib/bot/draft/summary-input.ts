import type { Message } from 'telegraf/types';
import type { Draft } from '../../session/session.js';
import type { BotContext } from '../context.js';
import { recordOnScreen } from '../on-screen.js';
import { escapeHtml } from '../views/html.js';
import { acknowledge, button, show } from '../views/screen.js';
import { takeDraftFile } from './draft-files.js';
import { descriptionOf } from './step-description.js';
import { showSummary } from './summary.js';

/**
 * A message while the summary is on display: nothing sent there is thrown away. Text asks "Replace
 * the description with this?" (Yes / No); a file of any kind is added (up to 10); the person's own contact adds the
 * phone. A draft whose submission may have reached the backend changes no more: it says so.
 */
export async function receiveAtSummary(ctx: BotContext, draft: Draft): Promise<void> {
  const { t } = ctx;
  const message = ctx.message as Message | undefined;
  if (draft.attempted) {
    await ctx.reply(t.draftFrozen);
    return showSummary(ctx, { newMessage: true });
  }
  const taken = await takeDraftFile(ctx, draft);
  if (taken === 'taken') return showSummary(ctx, { newMessage: true });
  if (taken === 'refused') return;
  if (message && 'contact' in message) {
    if (message.contact.user_id !== ctx.from?.id) {
      await ctx.reply(t.contactNotYours);
      return;
    }
    draft.phone = message.contact.phone_number;
    await ctx.reply(t.contactAdded);
    return showSummary(ctx, { newMessage: true });
  }
  if (!(message && 'text' in message)) {
    await ctx.reply(t.summaryTakes);
    return;
  }
  const text = await descriptionOf(ctx);
  if (text === undefined) return;
  draft.proposedDescription = text;
  await show(
    ctx,
    {
      text: t.replaceDescriptionAsk(escapeHtml(text)),
      buttons: [[button(t.buttonReplaceYes, { kind: 'replace-description', draftId: draft.id, replace: true }), button(t.buttonReplaceNo, { kind: 'replace-description', draftId: draft.id, replace: false })]],
    },
    { newMessage: true },
  );
  // Still the draft's screen: another text is another proposal.
  recordOnScreen(ctx, { kind: 'draft' });
}

/** Yes or No on "Replace the description with this?": the summary again, with the choice made. */
export async function answerReplaceDescription(ctx: BotContext, draft: Draft, replace: boolean): Promise<void> {
  await acknowledge(ctx);
  if (replace && draft.proposedDescription !== undefined) draft.description = draft.proposedDescription;
  delete draft.proposedDescription;
  await showSummary(ctx);
}
