/**
 * A count asked for by a caller (results, summary sentences) made safe to size arrays with:
 * a whole number from 1 to `max`; missing or not a number means `fallback`.
 */
export function wholeCount(value: number | undefined, fallback: number, max: number): number {
  const wanted = value === undefined || Number.isNaN(value) ? fallback : value;
  return Math.min(Math.max(1, Math.floor(wanted)), Math.max(1, max));
}
