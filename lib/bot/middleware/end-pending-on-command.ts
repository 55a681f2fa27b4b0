import type { BotContext } from '../context.js';

/**
 * A command ends the question the bot asked (a reason, a comment, a location) and reply mode:
 * someone who typed /my or /new moved on, and their next message must not be taken as that answer.
 */
export function endPendingOnCommand() {
  return async (ctx: BotContext, next: () => Promise<void>) => {
    const message = ctx.message;
    const command = message && 'entities' in message && message.entities?.some((entity) => entity.type === 'bot_command' && entity.offset === 0);
    if (command) {
      if (ctx.session.pending !== undefined) delete ctx.session.pending;
      if (ctx.session.reply !== undefined) delete ctx.session.reply;
    }
    await next();
  };
}
