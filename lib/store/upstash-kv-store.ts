import { Redis } from '@upstash/redis';
import { StoreError, type KvCommand, type KvResults, type KvStore } from './kv-store.js';

export interface UpstashKvStoreOptions {
  readonly url: string;
  readonly token: string;
  /** Abort a round trip after this long: a slow Redis must not hold an update hostage. */
  readonly timeoutMs?: number;
  /** Retries of a failed round trip (network errors only). */
  readonly retries?: number;
  /** After a failure, fail fast for this long instead of waiting on every update for a dead store. */
  readonly breakerMs?: number;
  readonly now?: () => number;
}

/** Upstash Redis over REST: every `exec` is one `/pipeline` request. */
export function createUpstashKvStore(options: UpstashKvStoreOptions): KvStore & { readonly redis: Redis } {
  const timeoutMs = options.timeoutMs ?? 1000;
  const breakerMs = options.breakerMs ?? 5000;
  const now = options.now ?? Date.now;
  let openUntil = 0;
  const redis = new Redis({
    url: options.url,
    token: options.token,
    // Batching is explicit (one exec = one round trip) so costs stay visible and countable.
    enableAutoPipelining: false,
    // Callers own serialization; strings in, strings out.
    automaticDeserialization: false,
    retry: { retries: options.retries ?? 1, backoff: (attempt) => 25 * 2 ** attempt },
    signal: () => AbortSignal.timeout(timeoutMs),
  });

  return {
    kind: 'upstash',
    redis,
    async exec<const T extends readonly KvCommand[]>(commands: T): Promise<KvResults<T>> {
      if (commands.length === 0) return [] as unknown as KvResults<T>;
      if (now() < openUntil) throw new StoreError('Upstash Redis skipped: it failed moments ago (circuit open)');
      const pipeline = redis.pipeline();
      for (const command of commands) addCommand(pipeline, command);
      let raw: unknown[];
      try {
        raw = await pipeline.exec();
      } catch (error) {
        openUntil = now() + breakerMs;
        throw new StoreError(`Upstash Redis pipeline of ${commands.length} command(s) failed: ${describe(error)}`, {
          cause: error,
        });
      }
      return commands.map((command, i) => normalize(command, raw[i])) as KvResults<T>;
    },
  };
}

type Pipeline = ReturnType<Redis['pipeline']>;

function addCommand(pipeline: Pipeline, command: KvCommand): void {
  switch (command.op) {
    case 'get':
      pipeline.get(command.key);
      return;
    case 'getdel':
      pipeline.getdel(command.key);
      return;
    case 'set':
      if (command.ttlSeconds !== undefined && command.onlyIfAbsent) {
        pipeline.set(command.key, command.value, { ex: command.ttlSeconds, nx: true });
      } else if (command.ttlSeconds !== undefined) {
        pipeline.set(command.key, command.value, { ex: command.ttlSeconds });
      } else if (command.onlyIfAbsent) {
        pipeline.set(command.key, command.value, { nx: true });
      } else {
        pipeline.set(command.key, command.value);
      }
      return;
    case 'del':
      pipeline.del(command.key);
      return;
    case 'incrby':
      pipeline.incrby(command.key, command.by);
      return;
    case 'hincrby':
      pipeline.hincrby(command.key, command.field, command.by);
      return;
    case 'hgetall':
      pipeline.hgetall(command.key);
      return;
    case 'expire':
      pipeline.expire(command.key, command.ttlSeconds);
      return;
    case 'zadd':
      if (command.onlyIfAbsent) pipeline.zadd(command.key, { nx: true }, { score: command.score, member: command.member });
      else pipeline.zadd(command.key, { score: command.score, member: command.member });
      return;
    case 'zrem':
      pipeline.zrem(command.key, command.member);
      return;
    case 'zrangebyscore':
      pipeline.zrange(command.key, '-inf', command.max, { byScore: true, offset: 0, count: command.count });
      return;
  }
}

function normalize(command: KvCommand, value: unknown): unknown {
  switch (command.op) {
    case 'get':
    case 'getdel':
      return value === null || value === undefined ? null : String(value);
    case 'set':
      return value === 'OK';
    case 'hgetall':
      return hashRecord(value);
    case 'expire':
      return value === 1 || value === true;
    case 'zrangebyscore':
      return Array.isArray(value) ? value.map(String) : [];
    default:
      return Number(value);
  }
}

/**
 * Without automatic deserialization Upstash answers HGETALL with Redis' flat
 * `[field, value, field, value]` array; a missing hash is an empty one. Answer as the memory store does.
 */
function hashRecord(value: unknown): Record<string, string> | null {
  const out: Record<string, string> = {};
  if (Array.isArray(value)) {
    for (let i = 0; i + 1 < value.length; i += 2) out[String(value[i])] = String(value[i + 1]);
  } else if (value !== null && typeof value === 'object') {
    for (const [field, item] of Object.entries(value)) out[field] = String(item);
  }
  return Object.keys(out).length > 0 ? out : null;
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.name === 'Error' ? error.message : `${error.name}: ${error.message}`;
  return String(error);
}
