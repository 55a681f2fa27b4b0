import type { Lang } from '../i18n/index.js';
import type { Catalog, CatalogService } from './catalog.js';

/**
 * The catalogue reads a search needs, in one language. Every read goes through the catalogue's
 * cache, so a warm search makes no backend call.
 */
export interface CatalogReads {
  categories(requestTypeId: number, sideId: number): Promise<readonly CatalogService['category'][]>;
  findRequestType(requestTypeId: number): Promise<CatalogService['type'] | undefined>;
  findSide(requestTypeId: number, sideId: number): Promise<CatalogService['side'] | undefined>;
  /** Every service with its type and side (one cache entry). */
  services(): Promise<readonly CatalogService[]>;
}

/** The catalogue's reads in one language. */
export function catalogReadsIn(catalog: Catalog, lang: Lang): CatalogReads {
  return {
    categories: (typeId, sideId) => catalog.categories(typeId, sideId, lang),
    findRequestType: (typeId) => catalog.findRequestType(typeId, lang),
    findSide: (typeId, sideId) => catalog.findSide(typeId, sideId, lang),
    services: () => catalog.services(lang),
  };
}

/** Where to look: the whole catalogue, one request type (all its sides), or one side of a type. */
export interface SearchScope {
  readonly typeId?: number;
  readonly sideId?: number;
}

/** A service that matched, with the type and side it is listed under. */
export type CatalogHit = CatalogService;

/**
 * Services whose name has every word of the query at the start of one of its words, in catalogue
 * order: `plumb` finds "Plumbing", `air cond` "Air conditioning", `счетчик` "Замена счётчика".
 * Matching at word starts (not anywhere inside) keeps a short word from finding unrelated services.
 * A query with no word of two characters or more finds nothing.
 *
 * One side's list is read as the list on display shows it; a wider scope reads the catalogue's
 * index of every service (one cache entry).
 */
export async function searchCatalog(reads: CatalogReads, query: string, scope: SearchScope = {}): Promise<CatalogHit[]> {
  const words = searchWords(query);
  if (words.length === 0) return [];
  const services = await servicesIn(reads, scope);
  return services.filter(({ category }) => {
    const nameWords = searchWords(category.name);
    return words.every((word) => nameWords.some((nameWord) => nameWord.startsWith(word)));
  });
}

async function servicesIn(reads: CatalogReads, scope: SearchScope): Promise<readonly CatalogService[]> {
  const { typeId, sideId } = scope;
  if (typeId !== undefined && sideId !== undefined) {
    const [type, side] = await Promise.all([reads.findRequestType(typeId), reads.findSide(typeId, sideId)]);
    if (!type || !side) return [];
    return (await reads.categories(typeId, sideId)).map((category) => ({ type, side, category }));
  }
  const all = await reads.services();
  return typeId === undefined ? all : all.filter((service) => service.type.id === typeId);
}

/** Text as search compares it: Unicode-normalised, lower case, ё as е (Russian writes either). */
export function normalizeForSearch(text: string): string {
  return text.normalize('NFKC').toLocaleLowerCase().replace(/ё/g, 'е');
}

/** The words of a text for search: letters and digits, at least two characters each. */
export function searchWords(text: string): string[] {
  return normalizeForSearch(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length >= 2);
}
