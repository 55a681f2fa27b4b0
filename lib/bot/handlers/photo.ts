import type { Message } from 'telegraf/types';
import type { BotContext } from '../context.js';
import { acknowledge, button, show } from '../views/screen.js';
import { askContact } from './contact.js';

export async function askPhoto(ctx: BotContext): Promise<void> {
  const draft = ctx.session.draft;
  if (!draft) return;
  draft.step = 'photo';
  draft.screenMessageId = await show(
    ctx,
    {
      text: ctx.t.askPhoto,
      buttons: [
        [button(ctx.t.buttonSkip, { kind: 'skip-photo', draftId: draft.id })],
        [button(ctx.t.buttonBack, { kind: 'edit', draftId: draft.id }), button(ctx.t.buttonCancel, { kind: 'cancel' })],
      ],
    },
    { newMessage: ctx.callbackQuery === undefined },
  );
}

/** A message while the optional photo is expected: the largest size of a photo is kept by file id. */
export async function receivePhoto(ctx: BotContext): Promise<void> {
  const draft = ctx.session.draft;
  if (!draft) return;
  const message = ctx.message as Message | undefined;
  const sizes = message && 'photo' in message ? message.photo : undefined;
  const largest = sizes?.at(-1);
  if (!largest) {
    await ctx.reply(ctx.t.photoNeedsPhoto);
    return;
  }
  draft.photoFileId = largest.file_id;
  await ctx.reply(ctx.t.photoAdded);
  await askContact(ctx);
}

export async function skipPhoto(ctx: BotContext): Promise<void> {
  await acknowledge(ctx);
  const draft = ctx.session.draft;
  if (!draft) return;
  delete draft.photoFileId;
  await askContact(ctx);
}
