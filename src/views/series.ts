/**
 * Long numeric series made drawable (pure): shape-keeping decimation and a fast robust quantile.
 * Batch series reach 10,000+ points, and a chart needs only about two points per pixel.
 */
import { quickselect } from 'd3';

/** A point in data or pixel space. */
export interface XY {
  x: number;
  y: number;
}

/**
 * Reduces a long series to at most `maxPoints` (at least 4) points keeping its shape: first and
 * last points plus the min and max of each bucket in x order, so spikes survive. A bucket with no
 * finite value keeps one NaN point so line gaps survive too.
 */
export function decimate<P extends XY>(points: readonly P[], maxPoints: number): readonly P[] {
  const budget = Math.max(4, Math.floor(maxPoints));
  const n = points.length;
  if (n <= budget) return points;
  const buckets = Math.floor((budget - 2) / 2);
  const inner = n - 2;
  const out: P[] = [points[0]];
  for (let b = 0; b < buckets; b++) {
    const start = 1 + Math.floor((b * inner) / buckets);
    const end = 1 + Math.floor(((b + 1) * inner) / buckets);
    pushExtremes(points, start, end, out);
  }
  out.push(points[n - 1]);
  return out;
}

function pushExtremes<P extends XY>(points: readonly P[], start: number, end: number, out: P[]): void {
  let lo = -1;
  let hi = -1;
  let gap = -1;
  for (let i = start; i < end; i++) {
    const y = points[i].y;
    if (!Number.isFinite(y)) {
      if (gap < 0) gap = i;
      continue;
    }
    if (lo < 0 || y < points[lo].y) lo = i;
    if (hi < 0 || y > points[hi].y) hi = i;
  }
  if (lo < 0) {
    if (gap >= 0) out.push(points[gap]);
  } else if (lo === hi) out.push(points[lo]);
  else out.push(points[Math.min(lo, hi)], points[Math.max(lo, hi)]);
}

/**
 * Reduces a long series to at most `maxPoints` (at least 3) points by averaging x and y per
 * bucket, first and last points kept: the trend line of a noisy series without its zigzag
 * envelope. A bucket with no finite value yields a NaN point so line gaps survive.
 */
export function decimateMean(points: readonly XY[], maxPoints: number): readonly XY[] {
  const budget = Math.max(3, Math.floor(maxPoints));
  const n = points.length;
  if (n <= budget) return points;
  const buckets = budget - 2;
  const inner = n - 2;
  const out: XY[] = [points[0]];
  for (let b = 0; b < buckets; b++) {
    const start = 1 + Math.floor((b * inner) / buckets);
    const end = 1 + Math.floor(((b + 1) * inner) / buckets);
    let sx = 0;
    let sy = 0;
    let k = 0;
    for (let i = start; i < end; i++) {
      if (!Number.isFinite(points[i].y)) continue;
      sx += points[i].x;
      sy += points[i].y;
      k += 1;
    }
    out.push(k ? { x: sx / k, y: sy / k } : { x: points[start].x, y: NaN });
  }
  out.push(points[n - 1]);
  return out;
}

/**
 * The p-quantile of the finite values (R-7, as d3.quantile) or NaN when there are none; a typed
 * copy plus quickselect, because d3.quantile's generic iteration is the slowest step for 10k+ points.
 */
export function finiteQuantile(values: readonly number[], p: number): number {
  const finite = new Float64Array(values.length);
  let n = 0;
  for (const v of values) if (Number.isFinite(v)) finite[n++] = v;
  if (n === 0) return NaN;
  const sample = finite.subarray(0, n);
  const i = (n - 1) * Math.min(1, Math.max(0, p));
  const i0 = Math.floor(i);
  quickselect(sample, i0);
  const v0 = sample[i0];
  if (i0 === n - 1) return v0;
  // After quickselect everything right of i0 is >= v0; its minimum is the next order statistic.
  let v1 = Infinity;
  for (let k = i0 + 1; k < n; k++) if (sample[k] < v1) v1 = sample[k];
  return v0 + (v1 - v0) * (i - i0);
}
