import { button, show } from '../views/screen.js';
import { removeFiles } from './attachments.js';
import { takeDraftFile } from './draft-files.js';
import { backButton, skipButton, type DraftStep } from './draft-step.js';

/**
 * Optional files: a photo or any other file (a voice message, a video, a document, ...), one message
 * or one album, the caption joining the description. The step's name stays `photo`: it is stored
 * in sessions and carried by buttons. More files can follow at the summary, up to 10 in all.
 */
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
    const taken = await takeDraftFile(ctx, draft);
    if (taken === 'taken') return 'done';
    if (taken === 'none') await ctx.reply(ctx.t.photoNeedsPhoto);
    return 'retry';
  },
  skip(draft) {
    removeFiles(draft);
  },
};
