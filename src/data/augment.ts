/**
 * Random shift and rotation of one 28x28 digit, for data augmentation. Pure (no tfjs, no DOM):
 * the training worker calls it per example while filling a batch, and the settings form calls it
 * on the UI thread to preview what training will see.
 */
import type { AugmentSettings } from '../model/spec';

/** Side of an MNIST image in pixels. */
export const SIDE = 28;
const PIXELS = SIDE * SIDE;
/** Centre of rotation: the middle of the image, between pixels 13 and 14. */
const CENTRE = (SIDE - 1) / 2;
// The source is copied into a zero border one pixel wide, so bilinear taps next to the edge
// read zeros instead of needing four bounds checks per output pixel.
const PADDED = SIDE + 2;
const padded = new Float32Array(PADDED * PADDED);

/** A source of uniform floats in [0, 1), e.g. the run's seeded generator. */
export type Random = () => number;

/** One example's transform: whole-pixel shifts (right, down) and a turn in radians (clockwise on screen). */
export interface Transform {
  dx: number;
  dy: number;
  angle: number;
}

/** True when the settings change nothing, so callers can skip augmentation entirely. */
export function isAugmentOff(settings: AugmentSettings | undefined): boolean {
  return !settings || (settings.shift === 0 && settings.rotation === 0);
}

/**
 * Draws one example's transform: dx and dy uniform among the whole numbers -shift..shift, the
 * angle uniform in [-rotation, rotation] degrees. Always three draws, so the stream stays aligned
 * whatever the settings.
 */
export function drawTransform(settings: AugmentSettings, rng: Random): Transform {
  const span = 2 * Math.floor(settings.shift) + 1;
  const dx = Math.min(span - 1, Math.floor(rng() * span)) - Math.floor(settings.shift);
  const dy = Math.min(span - 1, Math.floor(rng() * span)) - Math.floor(settings.shift);
  const angle = ((2 * rng() - 1) * settings.rotation * Math.PI) / 180;
  return { dx, dy, angle };
}

/** Copies `src` into the padded scratch image; bytes (0-255) are scaled to [0, 1], floats kept as they are. */
function loadPadded(src: Uint8Array | Float32Array, srcOffset: number): void {
  const scale = src instanceof Uint8Array ? 1 / 255 : 1;
  for (let y = 0; y < SIDE; y++) {
    const from = srcOffset + y * SIDE;
    const to = (y + 1) * PADDED + 1;
    for (let x = 0; x < SIDE; x++) padded[to + x] = src[from + x] * scale;
  }
}

/**
 * Writes `src` moved by `t` into `dst[dstOffset..+784]`: each output pixel samples the source at
 * the inversely transformed point with bilinear interpolation, zero outside the image. Bytes are
 * scaled to [0, 1]; float sources are kept as they are.
 */
export function transformInto(
  src: Uint8Array | Float32Array,
  dst: Float32Array,
  t: Transform,
  srcOffset = 0,
  dstOffset = 0,
): void {
  if (src.length < srcOffset + PIXELS || dst.length < dstOffset + PIXELS) {
    throw new RangeError(`transformInto: needs ${PIXELS} pixels from offset ${srcOffset} and to offset ${dstOffset}`);
  }
  loadPadded(src, srcOffset);
  // sin/cos once per example; along a row the source point then moves by (cos, -sin) per pixel.
  const cos = Math.cos(t.angle);
  const sin = Math.sin(t.angle);
  for (let y = 0; y < SIDE; y++) {
    const v = y - t.dy - CENTRE;
    const u0 = -t.dx - CENTRE;
    // Inverse of "turn by angle, then shift": undo the shift, then turn by -angle. +1 for the border.
    let sx = cos * u0 + sin * v + CENTRE + 1;
    let sy = -sin * u0 + cos * v + CENTRE + 1;
    const row = dstOffset + y * SIDE;
    for (let x = 0; x < SIDE; x++, sx += cos, sy -= sin) {
      // The border makes every tap with 0 <= floor < PADDED-1 valid; past it all four taps are zero.
      if (sx >= 0 && sy >= 0 && sx < PADDED - 1 && sy < PADDED - 1) {
        const x0 = sx | 0;
        const y0 = sy | 0;
        const fx = sx - x0;
        const fy = sy - y0;
        const i = y0 * PADDED + x0;
        const top = padded[i] + fx * (padded[i + 1] - padded[i]);
        const bottom = padded[i + PADDED] + fx * (padded[i + PADDED + 1] - padded[i + PADDED]);
        dst[row + x] = top + fy * (bottom - top);
      } else {
        dst[row + x] = 0;
      }
    }
  }
}

/**
 * Writes a randomly shifted and rotated copy of one 28x28 digit (784 values, bytes 0-255 or
 * floats 0-1) into `dst` as floats in [0, 1]; the same `rng` stream gives the same images.
 */
export function augmentInto(
  src: Uint8Array | Float32Array,
  dst: Float32Array,
  settings: AugmentSettings,
  rng: Random,
  srcOffset = 0,
  dstOffset = 0,
): void {
  transformInto(src, dst, drawTransform(settings, rng), srcOffset, dstOffset);
}
