import type { KvStore } from '../store/kv-store.js';
import { bucketLabel, emptyHistogram, quantile, type Histogram } from './histogram.js';
import { METRIC_FIELDS, metricsBucketKey } from './metrics-recorder.js';

export interface MetricsSummary {
  readonly hours: number;
  readonly updates: number;
  readonly errors: number;
  readonly coldStarts: number;
  /** Estimated from the latency buckets (see `quantile`); null without updates. */
  readonly p50Ms: number | null;
  readonly p95Ms: number | null;
  readonly backendCalls: number;
  /** null without backend calls. */
  readonly backendAvgMs: number | null;
  /** (L1 + L2 hits) / lookups, 0..1; null without lookups. */
  readonly cacheHitRatio: number | null;
  /** Updates per hour, oldest first; the last entry is the current (partial) hour. */
  readonly perHour: number[];
}

const HOUR_MS = 3_600_000;

/**
 * Adds up the last `hours` hourly hashes (the current hour included), read in one round trip.
 * Only what instances have flushed is counted: up to one flush interval per instance is missing.
 */
export async function readMetricsSummary(options: {
  readonly store: KvStore;
  readonly hours: number;
  readonly now?: () => number;
}): Promise<MetricsSummary> {
  const hours = Math.max(1, Math.floor(options.hours));
  const at = (options.now ?? Date.now)();
  const keys = Array.from({ length: hours }, (_, i) => metricsBucketKey(at - (hours - 1 - i) * HOUR_MS));
  const hashes = await options.store.exec(keys.map((key) => ({ op: 'hgetall', key }) as const));

  const f = METRIC_FIELDS;
  const totals = new Map<string, number>();
  const perHour: number[] = [];
  for (const hash of hashes) {
    const fields = hash ?? {};
    perHour.push(toNumber(fields[f.updates]));
    for (const [field, value] of Object.entries(fields)) totals.set(field, (totals.get(field) ?? 0) + toNumber(value));
  }
  const total = (field: string): number => totals.get(field) ?? 0;

  const latency = histogramOf(totals, f.updateBucketPrefix);
  const backendCalls = total(f.backendCalls);
  const hits = total(f.cacheL1Hits) + total(f.cacheL2Hits);
  const lookups = hits + total(f.cacheMisses);
  return {
    hours,
    updates: total(f.updates),
    errors: total(f.errors),
    coldStarts: total(f.coldStarts),
    p50Ms: roundOrNull(quantile(latency, 0.5)),
    p95Ms: roundOrNull(quantile(latency, 0.95)),
    backendCalls,
    backendAvgMs: backendCalls === 0 ? null : Math.round(total(f.backendMs) / backendCalls),
    cacheHitRatio: lookups === 0 ? null : hits / lookups,
    perHour,
  };
}

const BLOCKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;

/** One block per value, scaled from 0 (or the minimum, if negative) to the maximum. */
export function sparkline(values: readonly number[]): string {
  if (values.length === 0) return '';
  const low = Math.min(0, ...values);
  const high = Math.max(...values);
  const span = high - low;
  return values
    .map((value) => BLOCKS[span === 0 ? 0 : Math.round(((value - low) / span) * (BLOCKS.length - 1))] ?? BLOCKS[0])
    .join('');
}

/** The seed's periodic log line, e.g. for the admin `/stats` command and the hourly cron. */
export function formatSummaryLine(summary: MetricsSummary): string {
  const ms = (value: number | null): string => (value === null ? 'n/a' : `${value} ms`);
  const latency = summary.updates === 0 ? '' : ` (p50 ${ms(summary.p50Ms)}, p95 ${ms(summary.p95Ms)})`;
  const backendAvg = summary.backendAvgMs === null ? '' : ` (avg ${summary.backendAvgMs} ms)`;
  const hits = summary.cacheHitRatio === null ? 'n/a' : `${Math.round(summary.cacheHitRatio * 100)}%`;
  return (
    `Bot performance metrics (last ${summary.hours} h): updates ${summary.updates}${latency}, ` +
    `backend calls ${summary.backendCalls}${backendAvg}, cache hits ${hits}, ` +
    `cold starts ${summary.coldStarts}, errors ${summary.errors}`
  );
}

function histogramOf(totals: ReadonlyMap<string, number>, prefix: string): Histogram {
  const histogram = emptyHistogram();
  for (let i = 0; i < histogram.length; i++) histogram[i] = totals.get(prefix + bucketLabel(i)) ?? 0;
  return histogram;
}

function toNumber(value: string | undefined): number {
  const n = Number(value ?? 0);
  return Number.isFinite(n) ? n : 0;
}

function roundOrNull(value: number | undefined): number | null {
  return value === undefined ? null : Math.round(value);
}
