import { beforeEach, describe, expect, test } from 'vitest';
import type { RequestType, ServiceCategory, Side } from '../../lib/backend/schemas.js';
import { createTwoTierCache } from '../../lib/cache/two-tier-cache.js';
import { catalogKeys, createCatalog, type CatalogSource } from '../../lib/catalog/catalog.js';
import { createLogger } from '../../lib/logger.js';
import { createMemoryKvStore } from '../../lib/store/memory-kv-store.js';

const TYPES: RequestType[] = [
  { id: 1, name: 'Repair' },
  { id: 2, name: 'Cleaning' },
];
const SIDES: Record<number, Side[]> = { 1: [{ id: 10, name: 'Individual' }], 2: [{ id: 20, name: 'Company' }] };
const CATEGORIES: Record<string, ServiceCategory[]> = {
  '1:10': [
    { id: 100, name: 'Plumbing', description: 'Pipes and taps' },
    { id: 101, name: 'Electrics', description: undefined },
  ],
};

/** English, the default, is not named in the call log. */
function inLanguage(options: { readonly language?: string } | undefined): string {
  return options?.language === undefined || options.language === 'en' ? '' : `@${options.language}`;
}

/** The backend's catalogue calls, counted: the network edge the catalogue hides. */
function fakeSource(): CatalogSource & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    listRequestTypes: async (options) => {
      calls.push(`types${inLanguage(options)}`);
      return options?.language === 'ru' ? TYPES.map((type) => ({ ...type, name: `${type.name} (ru)` })) : TYPES;
    },
    listSides: async (typeId, options) => {
      calls.push(`sides:${typeId}${inLanguage(options)}`);
      return SIDES[typeId] ?? [];
    },
    listServiceCategories: async (typeId, sideId, options) => {
      calls.push(`categories:${typeId}:${sideId}${inLanguage(options)}`);
      return CATEGORIES[`${typeId}:${sideId}`] ?? [];
    },
  };
}

describe('catalog', () => {
  let source: ReturnType<typeof fakeSource>;
  let store: ReturnType<typeof createMemoryKvStore>;

  function catalog() {
    const cache = createTwoTierCache({
      store,
      logger: createLogger({ level: 'silent' }),
      maxEntries: 100,
      defaultTtlSeconds: 300,
    });
    return createCatalog({ source, cache, ttlSeconds: 600 });
  }

  beforeEach(() => {
    source = fakeSource();
    store = createMemoryKvStore();
  });

  test('lists come from the backend once, then from the cache', async () => {
    const c = catalog();
    for (let i = 0; i < 5; i++) {
      expect(await c.requestTypes('en')).toEqual(TYPES);
      expect(await c.sides(1, 'en')).toEqual(SIDES[1]);
      expect(await c.categories(1, 10, 'en')).toEqual(CATEGORIES['1:10']);
    }
    expect(source.calls).toEqual(['types', 'sides:1', 'categories:1:10']);
    // A cold instance sharing the store asks the backend nothing.
    await catalog().categories(1, 10, 'en');
    expect(source.calls).toHaveLength(3);
  });

  test('keys in the seed style, under the cache prefix, with the catalogue TTL', async () => {
    await catalog().categories(1, 10, 'en');
    expect(catalogKeys.categories(1, 10, 'en')).toBe('service_categories:1:10:en');
    const [raw] = await store.exec([{ op: 'get', key: 'cache:service_categories:1:10:en' }]);
    const record = JSON.parse(raw ?? 'null') as { fresh_until: number; data: unknown };
    expect(record.data).toEqual([
      { id: 100, name: 'Plumbing', description: 'Pipes and taps' },
      { id: 101, name: 'Electrics' },
    ]);
    expect(record.fresh_until - Date.now()).toBeGreaterThan(590_000);
    expect(catalogKeys.requestTypes('ru')).toBe('catalog:request_types:ru');
    expect(catalogKeys.sides(1, 'ru')).toBe('catalog:sides:1:ru');
  });

  test('each language is asked for (Accept-Language) and cached on its own', async () => {
    const c = catalog();
    for (let i = 0; i < 3; i++) {
      expect((await c.requestTypes('ru'))[0]?.name).toBe('Repair (ru)');
      expect((await c.requestTypes('en'))[0]?.name).toBe('Repair');
    }
    expect(await c.findCategory(1, 10, 100, 'ru')).toMatchObject({ id: 100 });
    expect(source.calls).toEqual(['types@ru', 'types', 'sides:1@ru', 'categories:1:10@ru']);
  });

  test('find helpers answer known ids', async () => {
    const c = catalog();
    expect(await c.findRequestType(2, 'en')).toEqual({ id: 2, name: 'Cleaning' });
    expect(await c.findSide(1, 10, 'en')).toEqual({ id: 10, name: 'Individual' });
    expect(await c.findCategory(1, 10, 101, 'en')).toMatchObject({ id: 101, name: 'Electrics' });
  });

  test('unknown ids answer undefined without asking the backend about made-up parents', async () => {
    const c = catalog();
    expect(await c.findRequestType(99, 'en')).toBeUndefined();
    expect(await c.findSide(99, 10, 'en')).toBeUndefined();
    expect(await c.findSide(1, 20, 'en')).toBeUndefined();
    expect(await c.findCategory(1, 10, 999, 'en')).toBeUndefined();
    expect(await c.findCategory(2, 10, 100, 'en')).toBeUndefined();
    expect(source.calls).toEqual(['types', 'sides:1', 'categories:1:10', 'sides:2']);
  });

  test('ids that are not positive integers never reach the backend', async () => {
    const c = catalog();
    for (const bad of [Number.NaN, -1, 0, 1.5, Number.POSITIVE_INFINITY]) {
      expect(await c.findRequestType(bad, 'en')).toBeUndefined();
      expect(await c.findSide(1, bad, 'en')).toBeUndefined();
      expect(await c.findCategory(1, 10, bad, 'en')).toBeUndefined();
    }
    expect(source.calls).toEqual([]);
    await expect(c.sides(Number.NaN, 'en')).rejects.toThrow(RangeError);
    await expect(c.categories(1, -5, 'en')).rejects.toThrow('sideId must be a positive integer');
  });
});
