import { langFromCode, messages } from '../../i18n/index.js';
import type { BotContext } from '../context.js';

/**
 * Service requests are personal: the bot talks in private chats only. In a group it answers a
 * command with a pointer to the private chat and ignores everything else (channel posts too),
 * before any store round trip is spent on it.
 */
export function privateChatsOnly() {
  return async (ctx: BotContext, next: () => Promise<void>) => {
    if (ctx.chat?.type === 'private' || (ctx.callbackQuery && !ctx.chat)) return next();
    ctx.handler = 'ignored';
    const text = ctx.message && 'text' in ctx.message ? ctx.message.text : undefined;
    if (ctx.chat && text?.startsWith('/')) {
      await ctx.reply(messages(langFromCode(ctx.from?.language_code)).privateOnly);
    }
  };
}
