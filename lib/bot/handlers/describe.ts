import { randomBytes } from 'node:crypto';
import type { Message } from 'telegraf/types';
import type { BotContext } from '../context.js';
import { escapeHtml } from '../views/html.js';
import { acknowledge, button, show } from '../views/screen.js';
import { showSummary } from './confirm.js';
import { askPhoto } from './photo.js';
import { showExpired } from './new-request.js';

export const DESCRIPTION_MIN = 10;
export const DESCRIPTION_MAX = 2000;

/** The person picked a service category: a new draft starts and the description is asked for. */
export async function startDraft(ctx: BotContext, typeId: number, sideId: number, categoryId: number): Promise<void> {
  await acknowledge(ctx);
  const category = await ctx.deps.catalog.findCategory(typeId, sideId, categoryId);
  if (!category) return showExpired(ctx);
  ctx.session.draft = { id: randomBytes(9).toString('base64url'), step: 'description', typeId, sideId, categoryId };
  await askDescription(ctx, category.name);
}

export async function askDescription(ctx: BotContext, categoryName: string): Promise<void> {
  const draft = ctx.session.draft;
  if (!draft) return;
  draft.step = 'description';
  draft.screenMessageId = await show(ctx, {
    text: ctx.t.askDescription(escapeHtml(categoryName)),
    buttons: [
      [
        button(ctx.t.buttonBack, { kind: 'categories', lang: ctx.lang, typeId: draft.typeId, sideId: draft.sideId, page: 0 }),
        button(ctx.t.buttonCancel, { kind: 'cancel' }),
      ],
    ],
  });
}

/** A message while the description is expected: text of the right length, anything else is corrected. */
export async function receiveDescription(ctx: BotContext): Promise<void> {
  const draft = ctx.session.draft;
  if (!draft) return;
  const message = ctx.message as Message | undefined;
  const text = message && 'text' in message ? message.text.trim() : undefined;
  if (text === undefined) {
    await ctx.reply(ctx.t.descriptionNeedsText);
    return;
  }
  const length = [...text].length;
  if (length < DESCRIPTION_MIN) {
    await ctx.reply(ctx.t.descriptionTooShort(DESCRIPTION_MIN));
    return;
  }
  if (length > DESCRIPTION_MAX) {
    await ctx.reply(ctx.t.descriptionTooLong(DESCRIPTION_MAX, length));
    return;
  }
  draft.description = text;
  // After Edit, the photo and phone given before stay: back to the summary.
  if (draft.reviewed) return showSummary(ctx, { newMessage: true });
  await askPhoto(ctx);
}
