import { getHeapStatistics } from 'node:v8';
import { BackendError } from '../../backend/backend-error.js';
import type { Logger } from '../../logger.js';
import type { MetricsRecorder } from '../../metrics/metrics-recorder.js';
import type { UpdateCounters } from '../../metrics/update-scope.js';
import type { BotContext } from '../context.js';
import { acknowledge, answerCallbackLast } from '../views/screen.js';

export interface ObserveUpdateOptions {
  readonly logger: Logger;
  readonly metrics: MetricsRecorder;
  /** Counters of the update being handled (the app opens the async scope they live in). */
  readonly counters: () => UpdateCounters | undefined;
  readonly slowUpdateMs?: number;
}

/**
 * The outermost middleware: gives the update its logger, turns a handler failure into a
 * polite message (the webhook still answers 200, so Telegram does not resend it forever),
 * and writes the one log line per update that the Vercel log viewer and `npm run analyze` read.
 */
export function observeUpdate(options: ObserveUpdateOptions) {
  const slowUpdateMs = options.slowUpdateMs ?? 3000;
  // Per instance, not per request: the first update an instance serves is its cold start.
  let coldStart = true;

  return async (ctx: BotContext, next: () => Promise<void>) => {
    const started = performance.now();
    const isCold = coldStart;
    coldStart = false;
    ctx.handler = 'none';
    ctx.callbackAnswer = undefined;
    ctx.callbackAnswered = false;
    ctx.log = options.logger.child({ update_id: ctx.update.update_id });
    let error = false;
    try {
      await next();
    } catch (err) {
      error = true;
      ctx.log.error({ err, handler: ctx.handler }, 'handler failed');
      await apologize(ctx, err);
    }
    // Last: the answer tells Telegram this update is done and lets the chat's next one in.
    await answerCallbackLast(ctx);
    const ms = Math.round(performance.now() - started);
    const counters = options.counters();
    const line = {
      update_type: updateTypeOf(ctx),
      handler: ctx.handler,
      ms,
      cold_start: isCold,
      error,
      backend_calls: counters?.backendCalls ?? 0,
      backend_ms: Math.round(counters?.backendMs ?? 0),
      cache_l1_hits: counters?.cacheL1Hits ?? 0,
      cache_l2_hits: counters?.cacheL2Hits ?? 0,
      cache_misses: counters?.cacheMisses ?? 0,
      redis_round_trips: counters?.redisRoundTrips ?? 0,
      redis_commands: counters?.redisCommands ?? 0,
      telegram_calls: counters?.telegramCalls ?? 0,
      // rss() and the V8 counters are cheap; process.memoryUsage() walks /proc on every call.
      rss_mb: Math.round(process.memoryUsage.rss() / 1048576),
      heap_mb: Math.round(getHeapStatistics().used_heap_size / 1048576),
    };
    if (ms > slowUpdateMs) ctx.log.warn(line, 'slow update');
    ctx.log.info(line, 'update');
    if (counters) options.metrics.recordUpdate({ handler: ctx.handler, ms, coldStart: isCold, error, counters });
  };
}

/** Telegraf's getter throws for an update with no known field; a log line must not. */
function updateTypeOf(ctx: BotContext): string {
  try {
    return ctx.updateType;
  } catch {
    return 'unknown';
  }
}

/** Tells the person, in words they can act on: a backend outage is "try in a minute", not a bug. */
async function apologize(ctx: BotContext, error: unknown): Promise<void> {
  if (!ctx.chat || !ctx.t) return;
  try {
    await acknowledge(ctx);
    await ctx.reply(error instanceof BackendError ? ctx.t.catalogUnavailable : ctx.t.somethingWentWrong);
  } catch (err) {
    ctx.log.warn({ err }, 'could not tell the person about the failure');
  }
}
