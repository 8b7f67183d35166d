/**
 * MNIST-style preprocessing of a hand-drawn digit, as the dataset was made: crop to the ink's
 * bounding box, scale to fit 20x20 keeping the aspect ratio (area-averaged, so thin strokes
 * stay grey rather than vanishing), then place in 28x28 so the centre of mass sits at the centre.
 * Pure: works on plain arrays, no DOM.
 */

/** The ink's bounding box in source pixels (inclusive start, exclusive end). */
export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** A 28x28 digit ready for the model, plus what the steps found (for display and tests). */
export interface Preprocessed {
  /** 784 grey levels 0-255, white ink on black, row major. */
  image: Uint8Array;
  box: Box;
  /** Size of the scaled digit inside the 28x28 field (longer side 20). */
  scaledWidth: number;
  scaledHeight: number;
  /** Centre of mass of the final image, in pixels (about 13.5-14.5 on both axes). */
  centerOfMass: { x: number; y: number };
}

const SIDE = 28;
const FIT = 20;

/** Finds the bounding box of pixels above `threshold`, or null for an empty drawing. */
export function inkBox(ink: ArrayLike<number>, width: number, height: number, threshold = 0): Box | null {
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (ink[y * width + x] > threshold) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  return x1 < 0 ? null : { x0, y0, x1: x1 + 1, y1: y1 + 1 };
}

/**
 * Resamples a region of `src` to outW x outH by area averaging: each output pixel is the mean
 * of the source area it covers, with fractional coverage at the edges.
 */
export function resampleArea(src: ArrayLike<number>, srcWidth: number, box: Box, outW: number, outH: number): Float32Array {
  const w = box.x1 - box.x0;
  const h = box.y1 - box.y0;
  // Horizontal pass: rows of the box -> outW columns.
  const mid = new Float32Array(h * outW);
  const sx = w / outW;
  for (let y = 0; y < h; y++) {
    const row = (box.y0 + y) * srcWidth + box.x0;
    for (let ox = 0; ox < outW; ox++) mid[y * outW + ox] = areaMean((i) => src[row + i], ox * sx, (ox + 1) * sx);
  }
  // Vertical pass: h rows -> outH rows.
  const out = new Float32Array(outW * outH);
  const sy = h / outH;
  for (let ox = 0; ox < outW; ox++) {
    for (let oy = 0; oy < outH; oy++) out[oy * outW + ox] = areaMean((i) => mid[i * outW + ox], oy * sy, (oy + 1) * sy);
  }
  return out;
}

/** Mean of sample(i) over the continuous interval [a, b), weighting partly covered cells. */
function areaMean(sample: (i: number) => number, a: number, b: number): number {
  let sum = 0;
  for (let i = Math.floor(a); i < Math.ceil(b); i++) {
    const cover = Math.min(b, i + 1) - Math.max(a, i);
    if (cover > 0) sum += sample(i) * cover;
  }
  return sum / (b - a);
}

/** Centre of mass of a width x height intensity image, or the geometric centre when empty. */
export function centerOfMass(img: ArrayLike<number>, width: number, height: number): { x: number; y: number } {
  let total = 0;
  let sx = 0;
  let sy = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = img[y * width + x];
      total += v;
      sx += v * (x + 0.5);
      sy += v * (y + 0.5);
    }
  }
  return total > 0 ? { x: sx / total, y: sy / total } : { x: width / 2, y: height / 2 };
}

/**
 * Turns a drawing (ink intensities 0-255, any size) into an MNIST-like 28x28 image, or returns
 * null when there is no ink.
 */
export function preprocessDrawing(ink: ArrayLike<number>, width: number, height: number): Preprocessed | null {
  const box = inkBox(ink, width, height);
  if (!box) return null;
  const w = box.x1 - box.x0;
  const h = box.y1 - box.y0;
  const scale = FIT / Math.max(w, h);
  const scaledWidth = Math.max(1, Math.round(w * scale));
  const scaledHeight = Math.max(1, Math.round(h * scale));
  const small = resampleArea(ink, width, box, scaledWidth, scaledHeight);
  const com = centerOfMass(small, scaledWidth, scaledHeight);
  // Integer shift that brings the centre of mass closest to the field's centre (14, 14).
  const left = clamp(Math.round(SIDE / 2 - com.x), 0, SIDE - scaledWidth);
  const top = clamp(Math.round(SIDE / 2 - com.y), 0, SIDE - scaledHeight);
  const image = new Uint8Array(SIDE * SIDE);
  for (let y = 0; y < scaledHeight; y++) {
    for (let x = 0; x < scaledWidth; x++) {
      image[(top + y) * SIDE + left + x] = Math.round(clamp(small[y * scaledWidth + x], 0, 255));
    }
  }
  return { image, box, scaledWidth, scaledHeight, centerOfMass: centerOfMass(image, SIDE, SIDE) };
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}
