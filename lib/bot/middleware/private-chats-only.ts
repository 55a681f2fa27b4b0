import { langFromCode, messages } from '../../i18n/index.js';
import type { BotContext } from '../context.js';

/**
 * Service requests are personal: the bot talks in private chats only. In a group it answers a
 * command with a pointer to the private chat and ignores everything else (channel posts too),
 * before any store round trip is spent on it.
 */
export function privateChatsOnly() {
  return async (ctx: BotContext, next: () => Promise<void>) => {
    // Updates with no chat (inline queries, polls, buttons of inline messages) have no one to answer.
    if (ctx.chat?.type === 'private') return next();
    ctx.handler = 'ignored';
    const text = ctx.message && 'text' in ctx.message ? ctx.message.text : undefined;
    if (ctx.chat && typeof text === 'string' && text.startsWith('/')) {
      await ctx.reply(messages(langFromCode(ctx.from?.language_code)).privateOnly);
    }
  };
}
