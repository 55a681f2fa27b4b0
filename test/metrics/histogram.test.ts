import { describe, expect, test } from 'vitest';
import {
  bucketIndex,
  bucketLabel,
  emptyHistogram,
  LATENCY_BUCKETS_MS,
  mergeHistograms,
  observe,
  quantile,
} from '../../lib/metrics/histogram.js';

describe('histogram', () => {
  test('buckets are upper-inclusive, the last one is +Inf', () => {
    expect(emptyHistogram()).toHaveLength(LATENCY_BUCKETS_MS.length + 1);
    expect(bucketIndex(0)).toBe(0);
    expect(bucketIndex(5)).toBe(0);
    expect(bucketIndex(5.1)).toBe(1);
    expect(bucketIndex(5000)).toBe(LATENCY_BUCKETS_MS.length - 1);
    expect(bucketIndex(60_000)).toBe(LATENCY_BUCKETS_MS.length);
    expect(bucketLabel(0)).toBe('5');
    expect(bucketLabel(LATENCY_BUCKETS_MS.length)).toBe('inf');
  });

  test('quantiles interpolate linearly inside the bucket', () => {
    const h = emptyHistogram();
    observe(h, 60, 40); // 50-75
    observe(h, 120, 50); // 100-150
    observe(h, 400, 10); // 300-500
    // p50: rank 50 is the 10th of 50 values in 100-150 -> 100 + 50 * 10/50.
    expect(quantile(h, 0.5)).toBe(110);
    // p95: rank 95 is the 5th of 10 values in 300-500 -> 300 + 200 * 5/10.
    expect(quantile(h, 0.95)).toBe(400);
    expect(quantile(h, 1)).toBe(500);
    expect(quantile(h, 0)).toBe(50);
  });

  test('a rank in +Inf answers the last finite bound; empty answers undefined', () => {
    const h = emptyHistogram();
    observe(h, 10_000, 3);
    expect(quantile(h, 0.5)).toBe(5000);
    expect(quantile(emptyHistogram(), 0.5)).toBeUndefined();
  });

  test('merge adds bucket by bucket', () => {
    const a = emptyHistogram();
    const b = emptyHistogram();
    observe(a, 1, 2);
    observe(b, 1, 3);
    observe(b, 9999);
    const merged = mergeHistograms(a, b);
    expect(merged[0]).toBe(5);
    expect(merged.at(-1)).toBe(1);
    expect(merged.reduce((s, n) => s + n, 0)).toBe(6);
    expect(a[0]).toBe(2);
  });
});
