/**
 * Tile grids of layer outputs and conv kernels (pure, no DOM): value ranges, the choice between a
 * sequential and a diverging colour scale, tile layouts, and RGBA bytes for one ImageData per
 * layer. A kernel [k, k, in, out] is laid out exactly like an HWC output with in*out channels,
 * so one painter serves feature maps and filters.
 */
import { format, interpolateRdBu } from 'd3';
import { COLOR_STEPS } from './color';
import { colorLut, type ColorLut } from './raster';

/** Smallest and largest finite value. */
export interface ValueRange {
  min: number;
  max: number;
}

/** Sequential (0 = lightest) for outputs that are never negative, diverging (0 = middle) for signed ones. */
export type ScaleKind = 'sequential' | 'diverging';

/** What a colour scale spans: values at or below `lo` take the first colour, at or above `hi` the last. */
export interface ColorDomain {
  kind: ScaleKind;
  lo: number;
  hi: number;
}

/** Where tiles go in a canvas, in canvas pixels (one pixel per value); a `gap`-wide frame surrounds each tile. */
export interface TileLayout {
  count: number;
  columns: number;
  rows: number;
  tileWidth: number;
  tileHeight: number;
  gap: number;
  width: number;
  height: number;
}

/** Per-channel minimum, maximum and mean of an HWC tensor. */
export interface ChannelStats {
  min: Float32Array;
  max: Float32Array;
  mean: Float32Array;
}

/** RGBA of tile frames: a light grey that separates near-white tiles from the page. */
export const FRAME_RGBA: readonly [number, number, number, number] = [200, 204, 214, 255];

// Blue for negative, red for positive; the sequential scale is the positive half of the same
// ramp, so a positive value looks alike in every layer and 0 is always the palest colour.
const diverging = (t: number): string => interpolateRdBu(1 - t);
const sequential = (t: number): string => interpolateRdBu(0.5 - t / 2);

/** Lookup table of the sequential scale (quantised to COLOR_STEPS colours). */
export const SEQUENTIAL_LUT: ColorLut = colorLut(sequential, COLOR_STEPS);
/** Lookup table of the diverging scale (quantised to COLOR_STEPS colours). */
export const DIVERGING_LUT: ColorLut = colorLut(diverging, COLOR_STEPS);

/** The lookup table of a scale kind. */
export function lutFor(kind: ScaleKind): ColorLut {
  return kind === 'diverging' ? DIVERGING_LUT : SEQUENTIAL_LUT;
}

/** Smallest and largest finite value; {0, 0} when there is none. */
export function valueRange(values: ArrayLike<number>): ValueRange {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < min) min = v; // NaN fails both comparisons, so it is skipped for free
    if (v > max) max = v;
  }
  return Number.isFinite(min) && Number.isFinite(max) ? { min, max } : { min: 0, max: 0 };
}

/**
 * Chooses the scale from the values: sequential 0..max when nothing is negative (ReLU, pooling
 * of ReLU, sigmoid), diverging -m..m centred on 0 otherwise (tanh, linear, batch norm, kernels).
 * Negatives smaller than 1e-3 of the maximum count as rounding noise, not as a signed layer.
 */
export function colorDomain(range: ValueRange): ColorDomain {
  const { min, max } = range;
  if (min >= -1e-3 * Math.abs(max)) return { kind: 'sequential', lo: 0, hi: max > 0 ? max : 1 };
  const m = Math.max(Math.abs(min), Math.abs(max));
  return { kind: 'diverging', lo: -m, hi: m };
}

/** The diverging domain -m..m with m the largest magnitude (for kernels, which are always signed). */
export function symmetricDomain(range: ValueRange): ColorDomain {
  const m = Math.max(Math.abs(range.min), Math.abs(range.max)) || 1;
  return { kind: 'diverging', lo: -m, hi: m };
}

/**
 * The diverging domain -q..q with q the `p` quantile of |value| (from at most `sample` evenly
 * strided values, so a 2M-weight kernel costs no more than a small one): a few large weights
 * then saturate instead of washing every other kernel out to white.
 */
export function robustSymmetricDomain(values: ArrayLike<number>, p = 0.99, sample = 8192): ColorDomain {
  const stride = Math.max(1, Math.floor(values.length / sample));
  const abs = new Float64Array(Math.ceil(values.length / stride));
  let n = 0;
  for (let i = 0; i < values.length; i += stride) if (Number.isFinite(values[i])) abs[n++] = Math.abs(values[i]);
  // A typed array sorts numerically without a comparator callback: several times faster.
  const sorted = abs.subarray(0, n).sort();
  const q = n ? sorted[Math.min(n - 1, Math.round(p * (n - 1)))] : 0;
  return q > 0 ? { kind: 'diverging', lo: -q, hi: q } : symmetricDomain(valueRange(values));
}

/** Index of a value's colour in a lookup table of `steps` colours (clamped; NaN takes the middle of a diverging scale, else 0). */
export function lutIndex(domain: ColorDomain, value: number, steps = COLOR_STEPS): number {
  const t = (value - domain.lo) / (domain.hi - domain.lo || 1);
  if (!Number.isFinite(t)) return domain.kind === 'diverging' ? Math.round((steps - 1) / 2) : 0;
  return Math.round(Math.min(1, Math.max(0, t)) * (steps - 1));
}

/** Lays `count` tiles out row by row in `columns` columns (clamped to 1..count). */
export function tileLayout(count: number, tileWidth: number, tileHeight: number, columns: number, gap = 1): TileLayout {
  const cols = Math.max(1, Math.min(Math.max(count, 1), Math.floor(columns)));
  const rows = Math.max(1, Math.ceil(count / cols));
  return {
    count, columns: cols, rows, tileWidth, tileHeight, gap,
    width: cols * (tileWidth + gap) + gap,
    height: rows * (tileHeight + gap) + gap,
  };
}

/**
 * How many columns of `tileCss`-wide tiles (frame included) fit `available` CSS pixels,
 * then evened out so the last row is not nearly empty (32 tiles in 13 columns -> 11).
 */
export function columnsFor(count: number, tileCss: number, available: number): number {
  const fit = Math.max(1, Math.floor(available / Math.max(1, tileCss)));
  if (count <= fit) return Math.max(1, count);
  return Math.ceil(count / Math.ceil(count / fit));
}

/** Top-left canvas pixel of tile `i`. */
export function tileOrigin(layout: TileLayout, i: number): { x: number; y: number } {
  const col = i % layout.columns;
  const row = Math.floor(i / layout.columns);
  return { x: layout.gap + col * (layout.tileWidth + layout.gap), y: layout.gap + row * (layout.tileHeight + layout.gap) };
}

/** The tile under canvas pixel (x, y), or -1 over a frame or an empty cell. */
export function tileAt(layout: TileLayout, x: number, y: number): number {
  const cx = x - layout.gap;
  const cy = y - layout.gap;
  if (cx < 0 || cy < 0) return -1;
  const col = Math.floor(cx / (layout.tileWidth + layout.gap));
  const row = Math.floor(cy / (layout.tileHeight + layout.gap));
  if (col >= layout.columns || cx - col * (layout.tileWidth + layout.gap) >= layout.tileWidth) return -1;
  if (cy - row * (layout.tileHeight + layout.gap) >= layout.tileHeight) return -1;
  const i = row * layout.columns + col;
  return i < layout.count ? i : -1;
}

/** Copies one channel of an HWC tensor (channels last, as tfjs stores it) into an h*w image. */
export function extractChannel(values: ArrayLike<number>, shape: readonly number[], channel: number): Float32Array {
  const [h, w, c] = shape as [number, number, number];
  const out = new Float32Array(h * w);
  for (let p = 0; p < out.length; p++) out[p] = values[p * c + channel];
  return out;
}

/** Minimum, maximum and mean of every channel of an HWC tensor, in one pass. */
export function channelStats(values: ArrayLike<number>, channels: number): ChannelStats {
  const min = new Float32Array(channels).fill(Infinity);
  const max = new Float32Array(channels).fill(-Infinity);
  const sum = new Float64Array(channels);
  const pixels = Math.floor(values.length / channels);
  for (let p = 0, i = 0; p < pixels; p++) {
    for (let ch = 0; ch < channels; ch++, i++) {
      const v = values[i];
      if (v < min[ch]) min[ch] = v;
      if (v > max[ch]) max[ch] = v;
      sum[ch] += v;
    }
  }
  const mean = new Float32Array(channels);
  for (let ch = 0; ch < channels; ch++) mean[ch] = pixels ? sum[ch] / pixels : 0;
  return { min, max, mean };
}

/**
 * Paints the first `layout.count` channels of an HWC tensor (h x w, `channels` deep) as framed
 * tiles into RGBA bytes of layout.width x layout.height, each value a `zoom` x `zoom` block (the
 * layout's tiles must be w*zoom x h*zoom), so frames stay 1 pixel at any zoom. Empty cells stay
 * transparent. Works on 32-bit words (one per pixel) and colours each value once, then copies
 * the zoomed row: a 360k-pixel layer then costs about a millisecond.
 */
export function paintTiles(
  values: ArrayLike<number>, h: number, w: number, channels: number,
  layout: TileLayout, domain: ColorDomain, zoom = 1, lut: ColorLut = lutFor(domain.kind),
): Uint8ClampedArray<ArrayBuffer> {
  const out = new Uint8ClampedArray(layout.width * layout.height * 4);
  const out32 = new Uint32Array(out.buffer);
  const steps = lut.length / 4;
  const lut32 = new Uint32Array(lut.buffer, lut.byteOffset, steps);
  const frame = word(FRAME_RGBA);
  const scale = (steps - 1) / (domain.hi - domain.lo || 1);
  const nanIndex = lutIndex(domain, NaN, steps);
  const tw = w * zoom;
  const row = new Uint32Array(tw);
  // Frames: one fill for everything, then the empty cells after the last tile become transparent
  // again (their top line stays: it is the bottom frame of the tiles above them).
  if (layout.gap > 0 && layout.count > 0) {
    out32.fill(frame);
    if (layout.count < layout.columns * layout.rows) {
      const empty = tileOrigin(layout, layout.count);
      for (let y = empty.y; y < layout.height; y++) out32.fill(0, y * layout.width + empty.x, (y + 1) * layout.width);
    }
  }
  for (let t = 0; t < layout.count; t++) {
    const { x, y } = tileOrigin(layout, t);
    for (let r = 0; r < h; r++) {
      for (let c = 0, i = r * w * channels + t; c < w; c++, i += channels) {
        const k = Math.round((values[i] - domain.lo) * scale);
        // NaN fails both tests and takes the neutral colour.
        const color = lut32[k >= 0 ? (k < steps ? k : steps - 1) : k < 0 ? 0 : nanIndex];
        for (let o = c * zoom, end = o + zoom; o < end; o++) row[o] = color;
      }
      for (let z = 0; z < zoom; z++) out32.set(row, (y + r * zoom + z) * layout.width + x);
    }
  }
  return out;
}

/** Packs RGBA bytes into one 32-bit word in the platform's byte order (as a Uint32Array view reads them). */
function word(rgba: ArrayLike<number>): number {
  return new Uint32Array(Uint8ClampedArray.from(rgba).buffer)[0];
}

/**
 * Paints a 1-D output (dense, softmax, flatten) as bars `barWidth` pixels wide coloured by value:
 * from the bottom for a sequential domain, up or down from the middle line for a diverging one.
 */
export function paintBars(values: ArrayLike<number>, barWidth: number, height: number, domain: ColorDomain): Uint8ClampedArray<ArrayBuffer> {
  const width = values.length * barWidth;
  const out = new Uint8ClampedArray(width * height * 4);
  const out32 = new Uint32Array(out.buffer);
  const lut = lutFor(domain.kind);
  const lut32 = new Uint32Array(lut.buffer, lut.byteOffset, lut.length / 4);
  const base = domain.kind === 'diverging' ? Math.floor(height / 2) : height;
  const span = (domain.kind === 'diverging' ? domain.hi : domain.hi - domain.lo) || 1;
  for (let i = 0; i < values.length; i++) {
    const v = Number.isFinite(values[i]) ? values[i] : 0;
    const size = Math.round((Math.min(Math.abs(v), span) / span) * base);
    const top = v >= 0 ? base - size : base;
    const color = lut32[lutIndex(domain, v, lut32.length)];
    // Direct writes: a 1600-value Flatten at 1 pixel per bar would make 77k tiny fill() calls.
    for (let row = top; row < top + size; row++) {
      for (let o = row * width + i * barWidth, end = o + barWidth; o < end; o++) out32[o] = color;
    }
  }
  return out;
}

const valueFormat = format('.3~r');

/** Writes a value with three significant digits, e.g. 2.3145 -> "2.31", 0 -> "0". */
export function formatValue(v: number): string {
  return Number.isFinite(v) ? valueFormat(Math.abs(v) < 1e-12 ? 0 : v) : '–';
}

/** The accessible name of one layer's figure, e.g. "Layer 1 Conv2D 32 3x3 ReLU: 32 feature maps of 26×26, values 0 to 2.31". */
export function describeOutput(name: string, shape: readonly number[], range: ValueRange): string {
  const values = `values ${formatValue(range.min)} to ${formatValue(range.max)}`;
  if (shape.length === 3) {
    const [h, w, c] = shape;
    return `${name}: ${c} feature map${c === 1 ? '' : 's'} of ${h}×${w}, ${values}`;
  }
  return `${name}: ${shape[0] ?? 0} values, ${values}`;
}

/** Indices of the `n` largest values, largest first (ties keep the lower index first); one pass, no sort. */
export function topIndices(values: ArrayLike<number>, n: number): number[] {
  const top: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v) || (top.length === n && v <= values[top[n - 1]])) continue;
    let at = top.length;
    while (at > 0 && values[top[at - 1]] < v) at--;
    top.splice(at, 0, i);
    if (top.length > n) top.pop();
  }
  return top;
}
