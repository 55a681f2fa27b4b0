import type { KvCommand, KvResults, KvStore } from '../store/kv-store.js';
import { count } from './update-scope.js';

/**
 * Counts the store's round trips and commands into the running update's counters (the per-update
 * log line and the budget tests read them). The store itself knows nothing of metrics: the app
 * wraps whichever store it was given, so an injected store is counted like the configured one.
 */
export function countedKvStore<S extends KvStore>(store: S): S {
  return {
    ...store,
    exec<const T extends readonly KvCommand[]>(commands: T): Promise<KvResults<T>> {
      if (commands.length > 0) {
        count('redisRoundTrips');
        count('redisCommands', commands.length);
      }
      return store.exec(commands);
    },
  };
}
