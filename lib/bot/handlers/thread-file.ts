import { fileAt, type FilePlace } from '../../requests/request-files.js';
import type { BotContext } from '../context.js';
import { loadOwnedRequest } from '../requests/owned-request.js';
import { showExpired } from '../views/expired.js';
import { escapeHtml } from '../views/html.js';
import { acknowledge } from '../views/screen.js';

/**
 * A file button of the details (submitted, in a comment, with a reopening): the file is sent to the person, from Telegram by its id when the
 * person sent it, downloaded from the backend's URL when an agent attached it. The request is
 * loaded again (ownership, and the file's current place), so a forged button sends nothing.
 */
export async function sendThreadFile(ctx: BotContext, requestId: string, place: FilePlace, fileIndex: number): Promise<void> {
  const chatId = ctx.chat?.id;
  if (chatId === undefined) return;
  const loaded = await loadOwnedRequest(ctx, requestId);
  if (loaded.kind !== 'owned') {
    await acknowledge(ctx, loaded.kind === 'unavailable' ? ctx.t.requestsUnavailable : ctx.t.requestNotFound);
    return;
  }
  const file = fileAt(loaded.details, place, fileIndex);
  if (!file) return showExpired(ctx);
  await acknowledge(ctx);
  const result = await ctx.deps.sendAttachment(ctx.telegram, chatId, file);
  if (!result.delivered) {
    const name = 'url' in file ? file.file_name : (file.file_name ?? `${file.kind}`);
    ctx.log.warn({ request_id: requestId, reason: result.reason }, 'thread file not delivered');
    await ctx.reply(ctx.t.fileNotDelivered(escapeHtml(name)), { parse_mode: 'HTML' });
  }
}
