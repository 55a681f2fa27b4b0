import { describe, expect, it } from 'vitest';
import { median, percentile, perUnit, ratio, round, summarize } from '../../../tools/bench/stats.js';

describe('percentile', () => {
  it('interpolates between the closest ranks', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([10, 20, 30, 40, 50], 50)).toBe(30);
    expect(percentile([10, 20, 30, 40, 50], 25)).toBe(20);
    expect(percentile([0, 10], 95)).toBeCloseTo(9.5);
  });

  it('gives the extremes at 0 and 100 and does not care about input order', () => {
    const values = [5, 1, 4, 2, 3];
    expect(percentile(values, 0)).toBe(1);
    expect(percentile(values, 100)).toBe(5);
    expect(values).toEqual([5, 1, 4, 2, 3]);
  });

  it('handles one value and no value', () => {
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it('refuses a percentile outside 0-100 and values that are not finite numbers', () => {
    expect(() => percentile([1], 101)).toThrow(RangeError);
    expect(() => percentile([1], -1)).toThrow(RangeError);
    expect(() => percentile([1, Number.NaN], 50)).toThrow(RangeError);
    expect(() => percentile([1, Number.POSITIVE_INFINITY], 50)).toThrow(RangeError);
  });

  it('median is the 50th percentile', () => {
    expect(median([3, 1, 2])).toBe(2);
  });
});

describe('summarize', () => {
  it('reports count, extremes, mean and percentiles of 1..100', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    const s = summarize(values);
    expect(s.n).toBe(100);
    expect(s.min).toBe(1);
    expect(s.max).toBe(100);
    expect(s.mean).toBe(50.5);
    expect(s.p50).toBe(50.5);
    expect(s.p10).toBeCloseTo(10.9);
    expect(s.p90).toBeCloseTo(90.1);
    expect(s.p95).toBeCloseTo(95.05);
    expect(s.p99).toBeCloseTo(99.01);
  });

  it('is all NaN for an empty sample', () => {
    const s = summarize([]);
    expect(s.n).toBe(0);
    expect(s.p50).toBeNaN();
    expect(s.mean).toBeNaN();
  });
});

describe('ratio, perUnit and round', () => {
  it('ratio is null without a positive base', () => {
    expect(ratio(1, 4)).toBe(0.25);
    expect(ratio(1, 0)).toBeNull();
    expect(ratio(undefined, 4)).toBeNull();
    expect(ratio(Number.NaN, 4)).toBeNull();
  });

  it('perUnit is null when nothing was counted', () => {
    expect(perUnit(6, 3)).toBe(2);
    expect(perUnit(6, 0)).toBeNull();
  });

  it('round keeps 2 decimals under 10, 1 under 100, none above', () => {
    expect(round(1.23456)).toBe(1.23);
    expect(round(12.345)).toBe(12.3);
    expect(round(123.45)).toBe(123);
    expect(round(null)).toBeNull();
    expect(round(Number.NaN)).toBeNull();
  });
});
