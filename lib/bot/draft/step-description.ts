import type { Message } from 'telegraf/types';
import { showExpired } from '../views/expired.js';
import { escapeHtml } from '../views/html.js';
import { button, show } from '../views/screen.js';
import { backButton, type DraftStep } from './draft-step.js';

import { DESCRIPTION_MAX, DESCRIPTION_MIN } from '../../requests/limits.js';

export { DESCRIPTION_MAX, DESCRIPTION_MIN } from '../../requests/limits.js';

/** What happened, where, since when: one text message of 10 to 2000 characters. */
export const descriptionStep: DraftStep = {
  name: 'description',
  handler: 'describe',
  back: 'catalogue',
  async ask(ctx, draft) {
    const category = await ctx.deps.catalog.findCategory(draft.typeId, draft.sideId, draft.categoryId, ctx.lang);
    if (!category) return showExpired(ctx);
    const location = draft.location === undefined ? '' : `${ctx.t.locationLine(escapeHtml(draft.location))}\n`;
    draft.screenMessageId = await show(ctx, {
      text: location + ctx.t.askDescription(escapeHtml(category.name)),
      buttons: [
        [backButton(ctx, draft, descriptionStep), button(ctx.t.buttonCancel, { kind: 'cancel', draftId: draft.id })],
      ],
    });
  },
  async receive(ctx, draft) {
    const message = ctx.message as Message | undefined;
    const text = message && 'text' in message ? message.text.trim() : undefined;
    if (text === undefined) {
      await ctx.reply(ctx.t.descriptionNeedsText);
      return 'retry';
    }
    const length = [...text].length;
    if (length < DESCRIPTION_MIN) {
      await ctx.reply(ctx.t.descriptionTooShort(DESCRIPTION_MIN));
      return 'retry';
    }
    if (length > DESCRIPTION_MAX) {
      await ctx.reply(ctx.t.descriptionTooLong(DESCRIPTION_MAX, length));
      return 'retry';
    }
    draft.description = text;
    return 'done';
  },
};
