/**
 * Saliency maps made drawable (pure, no DOM): |gradient| normalised to its 99th percentile, so a
 * handful of extreme pixels cannot turn the rest of the map black, and a heat overlay on the digit.
 */
import { interpolateInferno, quantileSorted } from 'd3';
import { COLOR_STEPS } from './color';
import { colorLut, type ColorLut } from './raster';

/** Heat colours from dark red (weak) to pale yellow (strong), quantised. */
export const HEAT_LUT: ColorLut = colorLut((t) => interpolateInferno(0.35 + 0.65 * t), COLOR_STEPS);

/** How bright the digit stays under the overlay: dimmed so white strokes do not drown the heat. */
export const DIGIT_DIM = 0.5;

/** The p-quantile (0..1) of the absolute finite values; 0 when there are none. */
export function absPercentile(values: ArrayLike<number>, p: number): number {
  const abs: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) abs.push(Math.abs(values[i]));
  if (!abs.length) return 0;
  return quantileSorted(abs.sort((a, b) => a - b), Math.min(1, Math.max(0, p))) ?? 0;
}

/**
 * |values| divided by their `percentile` quantile and clamped to 0..1. When that quantile is 0
 * (a sparse map whose top 1% holds every non-zero pixel) the maximum is used instead; an all-zero
 * or non-finite map gives zeros.
 */
export function normalizeSaliency(values: ArrayLike<number>, percentile = 0.99): Float32Array {
  let scale = absPercentile(values, percentile);
  if (!(scale > 0)) scale = absPercentile(values, 1);
  const out = new Float32Array(values.length);
  if (!(scale > 0)) return out;
  for (let i = 0; i < values.length; i++) {
    const v = Math.abs(values[i]) / scale;
    out[i] = Number.isFinite(v) ? Math.min(1, v) : 0;
  }
  return out;
}

/**
 * RGBA bytes of the dimmed digit under the heat map: each pixel blends the grey level with its
 * heat colour by the normalised saliency t (t = 0 shows the digit, t = 1 only the heat colour).
 */
export function saliencyOverlay(pixels: ArrayLike<number>, heat: ArrayLike<number>, lut: ColorLut = HEAT_LUT): Uint8ClampedArray<ArrayBuffer> {
  const n = Math.min(pixels.length, heat.length);
  const steps = lut.length / 4;
  const out = new Uint8ClampedArray(n * 4);
  for (let i = 0; i < n; i++) {
    const t = Math.min(1, Math.max(0, heat[i] || 0));
    const grey = pixels[i] * DIGIT_DIM * (1 - t);
    const k = Math.round(t * (steps - 1)) * 4;
    const o = i * 4;
    out[o] = grey + lut[k] * t;
    out[o + 1] = grey + lut[k + 1] * t;
    out[o + 2] = grey + lut[k + 2] * t;
    out[o + 3] = 255;
  }
  return out;
}

/**
 * Share of the total heat that falls on ink (grey level above `inkLevel`): a text alternative
 * for the map ("most of it lies on the strokes" versus "on the background around them").
 */
export function heatOnInk(pixels: ArrayLike<number>, heat: ArrayLike<number>, inkLevel = 64): number {
  let onInk = 0;
  let total = 0;
  for (let i = 0; i < Math.min(pixels.length, heat.length); i++) {
    const h = Number.isFinite(heat[i]) ? heat[i] : 0;
    total += h;
    if (pixels[i] > inkLevel) onInk += h;
  }
  return total > 0 ? onInk / total : 0;
}
