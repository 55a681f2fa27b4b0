import type { ReadOptions } from '../backend/backend-client.js';
import type { RequestType, ServiceCategory, Side } from '../backend/schemas.js';
import type { TwoTierCache } from '../cache/two-tier-cache.js';
import type { Lang } from '../i18n/index.js';

/**
 * The backend's catalogue calls. The catalogue is the ONLY module that may call them: every
 * read goes through the shared cache, so a warm navigation tap costs no backend request.
 */
export interface CatalogSource {
  listRequestTypes(options?: ReadOptions): Promise<RequestType[]>;
  listSides(requestTypeId: number, options?: ReadOptions): Promise<Side[]>;
  listServiceCategories(requestTypeId: number, sideId: number, options?: ReadOptions): Promise<ServiceCategory[]>;
}

export interface CatalogOptions {
  readonly source: CatalogSource;
  readonly cache: TwoTierCache;
  /** Freshness of catalogue entries (CATALOG_TTL_S, 600 s in the seed). */
  readonly ttlSeconds: number;
}

/**
 * Request types, sides and service categories in the person's language, cached in both tiers.
 * Each language is asked of the backend (`Accept-Language`) and cached on its own, so two people
 * on one instance each read their own; a backend that ignores the language answers the same lists.
 *
 * Lists are shared between callers: do not mutate them. The `find*` helpers are for
 * validating ids that come back in callback data: an unknown id answers `undefined`.
 */
export interface Catalog {
  requestTypes(lang: Lang): Promise<readonly RequestType[]>;
  sides(requestTypeId: number, lang: Lang): Promise<readonly Side[]>;
  categories(requestTypeId: number, sideId: number, lang: Lang): Promise<readonly ServiceCategory[]>;
  findRequestType(requestTypeId: number, lang: Lang): Promise<RequestType | undefined>;
  /** The side, only when the request type exists and offers it. */
  findSide(requestTypeId: number, sideId: number, lang: Lang): Promise<Side | undefined>;
  /** The category, only when the type exists, offers the side, and the side lists the category. */
  findCategory(requestTypeId: number, sideId: number, categoryId: number, lang: Lang): Promise<ServiceCategory | undefined>;
  /**
   * Every service with its type and side, in catalogue order, kept as one cache entry: a search of
   * the whole catalogue reads one key, not one per list (built from the lists' own entries).
   */
  services(lang: Lang): Promise<readonly CatalogService[]>;
}

/** A service category with the request type and side it is listed under. */
export interface CatalogService {
  readonly type: RequestType;
  readonly side: Side;
  readonly category: ServiceCategory;
}

/** Cache keys, in the seed's Redis style (`service_categories:{request_type_id}:{side_id}`), one per language. */
export const catalogKeys = {
  requestTypes: (lang: Lang): string => `catalog:request_types:${lang}`,
  sides: (requestTypeId: number, lang: Lang): string => `catalog:sides:${requestTypeId}:${lang}`,
  categories: (requestTypeId: number, sideId: number, lang: Lang): string => `service_categories:${requestTypeId}:${sideId}:${lang}`,
  services: (lang: Lang): string => `catalog:services:${lang}`,
};

export function createCatalog(options: CatalogOptions): Catalog {
  const { source, cache } = options;
  const cacheOptions = { ttlSeconds: options.ttlSeconds };

  const catalog: Catalog = {
    requestTypes: (lang) => cache.getOrLoad(catalogKeys.requestTypes(lang), () => source.listRequestTypes({ language: lang }), cacheOptions),

    async sides(requestTypeId, lang) {
      assertId(requestTypeId, 'requestTypeId');
      return cache.getOrLoad(catalogKeys.sides(requestTypeId, lang), () => source.listSides(requestTypeId, { language: lang }), cacheOptions);
    },

    async categories(requestTypeId, sideId, lang) {
      assertId(requestTypeId, 'requestTypeId');
      assertId(sideId, 'sideId');
      return cache.getOrLoad(
        catalogKeys.categories(requestTypeId, sideId, lang),
        () => source.listServiceCategories(requestTypeId, sideId, { language: lang }),
        cacheOptions,
      );
    },

    async findRequestType(requestTypeId, lang) {
      if (!isId(requestTypeId)) return undefined;
      return (await catalog.requestTypes(lang)).find((type) => type.id === requestTypeId);
    },

    // Each step checks its parent first, so ids made up in callback data never reach the
    // backend or create cache entries: only listed types and sides are ever looked up.
    async findSide(requestTypeId, sideId, lang) {
      if (!isId(sideId) || (await catalog.findRequestType(requestTypeId, lang)) === undefined) return undefined;
      return (await catalog.sides(requestTypeId, lang)).find((side) => side.id === sideId);
    },

    async findCategory(requestTypeId, sideId, categoryId, lang) {
      if (!isId(categoryId) || (await catalog.findSide(requestTypeId, sideId, lang)) === undefined) return undefined;
      return (await catalog.categories(requestTypeId, sideId, lang)).find((category) => category.id === categoryId);
    },

    services: (lang) =>
      cache.getOrLoad(
        catalogKeys.services(lang),
        async () => {
          const types = await catalog.requestTypes(lang);
          const lists = await Promise.all(
            types.map(async (type) => {
              const sides = await catalog.sides(type.id, lang);
              return Promise.all(sides.map(async (side) => ({ type, side, categories: await catalog.categories(type.id, side.id, lang) })));
            }),
          );
          return lists.flat().flatMap(({ type, side, categories }) => categories.map((category) => ({ type, side, category })));
        },
        cacheOptions,
      ),
  };
  return catalog;
}

function isId(value: number): boolean {
  return Number.isSafeInteger(value) && value > 0;
}

function assertId(value: number, name: string): void {
  if (!isId(value)) throw new RangeError(`${name} must be a positive integer, got ${String(value)}`);
}
