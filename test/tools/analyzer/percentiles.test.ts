import { describe, expect, test } from 'vitest';
import { median, percentile, percentileOfSorted, summarize } from '../../../tools/analyzer/percentiles.js';

describe('nearest-rank percentiles', () => {
  const oneToHundred = Array.from({ length: 100 }, (_, i) => 100 - i);

  test('1..100 gives p50 50, p95 95, p99 99', () => {
    expect(percentile(oneToHundred, 50)).toBe(50);
    expect(percentile(oneToHundred, 95)).toBe(95);
    expect(percentile(oneToHundred, 99)).toBe(99);
    expect(percentile(oneToHundred, 100)).toBe(100);
  });

  test('small samples pick an observed value', () => {
    expect(median([5])).toBe(5);
    expect(median([1, 2])).toBe(1);
    expect(median([3, 1, 2])).toBe(2);
    expect(percentile([10, 20, 30, 40], 95)).toBe(40);
    expect(percentileOfSorted([1, 2, 3], 1)).toBe(1);
  });

  test('bad input is an error, not a made-up number', () => {
    expect(() => percentile([], 50)).toThrow(RangeError);
    expect(() => percentile([1], 0)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
    expect(summarize([])).toBeUndefined();
  });

  test('summarize', () => {
    expect(summarize(oneToHundred)).toEqual({ count: 100, min: 1, p50: 50, p95: 95, p99: 99, max: 100, mean: 50.5 });
  });
});
