import type { RequestType, ServiceCategory, Side } from '../backend/schemas.js';
import type { TwoTierCache } from '../cache/two-tier-cache.js';

/**
 * The backend's catalogue calls. The catalogue is the ONLY module that may call them: every
 * read goes through the shared cache, so a warm navigation tap costs no backend request.
 */
export interface CatalogSource {
  listRequestTypes(): Promise<RequestType[]>;
  listSides(requestTypeId: number): Promise<Side[]>;
  listServiceCategories(requestTypeId: number, sideId: number): Promise<ServiceCategory[]>;
}

export interface CatalogOptions {
  readonly source: CatalogSource;
  readonly cache: TwoTierCache;
  /** Freshness of catalogue entries (CATALOG_TTL_S, 600 s in the seed). */
  readonly ttlSeconds: number;
}

/**
 * Request types, sides and service categories, cached in both tiers.
 *
 * Lists are shared between callers: do not mutate them. The `find*` helpers are for
 * validating ids that come back in callback data: an unknown id answers `undefined`.
 */
export interface Catalog {
  requestTypes(): Promise<readonly RequestType[]>;
  sides(requestTypeId: number): Promise<readonly Side[]>;
  categories(requestTypeId: number, sideId: number): Promise<readonly ServiceCategory[]>;
  findRequestType(requestTypeId: number): Promise<RequestType | undefined>;
  /** The side, only when the request type exists and offers it. */
  findSide(requestTypeId: number, sideId: number): Promise<Side | undefined>;
  /** The category, only when the type exists, offers the side, and the side lists the category. */
  findCategory(requestTypeId: number, sideId: number, categoryId: number): Promise<ServiceCategory | undefined>;
}

/** Cache keys, in the seed's Redis style (`service_categories:{request_type_id}:{side_id}`). */
export const catalogKeys = {
  requestTypes: (): string => 'catalog:request_types',
  sides: (requestTypeId: number): string => `catalog:sides:${requestTypeId}`,
  categories: (requestTypeId: number, sideId: number): string => `service_categories:${requestTypeId}:${sideId}`,
};

export function createCatalog(options: CatalogOptions): Catalog {
  const { source, cache } = options;
  const cacheOptions = { ttlSeconds: options.ttlSeconds };

  const catalog: Catalog = {
    requestTypes: () => cache.getOrLoad(catalogKeys.requestTypes(), () => source.listRequestTypes(), cacheOptions),

    async sides(requestTypeId) {
      assertId(requestTypeId, 'requestTypeId');
      return cache.getOrLoad(catalogKeys.sides(requestTypeId), () => source.listSides(requestTypeId), cacheOptions);
    },

    async categories(requestTypeId, sideId) {
      assertId(requestTypeId, 'requestTypeId');
      assertId(sideId, 'sideId');
      return cache.getOrLoad(
        catalogKeys.categories(requestTypeId, sideId),
        () => source.listServiceCategories(requestTypeId, sideId),
        cacheOptions,
      );
    },

    async findRequestType(requestTypeId) {
      if (!isId(requestTypeId)) return undefined;
      return (await catalog.requestTypes()).find((type) => type.id === requestTypeId);
    },

    // Each step checks its parent first, so ids made up in callback data never reach the
    // backend or create cache entries: only listed types and sides are ever looked up.
    async findSide(requestTypeId, sideId) {
      if (!isId(sideId) || (await catalog.findRequestType(requestTypeId)) === undefined) return undefined;
      return (await catalog.sides(requestTypeId)).find((side) => side.id === sideId);
    },

    async findCategory(requestTypeId, sideId, categoryId) {
      if (!isId(categoryId) || (await catalog.findSide(requestTypeId, sideId)) === undefined) return undefined;
      return (await catalog.categories(requestTypeId, sideId)).find((category) => category.id === categoryId);
    },
  };
  return catalog;
}

function isId(value: number): boolean {
  return Number.isSafeInteger(value) && value > 0;
}

function assertId(value: number, name: string): void {
  if (!isId(value)) throw new RangeError(`${name} must be a positive integer, got ${String(value)}`);
}
