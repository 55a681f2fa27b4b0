/**
 * Order statistics for the benchmark: percentiles by linear interpolation between closest ranks
 * (numpy's default, R type 7), so p50 of an even count is the mean of the two middle values.
 */

export interface Summary {
  readonly n: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  readonly p10: number;
  readonly p50: number;
  readonly p90: number;
  readonly p95: number;
  readonly p99: number;
}

/** The `p`-th percentile (0-100) of `values`; NaN for an empty list. Does not modify `values`. */
export function percentile(values: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be within 0-100, got ${p}`);
  if (values.length === 0) return Number.NaN;
  return percentileOfSorted(sortNumbers(values), p);
}

/** Same as `percentile` on an already ascending list (no copy, no sort). */
export function percentileOfSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  const a = sorted[low] as number;
  const b = sorted[high] as number;
  return a + (b - a) * (rank - low);
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Summary of a sample; every field is NaN (and n 0) for an empty one. */
export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) {
    const nan = Number.NaN;
    return { n: 0, min: nan, max: nan, mean: nan, p10: nan, p50: nan, p90: nan, p95: nan, p99: nan };
  }
  const sorted = sortNumbers(values);
  let total = 0;
  for (const value of sorted) total += value;
  return {
    n: sorted.length,
    min: sorted[0] as number,
    max: sorted[sorted.length - 1] as number,
    mean: total / sorted.length,
    p10: percentileOfSorted(sorted, 10),
    p50: percentileOfSorted(sorted, 50),
    p90: percentileOfSorted(sorted, 90),
    p95: percentileOfSorted(sorted, 95),
    p99: percentileOfSorted(sorted, 99),
  };
}

/** `value / base`, or null when either is missing or the base is not positive. */
export function ratio(value: number | undefined, base: number | undefined): number | null {
  if (value === undefined || base === undefined || !Number.isFinite(value) || !Number.isFinite(base) || base <= 0) return null;
  return value / base;
}

/** `total / count`, or null when nothing was counted. */
export function perUnit(total: number, count: number): number | null {
  return count > 0 ? total / count : null;
}

/** Rounds for display and JSON: 2 decimals under 10, 1 under 100, whole numbers above. */
export function round(value: number | null): number | null {
  if (value === null || !Number.isFinite(value)) return null;
  const abs = Math.abs(value);
  const digits = abs < 10 ? 2 : abs < 100 ? 1 : 0;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

function sortNumbers(values: readonly number[]): number[] {
  for (const value of values) {
    if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${String(value)}`);
  }
  return [...values].sort((a, b) => a - b);
}
