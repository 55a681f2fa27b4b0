import { BackendError } from '../../backend/backend-error.js';
import type { Catalog } from '../../catalog/catalog.js';
import { decodeStartPayload } from '../../deep-link/start-payload.js';
import { answer, failure, type AppAnswer, type AppCall, type MiniAppDeps } from '../deps.js';

/** One service of the catalogue with its place in it: what the page searches as the person types. */
export interface CatalogueEntry {
  readonly typeId: number;
  readonly sideId: number;
  readonly categoryId: number;
  readonly type: string;
  readonly side: string;
  readonly name: string;
  readonly description?: string;
}

const CATALOGUE_KEY = 'mini-app:catalogue';

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
      items = await deps.services.cache.getOrLoad(CATALOGUE_KEY, () => wholeCatalogue(deps.services.catalog), { ttlSeconds: deps.config.cache.catalogTtlSeconds });
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

/** Every service under every type and side, in the backend's order; the lists come from the cached catalogue. */
export async function wholeCatalogue(catalog: Catalog): Promise<CatalogueEntry[]> {
  const types = await catalog.requestTypes();
  const perType = await Promise.all(
    types.map(async (type) => {
      const sides = await catalog.sides(type.id);
      const perSide = await Promise.all(
        sides.map(async (side) =>
          (await catalog.categories(type.id, side.id)).map(
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
