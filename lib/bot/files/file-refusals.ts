import type { Message } from 'telegraf/types';
import { MAX_BOT_DOWNLOAD_BYTES } from '../../files/telegram-limits.js';
import type { BotContext } from '../context.js';

/** A file over the 20 MB a bot may download: said at once, never accepted and lost at the backend. */
export async function tellFileTooBig(ctx: BotContext): Promise<void> {
  await ctx.reply(ctx.t.commentFileTooBig(MAX_BOT_DOWNLOAD_BYTES / 1024 / 1024));
}

/**
 * What no step can take: a sticker, a poll, a die or game, someone else's contact card. The contact
 * step answers a contact itself (it asks for the person's own number), so it is not counted here.
 */
export function isUnfileable(message: Message | undefined, atContactStep: boolean): boolean {
  if (!message) return false;
  if ('sticker' in message || 'poll' in message || 'dice' in message || 'game' in message) return true;
  return 'contact' in message && !atContactStep && message.contact.user_id !== message.from?.id;
}

/** One friendly line saying what can be sent. */
export async function tellCannotTake(ctx: BotContext): Promise<void> {
  await ctx.reply(ctx.t.cannotTakeThat);
}
