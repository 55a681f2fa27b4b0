import type { Message } from 'telegraf/types';
import { MAX_VENUE_TEXT_LENGTH, type Geo } from '../../backend/schemas.js';
import type { Draft } from '../../session/session.js';
import type { BotContext } from '../context.js';
import { escapeHtml } from '../views/html.js';
import { SUMMARY_STEP } from './steps.js';
import { refreshSummary } from './summary.js';

/** The point (and venue) of a location message; a live location's first position counts. */
export function geoOf(message: Message | undefined): Geo | undefined {
  if (!message) return undefined;
  if ('venue' in message) {
    const { venue } = message;
    return { ...point(venue.location), ...named('title', venue.title), ...named('address', venue.address) };
  }
  if ('location' in message) return point(message.location);
  return undefined;
}

/** How a place reads: the venue's title and address, else its coordinates. */
export function placeName(geo: Geo): string {
  const words = [geo.title, geo.address].filter((part): part is string => part !== undefined);
  return words.length > 0 ? words.join(', ') : `${geo.latitude}, ${geo.longitude}`;
}

/**
 * A shared point or venue while the draft is on display: it becomes the draft's `geo` (a later
 * one replaces it), beside a deep link's text location, whatever step the draft is at; the step
 * stays, and a summary on display shows it in place.
 */
export async function takeGeo(ctx: BotContext, draft: Draft, geo: Geo): Promise<void> {
  if (draft.attempted) {
    await ctx.reply(ctx.t.draftFrozen);
    return;
  }
  draft.geo = geo;
  await ctx.reply(ctx.t.geoAdded(escapeHtml(placeName(geo))), { parse_mode: 'HTML' });
  if (draft.step === SUMMARY_STEP) await refreshSummary(ctx);
}

function point(location: { readonly latitude: number; readonly longitude: number }): Geo {
  return { latitude: location.latitude, longitude: location.longitude };
}

function named(key: 'title' | 'address', text: string | undefined): Partial<Geo> {
  const trimmed = text?.trim();
  return trimmed ? { [key]: [...trimmed].slice(0, MAX_VENUE_TEXT_LENGTH).join('') } : {};
}
