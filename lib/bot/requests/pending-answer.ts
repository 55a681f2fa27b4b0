import type { Message } from 'telegraf/types';
import { MAX_REASON_LENGTH, type RequestDetails } from '../../backend/schemas.js';
import type { BotContext } from '../context.js';
import { loadOwnedRequest, showNotOwned } from './owned-request.js';

/**
 * The text of a message that answers a question the bot asked (a reason, a rating's comment), or
 * undefined after telling the person what is wrong with it; the question then stays open.
 */
export async function reasonText(ctx: BotContext): Promise<string | undefined> {
  const message = ctx.message as Message | undefined;
  const text = message && 'text' in message ? message.text.trim() : undefined;
  if (!text) {
    await ctx.reply(ctx.t.reasonNeedsText);
    return undefined;
  }
  const length = [...text].length;
  if (length > MAX_REASON_LENGTH) {
    await ctx.reply(ctx.t.reasonTooLong(MAX_REASON_LENGTH, length));
    return undefined;
  }
  return text;
}

/**
 * The request a question was about, checked again (ownership may not be assumed from the session
 * either); when it is gone or not the person's, the question ends and the person is told.
 */
export async function requestOfAnswer(ctx: BotContext, requestId: string): Promise<RequestDetails | undefined> {
  const owned = await loadOwnedRequest(ctx, requestId);
  if (owned.kind === 'owned') return owned.details;
  delete ctx.session.pending;
  await showNotOwned(ctx, owned);
  return undefined;
}
