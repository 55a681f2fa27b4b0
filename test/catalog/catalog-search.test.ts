import { describe, expect, test } from 'vitest';
import type { RequestType, ServiceCategory, Side } from '../../lib/backend/schemas.js';
import { createTwoTierCache } from '../../lib/cache/two-tier-cache.js';
import { createCatalog, type CatalogSource } from '../../lib/catalog/catalog.js';
import { catalogReadsIn, normalizeForSearch, searchCatalog, searchWords } from '../../lib/catalog/catalog-search.js';
import { createLogger } from '../../lib/logger.js';
import { createMemoryKvStore } from '../../lib/store/memory-kv-store.js';

const TYPES: RequestType[] = [
  { id: 1, name: 'Repair' },
  { id: 2, name: 'Ремонт' },
];
const SIDES: Record<number, Side[]> = { 1: [{ id: 10, name: 'Home' }, { id: 20, name: 'Office' }], 2: [{ id: 30, name: 'Квартира' }] };
const CATEGORIES: Record<string, ServiceCategory[]> = {
  '1:10': [{ id: 100, name: 'Plumbing' }, { id: 101, name: 'Air conditioning' }, { id: 102, name: 'Lift B' }],
  '1:20': [{ id: 103, name: 'Plumbing' }],
  '2:30': [{ id: 104, name: 'Замена счётчика' }, { id: 105, name: 'Ёлочные гирлянды' }],
};

/** The backend's catalogue calls (the network edge), counted, behind the real catalogue and cache. */
function catalogue() {
  let calls = 0;
  const source: CatalogSource = {
    listRequestTypes: async () => (calls++, TYPES),
    listSides: async (typeId) => (calls++, SIDES[typeId] ?? []),
    listServiceCategories: async (typeId, sideId) => (calls++, CATEGORIES[`${typeId}:${sideId}`] ?? []),
  };
  const cache = createTwoTierCache({ store: createMemoryKvStore(), logger: createLogger({ level: 'silent' }), maxEntries: 100, defaultTtlSeconds: 300 });
  const reads = catalogReadsIn(createCatalog({ source, cache, ttlSeconds: 600 }), 'en');
  return { reads, calls: () => calls };
}

describe('searchCatalog', () => {
  const { reads, calls } = catalogue();
  const names = async (query: string, scope = {}) => (await searchCatalog(reads, query, scope)).map((hit) => `${hit.side.id}:${hit.category.name}`);

  test('every word at the start of a word of the name, in catalogue order', async () => {
    expect(await names('plumb')).toEqual(['10:Plumbing', '20:Plumbing']);
    expect(await names('air cond')).toEqual(['10:Air conditioning']);
    expect(await names('conditioning air')).toEqual(['10:Air conditioning']);
    expect(await names('umbing')).toEqual([]);
  });

  test('the scope narrows to a type or to one of its sides', async () => {
    expect(await names('plumbing', { typeId: 1, sideId: 20 })).toEqual(['20:Plumbing']);
    expect(await names('plumbing', { typeId: 2 })).toEqual([]);
    expect(await names('plumbing', { typeId: 99 })).toEqual([]);
    expect(await names('plumbing', { typeId: 1, sideId: 30 })).toEqual([]);
  });

  test('case, ё and е, Cyrillic and Latin', async () => {
    expect(await names('СЧЕТЧИК')).toEqual(['30:Замена счётчика']);
    expect(await names('елочные')).toEqual(['30:Ёлочные гирлянды']);
    expect(await names('PLUMBING', { typeId: 1, sideId: 10 })).toEqual(['10:Plumbing']);
  });

  test('one-letter words are no query', async () => {
    expect(await names('a')).toEqual([]);
    expect(await names('lift b')).toEqual(['10:Lift B']);
    expect(searchWords('  Ёж, и ёлка! ')).toEqual(['еж', 'елка']);
    expect(normalizeForSearch('ＰＬＵＭＢ')).toBe('plumb');
  });

  test('a warm search asks the backend nothing', async () => {
    const before = calls();
    await names('plumb');
    await names('счетчик', { typeId: 2 });
    await names('lift', { typeId: 1, sideId: 10 });
    expect(calls()).toBe(before);
  });
});
