import type { KvCommand, KvResults, KvStore } from './kv-store.js';

/** A sorted set: member → score. */
class SortedSet extends Map<string, number> {}

interface Entry {
  value: string | Map<string, string> | SortedSet;
  expiresAt: number | undefined;
}

/**
 * A process-local stand-in for Redis, for the sandbox and for running without Upstash.
 * It is shared by nothing: two instances see two different stores.
 */
export function createMemoryKvStore(options: { now?: () => number } = {}): KvStore & { readonly size: () => number } {
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();

  function live(key: string): Entry | undefined {
    const entry = entries.get(key);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  }

  function sortedSet(key: string): SortedSet {
    const entry = live(key);
    if (entry && entry.value instanceof SortedSet) return entry.value;
    const set = new SortedSet();
    entries.set(key, { value: set, expiresAt: entry?.expiresAt });
    return set;
  }

  function hash(key: string): Map<string, string> {
    const entry = live(key);
    if (entry && entry.value instanceof Map && !(entry.value instanceof SortedSet)) return entry.value as Map<string, string>;
    const map = new Map<string, string>();
    entries.set(key, { value: map, expiresAt: entry?.expiresAt });
    return map;
  }

  function run(command: KvCommand): unknown {
    switch (command.op) {
      case 'get': {
        const value = live(command.key)?.value;
        return typeof value === 'string' ? value : null;
      }
      case 'getdel': {
        const value = live(command.key)?.value;
        entries.delete(command.key);
        return typeof value === 'string' ? value : null;
      }
      case 'set': {
        if (command.onlyIfAbsent && live(command.key)) return false;
        const expiresAt = command.ttlSeconds === undefined ? undefined : now() + command.ttlSeconds * 1000;
        entries.set(command.key, { value: command.value, expiresAt });
        return true;
      }
      case 'del':
        return entries.delete(command.key) ? 1 : 0;
      case 'incrby': {
        const entry = live(command.key);
        const next = Number(typeof entry?.value === 'string' ? entry.value : 0) + command.by;
        entries.set(command.key, { value: String(next), expiresAt: entry?.expiresAt });
        return next;
      }
      case 'hincrby': {
        const map = hash(command.key);
        const next = Number(map.get(command.field) ?? 0) + command.by;
        map.set(command.field, String(next));
        return next;
      }
      case 'hgetall': {
        const value = live(command.key)?.value;
        return value instanceof Map && !(value instanceof SortedSet) && value.size > 0 ? Object.fromEntries(value) : null;
      }
      case 'zadd': {
        const set = sortedSet(command.key);
        const added = !set.has(command.member);
        if (added || !command.onlyIfAbsent) set.set(command.member, command.score);
        return added ? 1 : 0;
      }
      case 'zrem': {
        const value = live(command.key)?.value;
        return value instanceof SortedSet && value.delete(command.member) ? 1 : 0;
      }
      case 'zrangebyscore': {
        const value = live(command.key)?.value;
        if (!(value instanceof SortedSet)) return [];
        return [...value.entries()]
          .filter(([, score]) => score <= command.max)
          .sort(([a, scoreA], [b, scoreB]) => scoreA - scoreB || (a < b ? -1 : a > b ? 1 : 0))
          .slice(0, command.count)
          .map(([member]) => member);
      }
      case 'expire': {
        const entry = live(command.key);
        if (!entry) return false;
        entry.expiresAt = now() + command.ttlSeconds * 1000;
        return true;
      }
    }
  }

  return {
    kind: 'memory',
    size: () => entries.size,
    async exec<const T extends readonly KvCommand[]>(commands: T): Promise<KvResults<T>> {
      if (commands.length === 0) return [] as unknown as KvResults<T>;
      return commands.map(run) as KvResults<T>;
    },
  };
}
