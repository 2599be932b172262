/** Small, dependency-free statistics for the benchmark: percentiles, medians, summaries. */

/** Sorted copy (ascending, numeric). Never mutates the input. */
export function sortedCopy(values: readonly number[]): number[] {
  return Array.from(Float64Array.from(values).sort());
}

/**
 * Nearest-rank percentile of `values`: the smallest sample such that at least `p` percent of the
 * samples are less than or equal to it (p in [0, 100]; p = 0 gives the minimum). NaN for no samples.
 * Nearest rank always returns an observed latency, which is what latency reports usually mean by p99.
 */
export function percentile(values: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be within 0..100, got ${p}`);
  if (values.length === 0) return Number.NaN;
  const sorted = sortedCopy(values);
  return percentileOfSorted(sorted, p);
}

/** As `percentile`, for input already sorted ascending (not checked). */
export function percentileOfSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

/** Median: the middle value, or the mean of the two middle values for an even count. NaN if empty. */
export function median(values: readonly number[]): number {
  const finite = values.filter((v) => !Number.isNaN(v));
  if (finite.length === 0) return Number.NaN;
  const sorted = sortedCopy(finite);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

export interface LatencySummary {
  count: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

export function summarizeLatencies(values: readonly number[]): LatencySummary {
  const sorted = sortedCopy(values);
  return {
    count: sorted.length,
    min: sorted.length === 0 ? Number.NaN : (sorted[0] as number),
    p50: percentileOfSorted(sorted, 50),
    p90: percentileOfSorted(sorted, 90),
    p99: percentileOfSorted(sorted, 99),
    max: sorted.length === 0 ? Number.NaN : (sorted[sorted.length - 1] as number),
    mean: mean(sorted),
  };
}

/** `value / reference`, or NaN when either is missing or the reference is not positive. */
export function ratio(value: number | undefined, reference: number | undefined): number {
  if (value === undefined || reference === undefined) return Number.NaN;
  if (!Number.isFinite(value) || !Number.isFinite(reference) || reference <= 0) return Number.NaN;
  return value / reference;
}

/** The smallest finite value, or undefined when there is none. */
export function minFinite(values: Iterable<number | undefined>): number | undefined {
  let best: number | undefined;
  for (const v of values) {
    if (v !== undefined && Number.isFinite(v) && (best === undefined || v < best)) best = v;
  }
  return best;
}
