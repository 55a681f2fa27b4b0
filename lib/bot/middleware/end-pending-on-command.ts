import type { BotContext } from '../context.js';
import { commandName } from '../on-screen.js';

/**
 * A command ends the question the bot asked (a reason, a comment, a location) and reply mode:
 * someone who typed /my or /new moved on, and their next message must not be taken as that answer.
 * `/cancel` ends them itself, so that it can say what it cancelled.
 */
export function endPendingOnCommand() {
  return async (ctx: BotContext, next: () => Promise<void>) => {
    const command = commandName(ctx);
    if (command !== undefined && command !== 'cancel') {
      if (ctx.session.pending !== undefined) delete ctx.session.pending;
      if (ctx.session.reply !== undefined) delete ctx.session.reply;
    }
    await next();
  };
}
