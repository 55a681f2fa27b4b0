import { decodeStartPayload } from '../../deep-link/start-payload.js';
import type { BotContext } from '../context.js';
import { startDraft } from '../draft/draft-flow.js';
import { mainMenu } from '../views/menus.js';
import { show } from '../views/screen.js';

/**
 * `/start <payload>`: a deep link (a QR poster) that names a service and maybe a location jumps
 * straight to the description step of a new request. A payload that is malformed, or names a
 * service the catalogue no longer has, opens the main menu with a short note.
 */
export async function startFromLink(ctx: BotContext, payload: string): Promise<void> {
  const link = decodeStartPayload(payload);
  const category = link && (await ctx.deps.catalog.findCategory(link.typeId, link.sideId, link.categoryId, ctx.lang));
  if (!link || !category) {
    ctx.log.info({ reason: link ? 'unknown-service' : 'malformed', length: payload.length }, 'deep link not followed');
    await show(ctx, mainMenu(ctx.t, ctx.lang, ctx.t.deepLinkInvalid), { newMessage: true });
    return;
  }
  ctx.log.info({ category_id: link.categoryId, location: link.location !== undefined }, 'deep link followed');
  await startDraft(ctx, link.typeId, link.sideId, link.categoryId, { location: link.location });
}

/** The text after `/start` (Telegram sends `/start <payload>` for `t.me/<bot>?start=<payload>`). */
export function startPayloadOf(ctx: BotContext): string {
  const text = ctx.message && 'text' in ctx.message ? ctx.message.text : '';
  return text.replace(/^\/start(@\w+)?/i, '').trim();
}
