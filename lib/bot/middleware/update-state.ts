import { LRUCache } from 'lru-cache';
import { langFromCode, messages } from '../../i18n/index.js';
import type { Logger } from '../../logger.js';
import { parseSession, serializeSession, sessionKey, SESSION_TTL_SECONDS } from '../../session/session.js';
import type { KvStore } from '../../store/kv-store.js';
import { decodeCallback, isStateless } from '../callback-data.js';
import type { BotContext } from '../context.js';

/** Telegram keeps an undelivered update for 24 h, so a marker must live as long. */
const DEDUP_TTL_SECONDS = 86_400;

export interface UpdateStateOptions {
  readonly store: KvStore;
  readonly logger: Logger;
  /** How many recent update ids and sessions this instance remembers locally. */
  readonly localEntries?: number;
  /** Defaults are the product; the benchmark turns them off to measure the seed's "before". */
  readonly policy?: Partial<UpdateStatePolicy>;
}

export interface UpdateStatePolicy {
  /** Navigation taps skip the store (their state travels in the button). */
  readonly statelessNavigation: boolean;
  /** De-dup marker and session read travel in one round trip. */
  readonly pipelined: boolean;
  /** Write the session only when it changed. */
  readonly writeOnlyChanges: boolean;
}

export const PRODUCT_STATE_POLICY: UpdateStatePolicy = { statelessNavigation: true, pipelined: true, writeOnlyChanges: true };

/**
 * Loads the session and drops duplicate deliveries in ONE store round trip, runs the handlers,
 * then saves the session in one more round trip only when it changed.
 *
 * Stateless navigation taps skip the store entirely (zero round trips); they are de-duplicated
 * only by this instance's memory, which is safe because re-rendering a screen is idempotent.
 * When the store is unreachable the update still runs on this instance's copy of the session.
 */
export function updateState(options: UpdateStateOptions) {
  // Recent ids and sessions of this instance only; lru-cache allocates all slots up front (cold start).
  const localEntries = options.localEntries ?? 2_000;
  const policy = { ...PRODUCT_STATE_POLICY, ...options.policy };
  const seenUpdates = new LRUCache<number, true>({ max: localEntries });
  // Last session seen per person on this instance: the fallback while the store is down.
  const localSessions = new LRUCache<string, string>({ max: localEntries, ttl: SESSION_TTL_SECONDS * 1000 });
  // Sessions changed here while the store was down: newer than the store's copy until written
  // back, so the store coming back does not roll the person's draft back to before the outage.
  const unsynced = new LRUCache<string, true>({ max: localEntries, ttl: SESSION_TTL_SECONDS * 1000 });

  return async (ctx: BotContext, next: () => Promise<void>) => {
    const updateId = ctx.update.update_id;
    if (seenUpdates.has(updateId)) {
      ctx.handler = 'duplicate';
      ctx.log.info('duplicate update dropped (instance)');
      return;
    }
    seenUpdates.set(updateId, true);

    ctx.action = ctx.callbackQuery && 'data' in ctx.callbackQuery ? decodeCallback(ctx.callbackQuery.data) : undefined;
    const userId = ctx.from?.id;
    const stateless = userId === undefined || (policy.statelessNavigation && ctx.action !== undefined && isStateless(ctx.action));
    ctx.session = {};
    setLanguage(ctx);
    if (stateless) return next();

    const key = sessionKey(userId);
    let before: string | null;
    let storeUp = true;
    try {
      const marker = { op: 'set', key: `update:${updateId}`, value: '1', ttlSeconds: DEDUP_TTL_SECONDS, onlyIfAbsent: true } as const;
      const read = { op: 'get', key } as const;
      const [fresh, raw] = policy.pipelined
        ? await options.store.exec([marker, read])
        : [(await options.store.exec([marker]))[0], (await options.store.exec([read]))[0]];
      if (!fresh) {
        ctx.handler = 'duplicate';
        ctx.log.info('duplicate update dropped');
        return;
      }
      const local = unsynced.has(key) ? localSessions.get(key) : undefined;
      before = local ?? raw;
      if (raw !== null && local === undefined) localSessions.set(key, raw);
    } catch (error) {
      storeUp = false;
      before = localSessions.get(key) ?? null;
      ctx.log.error({ err: error }, '[store] session read failed, using this instance\'s copy: check UPSTASH_REDIS_REST_URL/TOKEN and Upstash status');
    }
    ctx.session = parseSession(before);
    setLanguage(ctx);
    // Remember the language once, so notifications pushed later speak it too.
    ctx.session.lang ??= ctx.lang;

    await next();

    const after = serializeSession(ctx.session);
    const writeBack = storeUp && unsynced.has(key);
    if (policy.writeOnlyChanges && !writeBack && after === (before ?? serializeSession({}))) return;
    localSessions.set(key, after);
    if (!storeUp) {
      unsynced.set(key, true);
      return;
    }
    try {
      await options.store.exec([{ op: 'set', key, value: after, ttlSeconds: SESSION_TTL_SECONDS }]);
      unsynced.delete(key);
    } catch (error) {
      unsynced.set(key, true);
      ctx.log.error({ err: error }, '[store] session write failed, kept on this instance only');
    }
  };
}

function setLanguage(ctx: BotContext): void {
  const fromButton = ctx.action && 'lang' in ctx.action ? ctx.action.lang : undefined;
  ctx.lang = fromButton ?? ctx.session.lang ?? langFromCode(ctx.from?.language_code);
  ctx.t = messages(ctx.lang);
}
