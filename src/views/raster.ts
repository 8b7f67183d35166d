/**
 * Pixel grids to RGBA bytes for `new ImageData(rgba, width, height)` (pure, no DOM).
 * Callers draw 1 image pixel per canvas pixel and scale with CSS `image-rendering: pixelated`.
 */
import { rgb } from 'd3';

/** An RGBA lookup table: `steps` colours of 4 bytes each. */
export type ColorLut = Uint8ClampedArray<ArrayBuffer>;

/**
 * Turns 0-255 grey levels into RGBA bytes, white digit on black as MNIST stores it (it reads
 * best at small sizes); `invert` gives a dark digit on white for light print-like layouts.
 */
export function digitToRgba(
  pixels: ArrayLike<number>,
  width = 28,
  height = 28,
  invert = false,
): Uint8ClampedArray<ArrayBuffer> {
  const n = width * height;
  if (pixels.length < n) throw new Error(`digitToRgba: expected ${n} pixels, got ${pixels.length}`);
  const out = new Uint8ClampedArray(n * 4);
  for (let i = 0; i < n; i++) {
    const v = invert ? 255 - pixels[i] : pixels[i];
    const o = i * 4;
    out[o] = v;
    out[o + 1] = v;
    out[o + 2] = v;
    out[o + 3] = 255;
  }
  return out;
}

/** Samples a d3 interpolator (or any t -> CSS colour function) into a lookup table. */
export function colorLut(interpolator: (t: number) => string, steps = 256): ColorLut {
  const lut = new Uint8ClampedArray(steps * 4);
  for (let i = 0; i < steps; i++) {
    const c = rgb(interpolator(steps === 1 ? 0 : i / (steps - 1)));
    lut.set([c.r, c.g, c.b, Math.round(c.opacity * 255)], i * 4);
  }
  return lut;
}

/**
 * Maps values in [min, max] through a lookup table to RGBA bytes, e.g. feature maps; values
 * outside are clamped and NaN takes the first colour, so a dead unit never breaks the image.
 */
export function valuesToRgba(
  values: ArrayLike<number>,
  lut: ColorLut,
  min: number,
  max: number,
): Uint8ClampedArray<ArrayBuffer> {
  const steps = lut.length / 4;
  const span = max > min ? max - min : 1;
  const out = new Uint8ClampedArray(values.length * 4);
  for (let i = 0; i < values.length; i++) {
    const t = (values[i] - min) / span;
    const k = Number.isFinite(t) ? Math.round(Math.min(1, Math.max(0, t)) * (steps - 1)) : 0;
    out.set(lut.subarray(k * 4, k * 4 + 4), i * 4);
  }
  return out;
}
