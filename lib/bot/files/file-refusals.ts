import { MAX_BOT_DOWNLOAD_BYTES } from '../../files/telegram-limits.js';
import type { BotContext } from '../context.js';

/** A file over the 20 MB a bot may download: said at once, never accepted and lost at the backend. */
export async function tellFileTooBig(ctx: BotContext): Promise<void> {
  await ctx.reply(ctx.t.commentFileTooBig(MAX_BOT_DOWNLOAD_BYTES / 1024 / 1024));
}
