import { catalogReadsIn, searchCatalog, searchWords, type CatalogHit, type SearchScope } from '../../catalog/catalog-search.js';
import type { CallbackAction } from '../callback-data.js';
import type { BotContext } from '../context.js';
import { startDraft } from '../draft/draft-flow.js';
import { recordOnScreen } from '../on-screen.js';
import { requestTypesScreen } from '../views/catalog-screens.js';
import { escapeHtml } from '../views/html.js';
import { button, show } from '../views/screen.js';
import { fallback } from './start.js';

/** As many hits as a list page shows. */
export const SHOWN_HITS = 8;
/** A query is shown back to the person up to this many characters. */
const QUERY_SHOWN = 60;

/** A message typed where no list is known is taken for a search up to this many words; a sentence is not one. */
export const MAX_UNASKED_SEARCH_WORDS = 4;

/**
 * Where the words came from, which decides what "nothing found" looks like: typed on a list (a
 * note under it, the list stays), after `/new` (the catalogue from its start), or typed where the
 * session knows of no list (the menu's fallback; a sentence is not searched at all).
 */
export type SearchFrom = 'list' | 'command' | 'anywhere';

/**
 * Words typed on a catalogue list, or after `/new`: the services whose names have them. One hit
 * opens its description step, several are offered as buttons (up to 8, with how many there are),
 * none is said. The hits' list is then what is on display, so the next words search it again.
 */
export async function searchServices(ctx: BotContext, query: string, scope: SearchScope, from: SearchFrom): Promise<void> {
  const { t, lang } = ctx;
  if (from === 'anywhere' && searchWords(query).length > MAX_UNASKED_SEARCH_WORDS) return fallback(ctx);
  const hits = await searchCatalog(catalogReadsIn(ctx.deps.catalog, lang), query, scope);
  ctx.log.info({ hits: hits.length, scope: scope.sideId !== undefined ? 'side' : scope.typeId !== undefined ? 'type' : 'catalogue' }, 'catalogue searched');
  const [only] = hits;
  if (only && hits.length === 1) return startDraft(ctx, only.type.id, only.side.id, only.category.id);
  const shownQuery = escapeHtml(shorten(query.trim(), QUERY_SHOWN));
  const where = await scopeName(ctx, scope);
  if (hits.length === 0) {
    if (from === 'anywhere') return fallback(ctx);
    if (from === 'list') {
      // The list stays on display (and in the session): a plain note, no new screen.
      await ctx.reply(t.searchNothing(shownQuery, where), { parse_mode: 'HTML' });
      return;
    }
    const types = await ctx.deps.catalog.requestTypes(lang);
    const catalogue = requestTypesScreen(t, lang, types);
    await show(ctx, { ...catalogue, text: `${t.searchNothing(shownQuery, '')}\n\n${catalogue.text}` }, { newMessage: true });
    recordOnScreen(ctx, { kind: 'list' });
    return;
  }
  const more = hits.length > SHOWN_HITS ? `\n${t.searchMore(SHOWN_HITS, hits.length)}` : '';
  await show(
    ctx,
    {
      text: t.searchResults(shownQuery, where) + more,
      buttons: [
        ...hits.slice(0, SHOWN_HITS).map((hit) => [button(hitLabel(hit, scope), { kind: 'pick', typeId: hit.type.id, sideId: hit.side.id, categoryId: hit.category.id })]),
        [button(t.buttonBack, listOf(scope, lang)), button(t.buttonCancel, { kind: 'cancel' })],
      ],
    },
    { newMessage: true },
  );
  recordOnScreen(ctx, { kind: 'list', ...scope });
}

/** A hit names what the scope does not: the service on a side's list, the side and service in a type, all three in the catalogue. */
function hitLabel(hit: CatalogHit, scope: SearchScope): string {
  if (scope.sideId !== undefined) return hit.category.name;
  if (scope.typeId !== undefined) return `${hit.side.name} · ${hit.category.name}`;
  return `${hit.type.name} · ${hit.side.name} · ${hit.category.name}`;
}

/** The list the scope stands for: Back on the hits returns to it. */
function listOf(scope: SearchScope, lang: BotContext['lang']): CallbackAction {
  if (scope.typeId !== undefined && scope.sideId !== undefined) return { kind: 'categories', lang, typeId: scope.typeId, sideId: scope.sideId, page: 0 };
  if (scope.typeId !== undefined) return { kind: 'sides', lang, typeId: scope.typeId };
  return { kind: 'types', lang };
}

/** "Repair · Individual", "Repair", or '' for the whole catalogue; escaped. */
async function scopeName(ctx: BotContext, scope: SearchScope): Promise<string> {
  const { catalog } = ctx.deps;
  if (scope.typeId === undefined) return '';
  const type = await catalog.findRequestType(scope.typeId, ctx.lang);
  if (!type) return '';
  const side = scope.sideId === undefined ? undefined : await catalog.findSide(scope.typeId, scope.sideId, ctx.lang);
  return escapeHtml(side ? `${type.name} · ${side.name}` : type.name);
}

function shorten(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
