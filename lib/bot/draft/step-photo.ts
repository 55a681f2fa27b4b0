import type { Message } from 'telegraf/types';
import { button, show } from '../views/screen.js';
import { addPhoto, largestPhoto, removePhotos } from './attachments.js';
import { backButton, skipButton, type DraftStep } from './draft-step.js';

/** An optional photo, kept by the file id of its largest size. */
export const photoStep: DraftStep = {
  name: 'photo',
  handler: 'photo',
  back: 'previous',
  async ask(ctx, draft) {
    draft.screenMessageId = await show(
      ctx,
      {
        text: ctx.t.askPhoto,
        buttons: [
          [skipButton(ctx, draft, photoStep)],
          [backButton(ctx, draft, photoStep), button(ctx.t.buttonCancel, { kind: 'cancel', draftId: draft.id })],
        ],
      },
      { newMessage: ctx.callbackQuery === undefined },
    );
  },
  async receive(ctx, draft) {
    const largest = largestPhoto(ctx.message as Message | undefined);
    if (!largest) {
      await ctx.reply(ctx.t.photoNeedsPhoto);
      return 'retry';
    }
    addPhoto(draft, largest);
    await ctx.reply(ctx.t.photoAdded);
    return 'done';
  },
  skip(draft) {
    removePhotos(draft);
  },
};
