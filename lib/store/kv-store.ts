/**
 * The small slice of Redis the product uses, always sent as one batch.
 *
 * Every call to `exec` is exactly one round trip (an Upstash `/pipeline` request), whatever
 * the number of commands, so the cost of a code path is visible where it is written.
 * Values are strings: callers serialize JSON themselves and choose what to store.
 */
export type KvCommand =
  | { readonly op: 'get'; readonly key: string }
  /** GETDEL: the value (or null), and the key is gone; read-and-clear in one command. */
  | { readonly op: 'getdel'; readonly key: string }
  | {
      readonly op: 'set';
      readonly key: string;
      readonly value: string;
      readonly ttlSeconds?: number;
      /** SET NX: only when the key does not exist yet. */
      readonly onlyIfAbsent?: boolean;
    }
  | { readonly op: 'del'; readonly key: string }
  | { readonly op: 'incrby'; readonly key: string; readonly by: number }
  | { readonly op: 'hincrby'; readonly key: string; readonly field: string; readonly by: number }
  | { readonly op: 'hgetall'; readonly key: string }
  | { readonly op: 'expire'; readonly key: string; readonly ttlSeconds: number }
  /** ZADD (NX with `onlyIfAbsent`): answers how many members were added. */
  | { readonly op: 'zadd'; readonly key: string; readonly score: number; readonly member: string; readonly onlyIfAbsent?: boolean }
  /** ZREM: answers 1 when this call removed the member, 0 when it was not there (so a claim is atomic). */
  | { readonly op: 'zrem'; readonly key: string; readonly member: string }
  /** ZRANGE BYSCORE -inf..max LIMIT 0 count: the members due by `max`, lowest score first. */
  | { readonly op: 'zrangebyscore'; readonly key: string; readonly max: number; readonly count: number };

type ResultOf<C extends KvCommand> = C extends { op: 'get' } | { op: 'getdel' }
  ? string | null
  : C extends { op: 'set' }
    ? boolean
    : C extends { op: 'hgetall' }
      ? Record<string, string> | null
      : C extends { op: 'expire' }
        ? boolean
        : C extends { op: 'zrangebyscore' }
          ? string[]
          : number;

export type KvResults<T extends readonly KvCommand[]> = { -readonly [K in keyof T]: ResultOf<T[K]> };

export interface KvStore {
  /** `upstash` or `memory`: shown in health checks and logs. */
  readonly kind: 'upstash' | 'memory';
  /** Runs the commands in order in one round trip. An empty batch costs nothing. */
  exec<const T extends readonly KvCommand[]>(commands: T): Promise<KvResults<T>>;
}

/** The store failed (network, auth, or a command error); `cause` holds the original. */
export class StoreError extends Error {
  override readonly name = 'StoreError';
}
