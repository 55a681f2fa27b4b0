import type { KvCommand, KvResults, KvStore } from './kv-store.js';

/**
 * Puts every key of a store under `namespace:` (see key-namespace.ts). Callers keep writing
 * `session:42`; Redis holds `tg123:session:42`. One wrapper, so no key can be forgotten.
 */
export function namespacedKvStore<S extends KvStore>(store: S, namespace: string): S {
  const prefix = `${namespace}:`;
  return {
    ...store,
    exec<const T extends readonly KvCommand[]>(commands: T): Promise<KvResults<T>> {
      return store.exec(commands.map((command) => ({ ...command, key: prefix + command.key })) as unknown as T);
    },
  };
}
