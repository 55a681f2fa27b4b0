import type { RequestDetails } from '../../backend/schemas.js';
import { textAt, type TextPlace } from '../../requests/request-texts.js';
import { splitMessage } from '../views/message-parts.js';
import type { BotContext } from '../context.js';
import { loadOwnedRequest } from '../requests/owned-request.js';
import { showExpired } from '../views/expired.js';
import { escapeHtml } from '../views/html.js';
import { acknowledge } from '../views/screen.js';

/**
 * "Read in full" under a page of the details: a text shortened there (the description, a long
 * comment or status comment) is sent whole, in order, as as many messages as it takes. The request
 * is loaded again (ownership, and the text as it is now), so a forged button sends nothing.
 */
export async function sendFullText(ctx: BotContext, requestId: string, place: TextPlace): Promise<void> {
  const loaded = await loadOwnedRequest(ctx, requestId);
  if (loaded.kind !== 'owned') {
    await acknowledge(ctx, loaded.kind === 'unavailable' ? ctx.t.requestsUnavailable : ctx.t.requestNotFound);
    return;
  }
  const text = textAt(loaded.details, place)?.trim();
  if (!text) return showExpired(ctx);
  await acknowledge(ctx);
  const head = ctx.t.fullTextOf(escapeHtml(loaded.details.number), escapeHtml(whatIs(ctx, loaded.details, place)));
  for (const part of splitMessage(head, text, '', { inline_keyboard: [] }, '\n')) {
    // eslint-disable-next-line serverless/await-in-loop -- the parts of one text must arrive in order (at most 3 for 12 KB)
    await ctx.reply(part.text, { parse_mode: 'HTML' });
  }
}

/** What the text is, as its button said: the description, the comment's author, or the status. */
function whatIs(ctx: BotContext, details: RequestDetails, place: TextPlace): string {
  if (place === 'd') return ctx.t.descriptionWord;
  const index = Number(place.slice(1));
  if (place.startsWith('c')) {
    const comment = details.comments[index];
    return comment?.author === 'customer' ? ctx.t.threadYou : (comment?.author_name ?? ctx.t.threadAgent);
  }
  const entry = details.status_history[index];
  return entry === undefined ? '' : ctx.t.status[entry.status];
}
