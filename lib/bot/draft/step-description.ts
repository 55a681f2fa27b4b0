import type { Message } from 'telegraf/types';
import type { BotContext } from '../context.js';
import { showExpired } from '../views/expired.js';
import { escapeHtml } from '../views/html.js';
import { button, show } from '../views/screen.js';
import { backButton, keepButton, type DraftStep } from './draft-step.js';

import { DESCRIPTION_MAX, DESCRIPTION_MIN } from '../../requests/limits.js';

export { DESCRIPTION_MAX, DESCRIPTION_MIN } from '../../requests/limits.js';

/** What happened, where, since when: one text message of 10 to 2000 characters. */
export const descriptionStep: DraftStep = {
  name: 'description',
  handler: 'describe',
  back: 'catalogue',
  async ask(ctx, draft, notice) {
    const category = await ctx.deps.catalog.findCategory(draft.typeId, draft.sideId, draft.categoryId, ctx.lang);
    if (!category) return showExpired(ctx);
    const location = draft.location === undefined ? '' : `${ctx.t.locationLine(escapeHtml(draft.location))}\n`;
    // Shown again (Back, Edit, a new service): what was typed is there, and Keep keeps it.
    const soFar = draft.description === undefined ? '' : `\n\n${ctx.t.descriptionSoFar(escapeHtml(draft.description))}`;
    draft.screenMessageId = await show(ctx, {
      text: (notice === undefined ? '' : `${notice}\n\n`) + location + ctx.t.askDescription(escapeHtml(category.name)) + soFar,
      buttons: [
        ...(draft.description === undefined ? [] : [[keepButton(ctx, draft, descriptionStep)]]),
        [backButton(ctx, draft, descriptionStep), button(ctx.t.buttonCancel, { kind: 'cancel', draftId: draft.id })],
      ],
    });
  },
  hasInput: (draft) => draft.description !== undefined,
  async receive(ctx, draft) {
    const text = await descriptionOf(ctx);
    if (text === undefined) return 'retry';
    draft.description = text;
    // An edit of this message while the draft is open replaces the description.
    if (ctx.message) draft.descriptionMessageId = ctx.message.message_id;
    return 'done';
  },
};

/**
 * The message's text when it fits a description (10 to 2000 characters); otherwise undefined, after
 * telling the person what does not fit.
 */
export async function descriptionOf(ctx: BotContext): Promise<string | undefined> {
  const message = ctx.message as Message | undefined;
  return checkDescription(ctx, message && 'text' in message && typeof message.text === 'string' ? message.text : undefined);
}

/** A text (typed, or an edit of the description) when it fits a description; else the person is told why. */
export async function checkDescription(ctx: BotContext, raw: string | undefined): Promise<string | undefined> {
  const text = raw?.trim();
  if (text === undefined) {
    await ctx.reply(ctx.t.descriptionNeedsText);
    return undefined;
  }
  const length = [...text].length;
  if (length < DESCRIPTION_MIN) {
    await ctx.reply(ctx.t.descriptionTooShort(DESCRIPTION_MIN));
    return undefined;
  }
  if (length > DESCRIPTION_MAX) {
    await ctx.reply(ctx.t.descriptionTooLong(DESCRIPTION_MAX, length));
    return undefined;
  }
  return text;
}
