import { BackendError } from '../../backend/backend-error.js';
import type { Catalog } from '../../catalog/catalog.js';
import { decodeStartPayload } from '../../deep-link/start-payload.js';
import { LANGS, type Lang } from '../../i18n/index.js';
import { answer, failure, type AppAnswer, type AppCall, type MiniAppDeps } from '../deps.js';

/** One service of the catalogue with its place in it: what the page searches as the person types. */
export interface CatalogueEntry {
  readonly typeId: number;
  readonly sideId: number;
  readonly categoryId: number;
  /** Names in the person's language, as the backend gives them (Accept-Language). */
  readonly type: string;
  readonly side: string;
  readonly name: string;
  readonly description?: string;
  /** The same service's names in the other languages: a word typed in either language finds it. */
  readonly also?: string;
}

const catalogueKey = (lang: Lang) => `mini-app:catalogue:${lang}`;

/**
 * `GET /api/app/catalog`: the whole catalogue as one list (every type, side and service), so the page
 * searches it as the person types without asking again; cached whole in both tiers for the
 * catalogue's TTL. With a `startapp` payload in the signed launch data, `start` names the service
 * (and the location) a QR poster opens the new request at.
 */
export function createCatalogue(deps: Pick<MiniAppDeps, 'services' | 'config'>) {
  return async (call: AppCall): Promise<AppAnswer> => {
    let items: readonly CatalogueEntry[];
    try {
      const ttlSeconds = deps.config.cache.catalogTtlSeconds;
      // Every language at once: one search box finds a service by its name in either.
      const perLanguage = await Promise.all(
        LANGS.map(async (lang) => [lang, await deps.services.cache.getOrLoad(catalogueKey(lang), () => wholeCatalogue(deps.services.catalog, lang), { ttlSeconds })] as const),
      );
      items = inBothLanguages(call.lang, perLanguage);
    } catch (error) {
      if (!(error instanceof BackendError)) throw error;
      call.log.error({ err: error }, 'loading the catalogue failed');
      return failure(503, 'backend_unavailable', 'the catalogue cannot be loaded right now, retry later');
    }
    const link = call.initData.startParam === undefined ? undefined : decodeStartPayload(call.initData.startParam);
    const service = link && items.find((item) => item.typeId === link.typeId && item.sideId === link.sideId && item.categoryId === link.categoryId);
    if (call.initData.startParam !== undefined) {
      call.log.info({ reason: service ? 'followed' : link ? 'unknown-service' : 'malformed' }, 'startapp link');
    }
    const start = service && link ? { typeId: link.typeId, sideId: link.sideId, categoryId: link.categoryId, ...(link.location !== undefined && { location: link.location }) } : undefined;
    return answer(200, { items, ...(start && { start }) });
  };
}

/** The person's language first; each entry carries the other languages' words for the search. */
function inBothLanguages(lang: Lang, perLanguage: readonly (readonly [Lang, readonly CatalogueEntry[]])[]): CatalogueEntry[] {
  const own = perLanguage.find(([candidate]) => candidate === lang)?.[1] ?? [];
  const others = perLanguage.filter(([candidate]) => candidate !== lang).map(([, entries]) => new Map(entries.map((entry) => [idOf(entry), entry])));
  return own.map((entry) => {
    const words = others
      .map((entries) => entries.get(idOf(entry)))
      .filter((other): other is CatalogueEntry => other !== undefined)
      .map((other) => [other.name, other.type, other.side, other.description ?? ''].join(' '))
      .join(' ')
      .trim();
    return words === '' ? entry : { ...entry, also: words };
  });
}

function idOf(entry: CatalogueEntry): string {
  return `${entry.typeId}-${entry.sideId}-${entry.categoryId}`;
}

/** Every service under every type and side, in the backend's order; the lists come from the cached catalogue. */
export async function wholeCatalogue(catalog: Catalog, lang: Lang): Promise<CatalogueEntry[]> {
  const types = await catalog.requestTypes(lang);
  const perType = await Promise.all(
    types.map(async (type) => {
      const sides = await catalog.sides(type.id, lang);
      const perSide = await Promise.all(
        sides.map(async (side) =>
          (await catalog.categories(type.id, side.id, lang)).map(
            (category): CatalogueEntry => ({
              typeId: type.id,
              sideId: side.id,
              categoryId: category.id,
              type: type.name,
              side: side.name,
              name: category.name,
              ...(category.description !== undefined && { description: category.description }),
            }),
          ),
        ),
      );
      return perSide.flat();
    }),
  );
  return perType.flat();
}
