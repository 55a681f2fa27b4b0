import type { BotContext } from '../context.js';
import { dropDraft, matchingDraft, resumeDraft } from '../draft/draft-flow.js';
import { draftNames } from '../draft/summary.js';
import { showExpired } from '../views/expired.js';
import { escapeHtml } from '../views/html.js';
import { acknowledge, button, show } from '../views/screen.js';

/**
 * A message that no step on display asks for, while a draft is parked (a command or another screen
 * took its place): the message is not taken for the draft. The person chooses: Continue (the step
 * where it stopped) or Discard.
 */
export async function showDraftInProgress(ctx: BotContext): Promise<void> {
  const draft = ctx.session.draft;
  if (!draft) return;
  const { t } = ctx;
  const names = await draftNames(ctx, draft);
  const what = names ? `${escapeHtml(names.type)} · ${escapeHtml(names.category)}` : '…';
  await show(
    ctx,
    {
      text: t.draftInProgress(what),
      buttons: [[button(t.buttonContinue, { kind: 'continue', draftId: draft.id }), button(t.buttonDiscard, { kind: 'discard', draftId: draft.id })]],
    },
    { newMessage: true },
  );
}

export async function continueDraft(ctx: BotContext, draftId: string): Promise<void> {
  const draft = matchingDraft(ctx, draftId);
  if (!draft) return showExpired(ctx);
  await acknowledge(ctx);
  await resumeDraft(ctx, draft);
}

export async function discardDraft(ctx: BotContext, draftId: string): Promise<void> {
  if (!matchingDraft(ctx, draftId)) return showExpired(ctx);
  await dropDraft(ctx);
}
