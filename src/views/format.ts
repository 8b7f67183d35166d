/**
 * Number formatting shared by the charts and reports (pure, d3-format).
 * Missing values (NaN, ±Infinity) print as an en dash so a table never shows "NaN".
 */
import { format } from 'd3';

const MISSING = '–';
const thousands = format(',');
const percentFormats = new Map<number, (n: number) => string>();

/** Formats a 0..1 fraction as a percentage with `digits` decimals, e.g. 0.9921 -> "99.2%". */
export function formatPercent(fraction: number, digits = 1): string {
  if (!Number.isFinite(fraction)) return MISSING;
  let f = percentFormats.get(digits);
  if (!f) {
    f = format(`.${digits}%`);
    percentFormats.set(digits, f);
  }
  return f(fraction);
}

/** Formats a count with thousands separators, e.g. 10000 -> "10,000". */
export function formatNumber(n: number): string {
  return Number.isFinite(n) ? thousands(Math.round(n)) : MISSING;
}

/** Formats a metric such as a loss with a fixed number of decimals, e.g. 0.21349 -> "0.213". */
export function formatMetric(value: number, digits = 3): string {
  return Number.isFinite(value) ? value.toFixed(digits) : MISSING;
}

/** Formats a tensor shape without the batch axis, e.g. [26, 26, 32] -> "26 × 26 × 32". */
export function formatShape(shape: readonly number[] | null): string {
  return shape ? shape.join(' × ') : MISSING;
}

/** Formats large counts compactly with SI prefixes, e.g. 1234567 -> "1.23M" (FLOPs, bytes). */
export function formatCompact(n: number): string {
  if (!Number.isFinite(n)) return MISSING;
  return Math.abs(n) < 1000 ? String(Math.round(n)) : compact(n);
}
const compact = format('.3~s');

/** Formats milliseconds as "12.3 s" under a minute and "m:ss" above. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return MISSING;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  return `${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, '0')}`;
}
