/**
 * Pictures of one time-lapse frame (pure): a conv layer's kernels (averaged over their input
 * channels, one k x k tile per filter, diverging colours) and its feature maps for the probe
 * digit (one tile per channel), as RGBA bytes through the shared tile painter.
 */
import type { QuantizedTensor } from '../runs/timelapse';
import { dequantize } from '../runs/timelapse';
import { colorDomain, paintTiles, robustSymmetricDomain, tileLayout, valueRange } from './feature-maps';

/** RGBA bytes with their size, ready for `new ImageData(rgba, width, height)`. */
export interface TileImage {
  rgba: Uint8ClampedArray<ArrayBuffer>;
  width: number;
  height: number;
}

/** A kernel [k, k, in, out] as k x k x out (channels last), averaged over the input channels. */
export function kernelTiles(q: QuantizedTensor): { values: Float32Array; h: number; w: number; channels: number } {
  const [h = 1, w = 1, inC = 1, outC = 1] = q.shape;
  const all = dequantize(q);
  const values = new Float32Array(h * w * outC);
  for (let p = 0; p < h * w; p++) {
    for (let o = 0; o < outC; o++) {
      let sum = 0;
      for (let i = 0; i < inC; i++) sum += all[(p * inC + i) * outC + o]!;
      values[p * outC + o] = sum / inC;
    }
  }
  return { values, h, w, channels: outC };
}

/** Paints kernels or maps as framed tiles, `columns` across, each value `zoom` pixels wide. */
export function tilesImage(values: Float32Array, h: number, w: number, channels: number, columns: number, zoom: number, signed: boolean): TileImage {
  const layout = tileLayout(channels, w * zoom, h * zoom, columns);
  const domain = signed ? robustSymmetricDomain(values) : colorDomain(valueRange(values));
  return { rgba: paintTiles(values, h, w, channels, layout, domain, zoom), width: layout.width, height: layout.height };
}

/** The kernels of one conv layer in one frame. */
export function kernelImage(q: QuantizedTensor, columns = 16, zoom = 4): TileImage {
  const k = kernelTiles(q);
  return tilesImage(k.values, k.h, k.w, k.channels, columns, zoom, true);
}

/** The feature maps of one conv layer in one frame. */
export function mapImage(q: QuantizedTensor, columns = 16, zoom = 1): TileImage {
  const [h = 1, w = 1, channels = 1] = q.shape;
  return tilesImage(dequantize(q), h, w, channels, columns, zoom, false);
}

/**
 * Where playing a time-lapse of `count` frames starts when the slider is at `at`: from there, or
 * from the first frame when at the last (as a video player does). Null: nothing to play.
 */
export function playStart(at: number, count: number): number | null {
  if (count < 2) return null;
  return at >= count - 1 ? 0 : Math.max(0, at);
}

/** The frame after `at` while playing `count` frames, or null at the end (playing stops there). */
export function playNext(at: number, count: number): number | null {
  return at + 1 < count ? at + 1 : null;
}
