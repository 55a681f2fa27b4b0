import type { Message } from 'telegraf/types';
import type { Draft } from '../../session/session.js';
import type { BotContext } from '../context.js';
import { captionOf, messageFile } from '../files/message-file.js';
import { addFile, appendCaption, MAX_DRAFT_FILES } from './attachments.js';
import { SUMMARY_STEP } from './steps.js';
import { refreshSummary } from './summary.js';
import { tellFileTooBig } from '../files/file-refusals.js';

/**
 * A file of any kind sent to the draft (the attachment step, the summary): added with its caption
 * (a new line of the description), and "📎 File added" said. The first item of an album opens the
 * album on the draft: its next items (updates of their own) join it and update that one notice.
 * `none`: the message has no file; `refused`: too big, or the draft is full (the person was told).
 */
export async function takeDraftFile(ctx: BotContext, draft: Draft): Promise<'taken' | 'refused' | 'none'> {
  const message = ctx.message as Message | undefined;
  const found = messageFile(message);
  if (found === undefined) return 'none';
  if ('problem' in found) {
    await tellFileTooBig(ctx);
    return 'refused';
  }
  if (addFile(draft, found.file) === 'full') {
    await ctx.reply(ctx.t.filesFull(MAX_DRAFT_FILES));
    return 'refused';
  }
  appendCaption(draft, captionOf(message));
  const notice = await ctx.reply(found.file.kind === 'photo' ? ctx.t.photoAdded : ctx.t.filesAdded(1));
  const groupId = message && 'media_group_id' in message ? message.media_group_id : undefined;
  if (groupId === undefined) delete draft.album;
  else draft.album = { groupId, count: 1, messageId: notice.message_id };
  return 'taken';
}

/** Whether this message is the next item of the album the draft is taking. */
export function isDraftAlbumItem(draft: Draft | undefined, message: Message | undefined): boolean {
  const groupId = message && 'media_group_id' in message ? message.media_group_id : undefined;
  return groupId !== undefined && draft?.album?.groupId === groupId && !draft.attempted;
}

/**
 * The next item of an album the draft is taking: it joins the draft wherever the draft went after
 * the first item (the album is one answer), the notice counts it, and a summary on display shows it.
 */
export async function takeAlbumItem(ctx: BotContext, draft: Draft): Promise<void> {
  const album = draft.album;
  const message = ctx.message as Message | undefined;
  const found = messageFile(message);
  if (!album || found === undefined) return;
  if ('problem' in found) return tellFileTooBig(ctx);
  if (addFile(draft, found.file) === 'full') {
    await ctx.reply(ctx.t.filesFull(MAX_DRAFT_FILES));
    return;
  }
  appendCaption(draft, captionOf(message));
  album.count += 1;
  if (ctx.chat) {
    await ctx.telegram.editMessageText(ctx.chat.id, album.messageId, undefined, ctx.t.filesAdded(album.count)).catch((error: unknown) => {
      ctx.log.debug({ err: error }, 'album notice not updated');
    });
  }
  if (draft.step === SUMMARY_STEP) await refreshSummary(ctx);
}
