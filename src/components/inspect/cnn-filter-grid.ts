/**
 * `<cnn-filter-grid>`: every conv layer's kernels as images, updated live during training. The
 * first layer (one input channel) is a row of k x k tiles, one per filter; deeper layers are an
 * in x out grid (row = input channel, column = filter), e.g. 2048 3x3 tiles for 32 -> 64, all
 * painted through ImageData into one canvas per layer. Weights use a diverging scale centred on 0,
 * per layer. Work happens only when the snapshot object (or the width) changes, and the painting
 * is spread over frames (see CanvasPaintController).
 */
import { css, html, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { describeLayer } from '../../model/layers';
import type { SpecAnalysis } from '../../model/shapes';
import type { LayerSpec } from '../../model/spec';
import type { FilterSnapshot, TensorData } from '../../train/protocol';
import { columnsFor, formatValue, paintTiles, robustSymmetricDomain, tileLayout, valueRange } from '../../views/feature-maps';
import { formatNumber } from '../../views/format';
import { CanvasPaintController } from '../shared/canvas-paint-controller';
import { TurnTakingElement } from '../shared/frame-turns';

/** At most this many kernel tiles per layer (64 x 64): a bigger grid is cut to its first input channels. */
export const MAX_KERNEL_TILES = 4096;

interface KernelView {
  index: number;
  name: string;
  label: string;
  note: string;
  /** Colours the kernels; called by the frame painter, at most once per view. */
  paint: () => Uint8ClampedArray<ArrayBuffer>;
  width: number;
  height: number;
}

/** Lays out and paints one layer's kernel [k, k, in, out] for a column `available` CSS pixels wide. */
function kernelView(index: number, name: string, kernel: TensorData, available: number): KernelView | null {
  const [k, k2, inputs, outputs] = kernel.shape;
  if (kernel.shape.length !== 4 || k !== k2 || k * k * inputs * outputs !== kernel.values.length) return null;
  const range = valueRange(kernel.values);
  const domain = robustSymmetricDomain(kernel.values);
  const weights = `weights ${formatValue(range.min)} to ${formatValue(range.max)}`;
  // [k, k, in, out] is an HWC tensor with in*out channels, channel = i*out + o: with `out`
  // columns the rows are the input channels.
  let zoom: number;
  let layout;
  let note: string;
  if (inputs === 1) {
    zoom = Math.max(1, Math.min(8, Math.round(26 / k)));
    layout = tileLayout(outputs, k * zoom, k * zoom, columnsFor(outputs, k * zoom + 1, available - 1));
    note = `${outputs} filters of ${k}×${k}`;
  } else {
    const rows = Math.max(1, Math.min(inputs, Math.floor(MAX_KERNEL_TILES / outputs)));
    zoom = Math.max(1, Math.min(6, Math.floor(((available - 1) / outputs - 1) / k)));
    layout = tileLayout(rows * outputs, k * zoom, k * zoom, outputs);
    const cut = rows < inputs ? ` (first ${rows} of ${inputs} input channels)` : '';
    note = `${inputs} × ${outputs} kernels of ${k}×${k}: row = input channel, column = filter${cut}`;
  }
  return {
    index, name, note,
    label: `${name}: ${note}, ${weights}; blue negative, red positive, full colour at ±${formatValue(domain.hi)}`,
    paint: () => paintTiles(kernel.values, k, k, inputs * outputs, layout, domain, zoom),
    width: layout.width,
    height: layout.height,
  };
}

/** Kernel images of every conv layer in a filter snapshot. */
@customElement('cnn-filter-grid')
export class CnnFilterGrid extends TurnTakingElement {
  /** The latest kernels; a new object re-renders. */
  @property({ attribute: false }) filters: FilterSnapshot | null = null;
  /** Shapes of the trained spec, to skip kernels that no longer match it. */
  @property({ attribute: false }) analysis: SpecAnalysis | null = null;
  /** Layers of the trained spec, for names. */
  @property({ attribute: false }) layers: readonly LayerSpec[] = [];

  @state() private available = 480;
  #views: KernelView[] = [];
  #canvases = new CanvasPaintController(this, () => this.available, (width) => (this.available = width));

  static override styles = css`
    :host { display: block; min-width: 0; font: 12px/1.35 system-ui, sans-serif; color: var(--cnn-fg, #1f2328); }
    .caption { margin: 0 0 8px; color: var(--cnn-muted, #6b7280); font-variant-numeric: tabular-nums; }
    figure { margin: 0 0 12px; }
    figcaption { margin-bottom: 4px; }
    figcaption strong { font-weight: 600; }
    figcaption span { color: var(--cnn-muted, #6b7280); }
    canvas { display: block; max-width: 100%; image-rendering: pixelated; }
    .empty { color: var(--cnn-muted, #6b7280); margin: 0; }
  `;

  protected override willUpdate(changed: PropertyValues): void {
    if (!['filters', 'analysis', 'layers', 'available'].some((key) => changed.has(key))) return;
    this.#views = (this.filters?.layers ?? []).flatMap(({ index, kernel }) => {
      const layer = this.layers[index];
      const expected = this.analysis?.layers[index];
      // After an edit the snapshot may describe an older stack: skip kernels that no longer fit.
      const [k, , inputs, outputs] = kernel.shape;
      if (!layer || layer.kind !== 'conv2d' || layer.kernelSize !== k || layer.filters !== outputs) return [];
      if (expected && expected.inputShape[2] !== inputs) return [];
      return kernelView(index, `Layer ${index + 1} ${describeLayer(layer)}`, kernel, this.available) ?? [];
    });
  }

  protected override updated(): void {
    // Queued on the frame painter, not painted here: a snapshot of a 32 -> 64 layer is 2048 tiles.
    for (const canvas of this.renderRoot.querySelectorAll<HTMLCanvasElement>('canvas[data-layer]')) {
      const view = this.#views.find((v) => v.index === Number(canvas.dataset.layer));
      if (!view) continue;
      this.#canvases.queue(canvas, view, () => canvas.getContext('2d')?.putImageData(new ImageData(view.paint(), view.width, view.height), 0, 0));
    }
  }

  protected override render() {
    const f = this.filters;
    if (!f) return html`<p class="empty">Filters appear once training starts.</p>`;
    if (!this.#views.length) return html`<p class="empty">This network has no convolution layers, so there are no filters to show.</p>`;
    return html`<section aria-label="Convolution filters">
      <p class="caption">Step ${formatNumber(f.step)} · ${formatNumber(f.examplesSeen)} examples seen · blue negative, red positive</p>
      ${this.#views.map((v) => html`<figure aria-label=${v.label}>
        <figcaption><strong>${v.name}</strong> <span>${v.note}</span></figcaption>
        <canvas data-layer=${v.index} width=${v.width} height=${v.height} style="width:${v.width}px" role="img" aria-label=${v.label}></canvas>
      </figure>`)}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cnn-filter-grid': CnnFilterGrid;
  }
}
