/**
 * What `<cnn-feature-maps>` draws for each layer, computed once per probe result and width:
 * value range, colour domain, tile layout and, on demand, the RGBA bytes of one canvas per layer
 * (colouring is left to the paint so the element can spread it over frames).
 * Plain functions (no Lit) so the element stays a thin template.
 */
import type { LayerSpec } from '../../model/spec';
import { describeLayer } from '../../model/layers';
import type { TensorData } from '../../train/protocol';
import {
  channelStats, colorDomain, columnsFor, describeOutput, formatValue, paintBars, paintTiles, tileLayout, topIndices, valueRange,
  type ChannelStats, type ColorDomain, type TileLayout, type ValueRange,
} from '../../views/feature-maps';

/** At most this many channels per layer are drawn; 256 tiles already fill a wide screen. */
export const MAX_CHANNELS = 256;
/** Height of the bar chart of a 1-D output, in canvas pixels. */
export const BAR_HEIGHT = 48;

/** One layer's output ready to draw. */
export interface LayerView {
  index: number;
  /** "Layer 1 Conv2D 32 3x3 ReLU". */
  name: string;
  shape: number[];
  values: Float32Array;
  range: ValueRange;
  domain: ColorDomain;
  /** The figure's accessible name. */
  label: string;
  /** Text alternative: the strongest channels or units. */
  summary: string;
  /** Maps: tiles of h x w; bars: one bar per value. */
  kind: 'maps' | 'bars';
  /** The canvas's RGBA bytes, coloured on the first call and kept. */
  rgba: () => Uint8ClampedArray<ArrayBuffer>;
  /** Canvas size in canvas pixels and its CSS size. */
  width: number;
  height: number;
  cssWidth: number;
  cssHeight: number;
  /** Maps only. */
  layout: TileLayout | null;
  stats: ChannelStats | null;
  /** Canvas pixels per map pixel (maps) or per bar (bars). */
  scale: number;
}

/** The part of a view that does not depend on how it is drawn. */
type ViewBase = Pick<LayerView, 'index' | 'name' | 'shape' | 'values' | 'range' | 'domain' | 'label'>;

/** A function that computes its value on the first call and returns the same one after. */
function once<T>(compute: () => T): () => T {
  let value: { v: T } | null = null;
  return () => (value ??= { v: compute() }).v;
}

/** Integer zoom that makes an h-pixel map about `target` CSS pixels tall (1..8), smaller tiles for many channels. */
export function tileScale(h: number, channels: number): number {
  const target = channels > 64 ? 30 : 44;
  return Math.max(1, Math.min(8, Math.round(target / Math.max(1, h))));
}

function mapsView(base: ViewBase, available: number): LayerView {
  const [h, w, c] = base.shape as [number, number, number];
  const count = Math.min(c, MAX_CHANNELS);
  const scale = tileScale(h, c);
  // Tiles are zoomed inside the canvas (not by CSS) so the frames between them stay 1 pixel.
  const layout = tileLayout(count, w * scale, h * scale, columnsFor(count, w * scale + 1, available - 1));
  const stats = channelStats(base.values, c);
  const top = topIndices(stats.max, 3).map((ch) => `channel ${ch + 1} (max ${formatValue(stats.max[ch])})`);
  let flat = 0;
  for (let ch = 0; ch < c; ch++) if (stats.max[ch] === stats.min[ch]) flat++;
  const capped = c > count ? ` Showing the first ${count} of ${c} channels.` : '';
  const flatText = flat ? ` ${flat} of ${c} channels are flat (one value everywhere).` : '';
  return {
    ...base, kind: 'maps', layout, stats, scale,
    rgba: once(() => paintTiles(base.values, h, w, c, layout, base.domain, scale)),
    width: layout.width, height: layout.height, cssWidth: layout.width, cssHeight: layout.height,
    summary: `Strongest: ${top.join(', ')}.${flatText}${capped}`,
  };
}

function barsView(base: ViewBase, available: number): LayerView {
  const n = base.values.length;
  const scale = Math.max(1, Math.min(16, Math.floor(available / Math.max(1, n))));
  const top = topIndices(base.values, 3).map((u) => `unit ${u} (${formatValue(base.values[u])})`);
  return {
    ...base, kind: 'bars', layout: null, stats: null, scale,
    rgba: once(() => paintBars(base.values, scale, BAR_HEIGHT, base.domain)),
    width: n * scale, height: BAR_HEIGHT,
    // More values than pixels: the browser shrinks the canvas (smoothly) to the column.
    cssWidth: Math.min(n * scale, available), cssHeight: BAR_HEIGHT,
    summary: `Largest: ${top.join(', ')}.`,
  };
}

/**
 * The drawable view of every layer output that matches its spec layer (and its analysed output
 * shape, when given); `available` is the drawing width in CSS pixels.
 */
export function layerViews(
  layers: readonly LayerSpec[], activations: readonly TensorData[], available: number, shapes?: readonly (number[] | null)[],
): LayerView[] {
  const views: LayerView[] = [];
  activations.forEach((tensor, index) => {
    const layer = layers[index];
    const size = tensor.shape.reduce((a, b) => a * b, 1);
    // A result from an older spec (the stack was edited since) must not be drawn with new shapes.
    const expected = shapes?.[index];
    if (!layer || size !== tensor.values.length || (tensor.shape.length !== 3 && tensor.shape.length !== 1)) return;
    if (expected && expected.join('x') !== tensor.shape.join('x')) return;
    const name = `Layer ${index + 1} ${describeLayer(layer)}`;
    const range = valueRange(tensor.values);
    const base = { index, name, shape: tensor.shape, values: tensor.values, range, domain: colorDomain(range), label: describeOutput(name, tensor.shape, range) };
    views.push(tensor.shape.length === 3 ? mapsView(base, available) : barsView(base, available));
  });
  return views;
}
