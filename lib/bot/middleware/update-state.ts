import { LRUCache } from 'lru-cache';
import { langFromCode, messages } from '../../i18n/index.js';
import type { Logger } from '../../logger.js';
import { parseSession, serializeSession, sessionKey, SESSION_TTL_SECONDS } from '../../session/session.js';
import type { KvCommand, KvStore } from '../../store/kv-store.js';
import { decodeCallback, isStateless } from '../callback-data.js';
import type { BotContext } from '../context.js';
import { currentOutcome } from '../update-outcome.js';

/** Telegram keeps an undelivered update for 24 h, so a "done" marker must live as long. */
const DONE_TTL_SECONDS = 86_400;
const PROCESSING = 'processing';
const DONE = 'done';
const LEASED_ELSEWHERE = 'leased-elsewhere';

export interface UpdateStateOptions {
  readonly store: KvStore;
  readonly logger: Logger;
  /**
   * How long a delivery holds its update: at least the function's maxDuration, so a resend that
   * arrives while the first delivery still runs is not processed twice. If the instance dies,
   * a resend after the lease is processed.
   */
  readonly leaseSeconds?: number;
  /** How many recent update ids and sessions this instance remembers locally. */
  readonly localEntries?: number;
  /** Defaults are the product; the benchmark turns them off to measure the seed's "before". */
  readonly policy?: Partial<UpdateStatePolicy>;
  /**
   * One more key some updates need, read in the same first round trip (its value lands in
   * `ctx.prefetched`): e.g. which request a replied-to notification was about.
   */
  readonly prefetch?: (ctx: BotContext) => string | undefined;
  /**
   * A mark to read and clear (GETDEL) in the same first round trip; found, it sets `ctx.screenMoved`
   * (a notification was posted below the chat's screen, see on-screen.ts).
   */
  readonly screenMoved?: (ctx: BotContext) => string | undefined;
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
 * Takes the update's lease and loads the session in ONE store round trip, runs the handlers,
 * then saves the session (when it changed) and marks the update done in one more.
 *
 * The marker `update:{id}` is a lease while the update runs (SET NX, `leaseSeconds`) and "done"
 * for 24 h once it finished. A delivery that finds a lease answers "retry later" (503): the first
 * delivery may still be running, or may have died, in which case the resend after the lease runs it.
 * A delivery that finds "done" is dropped.
 *
 * Stateless navigation taps skip the store entirely (zero round trips); they are de-duplicated
 * only by this instance's memory, which is safe because re-rendering a screen is idempotent.
 * When the store is unreachable the update still runs on this instance's copy of the session.
 */
export function updateState(options: UpdateStateOptions) {
  // Recent ids and sessions of this instance only; lru-cache allocates all slots up front (cold start).
  const localEntries = options.localEntries ?? 2_000;
  const leaseSeconds = options.leaseSeconds ?? 70;
  const policy = { ...PRODUCT_STATE_POLICY, ...options.policy };
  // Updates this instance took: 'processing' until their work is done, then 'done'.
  const seenUpdates = new LRUCache<number, typeof PROCESSING | typeof DONE>({ max: localEntries });
  // Last session seen per person on this instance: the fallback while the store is down.
  const localSessions = new LRUCache<string, string>({ max: localEntries, ttl: SESSION_TTL_SECONDS * 1000 });
  // Sessions changed here while the store was down: newer than the store's copy until written
  // back, so the store coming back does not roll the person's draft back to before the outage.
  const unsynced = new LRUCache<string, true>({ max: localEntries, ttl: SESSION_TTL_SECONDS * 1000 });

  return async (ctx: BotContext, next: () => Promise<void>) => {
    const updateId = ctx.update.update_id;
    ctx.action = ctx.callbackQuery && 'data' in ctx.callbackQuery ? decodeCallback(ctx.callbackQuery.data) : undefined;
    const userId = ctx.from?.id;
    const stateless = userId === undefined || (policy.statelessNavigation && ctx.action !== undefined && isStateless(ctx.action));
    ctx.session = {};
    ctx.prefetched = undefined;
    ctx.screenMoved = false;
    ctx.storeWrites = [];
    setLanguage(ctx);

    const seen = seenUpdates.get(updateId);
    // A stateless tap re-renders a screen: dropping a copy is harmless even while the first runs.
    if (seen === DONE || (seen === PROCESSING && stateless)) {
      ctx.handler = 'duplicate';
      ctx.callbackAnswered = true; // the first delivery answers the button
      ctx.log.info('duplicate update dropped (instance)');
      return;
    }
    if (seen === PROCESSING) return retryLater(ctx, leaseSeconds);
    seenUpdates.set(updateId, PROCESSING);
    let leasedElsewhere = false;
    try {
      if (stateless) await next();
      else leasedElsewhere = (await withSession(ctx, userId, next)) === LEASED_ELSEWHERE;
    } finally {
      // A delivery that found another one's lease leaves no trace: this instance takes the resend.
      if (leasedElsewhere) seenUpdates.delete(updateId);
      else seenUpdates.set(updateId, DONE);
    }
  };

  /** Runs the update with its session; says so when another delivery holds the update's lease. */
  async function withSession(ctx: BotContext, userId: number, next: () => Promise<void>): Promise<typeof LEASED_ELSEWHERE | undefined> {
    const key = sessionKey(userId);
    const markerKey = `update:${ctx.update.update_id}`;
    let before: string | null;
    let storeUp = true;
    try {
      const lease = { op: 'set', key: markerKey, value: PROCESSING, ttlSeconds: leaseSeconds, onlyIfAbsent: true } as const;
      const read = { op: 'get', key } as const;
      const extraKey = options.prefetch?.(ctx);
      const markKey = options.screenMoved?.(ctx);
      const extra: KvCommand[] = [
        ...(extraKey === undefined ? [] : [{ op: 'get', key: extraKey } as const]),
        ...(markKey === undefined ? [] : [{ op: 'getdel', key: markKey } as const]),
      ];
      const [fresh, raw, ...extras] = (
        policy.pipelined
          ? await options.store.exec([lease, read, ...extra])
          : [(await options.store.exec([lease]))[0], (await options.store.exec([read]))[0], ...(await options.store.exec(extra))]
      ) as [boolean, string | null, ...(string | null)[]];
      if (extraKey !== undefined) ctx.prefetched = extras.shift() ?? null;
      if (markKey !== undefined) ctx.screenMoved = (extras.shift() ?? null) !== null;
      if (!fresh) {
        // Rare: only redeliveries get here, so telling "running" from "done" may cost a round trip.
        const [marker] = await options.store.exec([{ op: 'get', key: markerKey }]);
        // Another delivery took this update and has not finished it (or died): let Telegram
        // deliver it again later instead of acknowledging work nobody finished.
        if (marker === PROCESSING) {
          retryLater(ctx, leaseSeconds);
          return LEASED_ELSEWHERE;
        }
        ctx.handler = 'duplicate';
        ctx.callbackAnswered = true; // the first delivery answers the button
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
    // Compared with what the handlers leave: the parsed session in the schema's key order, so a
    // session stored in another order (a key added last) is not written again unchanged.
    const parsed = serializeSession(ctx.session);
    setLanguage(ctx);
    // Remember the language once, so notifications pushed later speak it too.
    ctx.session.lang ??= ctx.lang;

    const done = { op: 'set', key: markerKey, value: DONE, ttlSeconds: DONE_TTL_SECONDS } as const;
    try {
      await next();
    } catch (error) {
      // The person is told something went wrong (observe-update); this delivery is over.
      if (storeUp) await options.store.exec([done]).catch(() => undefined);
      throw error;
    }

    const after = serializeSession(ctx.session);
    const writeBack = storeUp && unsynced.has(key);
    const changed = !policy.writeOnlyChanges || writeBack || after !== parsed;
    if (changed) localSessions.set(key, after);
    if (!storeUp) {
      if (changed) unsynced.set(key, true);
      return;
    }
    // The session, "done" and what the handlers remember in one round trip: a resend after this sees a finished update.
    const writes: KvCommand[] = [...(changed ? [{ op: 'set', key, value: after, ttlSeconds: SESSION_TTL_SECONDS } as const] : []), done, ...ctx.storeWrites];
    try {
      await options.store.exec(writes);
      unsynced.delete(key);
    } catch (error) {
      if (changed) unsynced.set(key, true);
      ctx.log.error({ err: error }, '[store] session write failed, kept on this instance only');
    }
  }
}

/** The update is leased by another delivery: nothing runs, and the webhook asks Telegram to come back. */
function retryLater(ctx: BotContext, leaseSeconds: number): void {
  ctx.handler = 'in-progress';
  // The delivery that holds the lease answers the button; this answer is a 503 with no body.
  ctx.callbackAnswered = true;
  ctx.log.warn('update is leased by another delivery; asking Telegram to deliver it again later');
  const outcome = currentOutcome();
  if (outcome) outcome.retryAfterSeconds = Math.min(leaseSeconds, 60);
}

function setLanguage(ctx: BotContext): void {
  const fromButton = ctx.action && 'lang' in ctx.action ? ctx.action.lang : undefined;
  ctx.lang = fromButton ?? ctx.session.lang ?? langFromCode(ctx.from?.language_code);
  ctx.t = messages(ctx.lang);
}
