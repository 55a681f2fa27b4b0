/**
 * Fixed latency buckets, so histograms from many instances and hours add up field by field
 * in one Redis hash (HINCRBY) with no raw samples kept anywhere.
 */

/** Upper bounds (inclusive, ms) of every bucket but the last; the last one is +Inf. */
export const LATENCY_BUCKETS_MS = [5, 10, 25, 50, 75, 100, 150, 200, 300, 500, 750, 1000, 2000, 5000] as const;

/** One count per bucket: `LATENCY_BUCKETS_MS.length + 1` entries, the last for +Inf. */
export type Histogram = number[];

export function emptyHistogram(): Histogram {
  return new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0);
}

/** Index of the bucket that holds `ms` (a value on a bound falls in the bucket it closes). */
export function bucketIndex(ms: number): number {
  const index = LATENCY_BUCKETS_MS.findIndex((bound) => ms <= bound);
  return index === -1 ? LATENCY_BUCKETS_MS.length : index;
}

/** Field-friendly name of a bucket: `5`, `10`, … `5000`, `inf`. */
export function bucketLabel(index: number): string {
  const bound = LATENCY_BUCKETS_MS[index];
  return bound === undefined ? 'inf' : String(bound);
}

export function observe(histogram: Histogram, ms: number, times = 1): void {
  const index = bucketIndex(ms);
  histogram[index] = (histogram[index] ?? 0) + times;
}

/** Bucket-wise sum; histograms of different lengths are padded with zeros. */
export function mergeHistograms(...histograms: readonly Histogram[]): Histogram {
  const merged = emptyHistogram();
  for (const histogram of histograms) {
    histogram.forEach((n, i) => {
      merged[i] = (merged[i] ?? 0) + n;
    });
  }
  return merged;
}

/**
 * Estimates the `q` quantile (0..1) from bucket counts, as Prometheus' histogram_quantile does:
 * find the bucket holding rank `q * total` and interpolate linearly between its lower and upper
 * bound, assuming the values in a bucket are spread evenly. The error is at most the bucket's
 * width. The +Inf bucket has no upper bound, so a rank in it answers the last finite bound (5000).
 * Undefined for an empty histogram.
 */
export function quantile(histogram: readonly number[], q: number): number | undefined {
  const total = histogram.reduce((sum, n) => sum + n, 0);
  if (total <= 0) return undefined;
  const rank = Math.min(Math.max(q, 0), 1) * total;
  let below = 0;
  for (let i = 0; i < histogram.length; i++) {
    const n = histogram[i] ?? 0;
    if (n > 0 && below + n >= rank) {
      const upper = LATENCY_BUCKETS_MS[i];
      const lower = i === 0 ? 0 : (LATENCY_BUCKETS_MS[i - 1] ?? 0);
      if (upper === undefined) return lower;
      return lower + ((upper - lower) * (rank - below)) / n;
    }
    below += n;
  }
  return LATENCY_BUCKETS_MS[LATENCY_BUCKETS_MS.length - 1];
}
