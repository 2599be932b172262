import { describe, expect, it } from 'vitest';
import { mean, median, minFinite, percentile, ratio, summarizeLatencies } from '../../bench/perf/stats';

describe('percentile (nearest rank)', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted

  it('returns observed samples at the nearest rank', () => {
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
    expect(percentile(hundred, 0)).toBe(1);
    expect(percentile(hundred, 1)).toBe(1);
    expect(percentile(hundred, 1.5)).toBe(2);
  });

  it('p99 of 500 samples is the 495th smallest, so the 5 worst are excluded', () => {
    const samples = Array.from({ length: 500 }, (_, i) => i + 1);
    expect(percentile(samples, 99)).toBe(495);
  });

  it('handles one sample and no samples', () => {
    expect(percentile([7], 50)).toBe(7);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it('sorts numerically, not as strings, and leaves the input alone', () => {
    const input = [10, 9, 100, 2];
    expect(percentile(input, 50)).toBe(9);
    expect(percentile(input, 75)).toBe(10);
    expect(input).toEqual([10, 9, 100, 2]);
  });

  it('rejects percentiles outside 0..100', () => {
    expect(() => percentile([1], 101)).toThrow(RangeError);
    expect(() => percentile([1], -1)).toThrow(RangeError);
    expect(() => percentile([1], Number.NaN)).toThrow(RangeError);
  });
});

describe('median', () => {
  it('takes the middle value of an odd count', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([5])).toBe(5);
  });

  it('averages the two middle values of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([1, 100])).toBe(50.5);
  });

  it('is robust to one outlier run, unlike the mean', () => {
    const runs = [10, 11, 250];
    expect(median(runs)).toBe(11);
    expect(mean(runs)).toBeCloseTo(90.33, 2);
  });

  it('ignores NaN and is NaN when nothing is left', () => {
    expect(median([Number.NaN, 4, 2])).toBe(3);
    expect(median([])).toBeNaN();
    expect(median([Number.NaN])).toBeNaN();
  });
});

describe('summarizeLatencies', () => {
  it('reports count, extremes, percentiles and mean', () => {
    const samples = [0.5, 0.1, 0.3, 0.2, 0.4, 9];
    expect(summarizeLatencies(samples)).toEqual({
      count: 6,
      min: 0.1,
      p50: 0.3,
      p90: 9,
      p99: 9,
      max: 9,
      mean: expect.closeTo(10.5 / 6, 10) as number,
    });
  });

  it('is all NaN with a zero count for no samples', () => {
    const summary = summarizeLatencies([]);
    expect(summary.count).toBe(0);
    expect(summary.p50).toBeNaN();
    expect(summary.max).toBeNaN();
  });
});

describe('ratio and minFinite', () => {
  it('divides, and is NaN for a missing or non-positive reference', () => {
    expect(ratio(2, 8)).toBe(0.25);
    expect(ratio(2, 0)).toBeNaN();
    expect(ratio(2, undefined)).toBeNaN();
    expect(ratio(undefined, 2)).toBeNaN();
    expect(ratio(Number.NaN, 2)).toBeNaN();
  });

  it('finds the smallest finite value', () => {
    expect(minFinite([3, undefined, Number.NaN, 2, 5])).toBe(2);
    expect(minFinite([undefined, Number.NaN])).toBeUndefined();
  });
});
