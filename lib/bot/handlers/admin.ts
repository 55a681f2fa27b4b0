import { readMetricsSummary, sparkline, type MetricsSummary } from '../../metrics/metrics-report.js';
import type { BotContext } from '../context.js';
import { acknowledge, button, show } from '../views/screen.js';

/** Admin commands answer only to ADMIN_USER_IDS; everyone else gets the normal bot. */
export function isAdmin(ctx: BotContext): boolean {
  return ctx.from !== undefined && ctx.deps.adminUserIds.has(ctx.from.id);
}

/** `/stats`: the last hour and day from the shared hourly buckets, plus this instance's health. */
export async function stats(ctx: BotContext): Promise<void> {
  const { store, backend } = ctx.deps;
  // Pending counters of this instance first, so the figures include what was just done.
  await ctx.deps.metrics.flush();
  const [hour, day] = await Promise.all([readMetricsSummary({ store, hours: 1 }), readMetricsSummary({ store, hours: 24 })]);
  const memory = process.memoryUsage();
  const pool = backend.poolStats();
  const text = [
    '<b>Bot performance</b>',
    '',
    `<b>Last hour</b>\n${summaryLines(hour)}`,
    '',
    `<b>Last 24 h</b>\n${summaryLines(day)}`,
    `<code>${sparkline(day.perHour)}</code> updates per hour`,
    '',
    '<b>This instance</b>',
    `memory: rss ${mb(memory.rss)} MB, heap ${mb(memory.heapUsed)} MB`,
    `backend connections: ${pool.connected} open, ${pool.running} active of ${pool.maxConnections}`,
    `store: ${store.kind}`,
  ].join('\n');
  await ctx.reply(text, { parse_mode: 'HTML' });
}

function summaryLines(s: MetricsSummary): string {
  const ms = (value: number | null) => (value === null ? '–' : `${value} ms`);
  const percent = s.cacheHitRatio === null ? '–' : `${Math.round(s.cacheHitRatio * 100)}%`;
  return [
    `updates: ${s.updates} (p50 ${ms(s.p50Ms)}, p95 ${ms(s.p95Ms)})`,
    `backend calls: ${s.backendCalls} (avg ${ms(s.backendAvgMs)})`,
    `cache hits: ${percent}`,
    `cold starts: ${s.coldStarts}, errors: ${s.errors}`,
  ].join('\n');
}

/** `/cache_stats`: this instance's two-tier cache counters. */
export async function cacheStats(ctx: BotContext): Promise<void> {
  const s = ctx.deps.cache.stats();
  await ctx.reply(
    [
      '<b>Cache (this instance)</b>',
      `L1 hits: ${s.l1Hits}, L2 hits: ${s.l2Hits}, misses: ${s.misses}`,
      `hit ratio: ${Math.round(s.hitRatio * 100)}%`,
      `backend loads: ${s.loads}, stale served: ${s.staleServed}`,
      `entries: ${s.entries} of ${s.maxEntries}, namespace version: ${s.version ?? 'unknown'}`,
    ].join('\n'),
    { parse_mode: 'HTML' },
  );
}

/** `/cache_clear` asks first (Clear / Keep): a clear sends every instance's next catalogue reads to the backend. */
export async function askCacheClear(ctx: BotContext): Promise<void> {
  await show(ctx, {
    text: ctx.t.cacheClearConfirm,
    buttons: [[button(ctx.t.buttonClearCache, { kind: 'cache-clear' }), button(ctx.t.buttonKeepCache, { kind: 'cache-keep' })]],
  });
}

export async function keepCache(ctx: BotContext): Promise<void> {
  await acknowledge(ctx);
  await show(ctx, { text: ctx.t.cacheKept, buttons: [[button(ctx.t.buttonMenu, { kind: 'menu', lang: ctx.lang })]] });
}

export async function cacheClear(ctx: BotContext): Promise<void> {
  await acknowledge(ctx);
  await ctx.deps.cache.clear();
  ctx.log.info({ admin_id: ctx.from?.id }, 'cache cleared');
  await show(ctx, { text: ctx.t.cacheCleared(ctx.deps.cache.stats().version ?? 0), buttons: [[button(ctx.t.buttonMenu, { kind: 'menu', lang: ctx.lang })]] });
}

function mb(bytes: number): number {
  return Math.round((bytes / 1024 / 1024) * 10) / 10;
}
