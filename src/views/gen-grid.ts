/**
 * Pure helpers for the Generations views: tiling many 28x28 digits into one RGBA image for a
 * canvas (through ImageData), the text alternative of a grid, and the geometry of the score chart.
 */
import { scaleLinear } from 'd3';

/** A tiled image ready for `new ImageData(rgba, width, height)`. */
export interface TiledImage {
  rgba: Uint8ClampedArray<ArrayBuffer>;
  width: number;
  height: number;
}

/**
 * Tiles `count` digits (784 grey levels each, row major) into `cols` columns with `gap` pixels
 * between them; white ink on black as MNIST stores it, gaps in a mid grey so cells stay apart.
 */
export function tileDigits(pixels: ArrayLike<number>, count: number, cols: number, gap = 1): TiledImage {
  if (pixels.length < count * 784) throw new Error(`tileDigits: expected ${count * 784} pixels, got ${pixels.length}`);
  const rows = Math.max(1, Math.ceil(count / cols));
  const width = cols * 28 + (cols - 1) * gap;
  const height = rows * 28 + (rows - 1) * gap;
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < rgba.length; i += 4) rgba.set([96, 96, 96, 255], i);
  for (let d = 0; d < count; d++) {
    const ox = (d % cols) * (28 + gap);
    const oy = Math.floor(d / cols) * (28 + gap);
    for (let y = 0; y < 28; y++) {
      for (let x = 0; x < 28; x++) {
        const v = pixels[d * 784 + y * 28 + x];
        const o = ((oy + y) * width + ox + x) * 4;
        rgba[o] = v;
        rgba[o + 1] = v;
        rgba[o + 2] = v;
        rgba[o + 3] = 255;
      }
    }
  }
  return { rgba, width, height };
}

/**
 * The grid's text alternative: one line per row saying what was asked for (conditional models)
 * and what the judge read in each cell, e.g. "row 3 (asked for 3): 3 3 8 3 3 3 3 5 3 3".
 */
export function gridText(judged: ArrayLike<number> | null, conditional: boolean, perRow = 10): string[] {
  if (!judged) return ['No judge yet: the grid is not read.'];
  const lines: string[] = [];
  for (let r = 0; r * perRow < judged.length; r++) {
    const cells = Array.from({ length: perRow }, (_, c) => judged[r * perRow + c]).join(' ');
    lines.push(conditional ? `row ${r} (asked for ${r}): the judge reads ${cells}` : `row ${r}: the judge reads ${cells}`);
  }
  return lines;
}

/** Share of grid cells read as the digit their row asked for. */
export function gridAgreement(judged: ArrayLike<number>, perRow = 10): number {
  let hits = 0;
  for (let i = 0; i < judged.length; i++) if (judged[i] === Math.floor(i / perRow) % 10) hits += 1;
  return judged.length ? hits / judged.length : NaN;
}

/** Geometry of the scores chart: conditional accuracy (0-1, left axis) and MNIST score (1-10, right axis) per epoch. */
export interface ScoreGeometry {
  accuracyPath: string;
  scorePath: string;
  accuracyDots: { x: number; y: number; value: number }[];
  scoreDots: { x: number; y: number; value: number }[];
  xTicks: { x: number; label: string }[];
  plot: { left: number; right: number; top: number; bottom: number };
}

/** Lays out the two score series over epochs in a `width` x `height` chart. */
export function scoreGeometry(points: readonly { epoch: number; conditionalAccuracy: number | null; mnistScore: number }[], width: number, height: number): ScoreGeometry {
  const plot = { left: 40, right: width - 40, top: 10, bottom: height - 28 };
  const maxEpoch = Math.max(1, ...points.map((p) => p.epoch));
  const x = scaleLinear().domain([0, maxEpoch]).range([plot.left, plot.right]);
  const yAcc = scaleLinear().domain([0, 1]).range([plot.bottom, plot.top]);
  const yScore = scaleLinear().domain([1, 10]).range([plot.bottom, plot.top]);
  const acc = points.filter((p) => p.conditionalAccuracy !== null && Number.isFinite(p.conditionalAccuracy)).map((p) => ({ x: x(p.epoch), y: yAcc(p.conditionalAccuracy!), value: p.conditionalAccuracy! }));
  const score = points.filter((p) => Number.isFinite(p.mnistScore)).map((p) => ({ x: x(p.epoch), y: yScore(p.mnistScore), value: p.mnistScore }));
  const path = (dots: { x: number; y: number }[]) => (dots.length ? `M${dots.map((d) => `${d.x.toFixed(1)},${d.y.toFixed(1)}`).join('L')}` : '');
  return {
    accuracyPath: path(acc),
    scorePath: path(score),
    accuracyDots: acc,
    scoreDots: score,
    xTicks: x.ticks(Math.min(maxEpoch, 6)).map((v) => ({ x: x(v), label: String(v) })),
    plot,
  };
}
