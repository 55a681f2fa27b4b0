import type { TwoTierCache, TwoTierCacheStats } from '../../lib/cache/two-tier-cache.js';
import { count } from '../../lib/metrics/update-scope.js';

/**
 * The seed's "before" had no cache: every lookup goes to the source. Same interface as the
 * product's two-tier cache, so the app runs unchanged around it.
 */
export function createNoCache(): TwoTierCache {
  let loads = 0;
  return {
    async getOrLoad<T>(_key: string, load: () => Promise<T>): Promise<T> {
      loads += 1;
      count('cacheMisses');
      return load();
    },
    async clear(): Promise<void> {},
    stats(): TwoTierCacheStats {
      return { l1Hits: 0, l2Hits: 0, misses: loads, staleServed: 0, loads, hitRatio: 0, entries: 0, maxEntries: 0, version: undefined };
    },
  };
}
