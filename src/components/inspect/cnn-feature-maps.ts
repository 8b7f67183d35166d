/**
 * `<cnn-feature-maps>`: every layer's output for one input. Image-shaped outputs are one tile per
 * channel, all drawn through ImageData into one canvas per layer (fast for 64+ channels and 8+
 * layers), a few canvases per frame; flat outputs (dense, softmax, flatten) are bars. Colours:
 * sequential for outputs that are never negative, diverging around 0 for signed ones. Click (or arrow keys on) a layer's maps
 * to enlarge one channel with its value range.
 */
import { css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { SpecAnalysis } from '../../model/shapes';
import type { LayerSpec } from '../../model/spec';
import type { ProbeResult } from '../../train/protocol';
import { extractChannel, formatValue, paintTiles, tileAt, tileLayout, tileOrigin } from '../../views/feature-maps';
import { CanvasPaintController } from '../shared/canvas-paint-controller';
import { layerViews, type LayerView } from './feature-map-views';
import { TurnTakingElement } from '../shared/frame-turns';

/** The channel (or unit) shown enlarged. */
interface Selection {
  layer: number;
  channel: number;
}

const DETAIL_CSS = 168;
const detailZoom = (h: number, w: number): number => Math.max(1, Math.floor(DETAIL_CSS / Math.max(h, w)));

/** Feature maps of every layer for one probe result. */
@customElement('cnn-feature-maps')
export class CnnFeatureMaps extends TurnTakingElement {
  /** Shapes of the spec the probe ran on (a mismatching output is skipped, never mis-drawn). */
  @property({ attribute: false }) analysis: SpecAnalysis | null = null;
  /** The layers of that spec, for names such as "Conv2D 32 3x3 ReLU". */
  @property({ attribute: false }) layers: readonly LayerSpec[] = [];
  /** Every layer's output for the input; null draws a placeholder. */
  @property({ attribute: false }) probe: ProbeResult | null = null;

  @state() private selected: Selection | null = null;
  @state() private available = 640;
  #views: LayerView[] = [];
  /** Columns follow the element's width (a resize repaints, which is rare). Each canvas shows a
   *  layer view, or the enlarged channel's bytes. */
  #canvases = new CanvasPaintController(this, () => this.available, (width) => (this.available = width));
  /** The enlarged channel's bytes, kept while the same channel of the same probe stays selected. */
  #detailCache: { key: string; rgba: Uint8ClampedArray<ArrayBuffer> } | null = null;

  static override styles = css`
    :host { display: block; min-width: 0; font: 12px/1.35 system-ui, sans-serif; color: var(--cnn-fg, #1f2328); }
    /* Each layer lays out and paints on its own; off-screen layers skip rendering until scrolled to. */
    figure { margin: 0 0 14px; contain: layout paint; content-visibility: auto; contain-intrinsic-size: auto 240px; }
    .head { display: flex; gap: 8px; align-items: baseline; flex-wrap: wrap; margin-bottom: 4px; }
    .name { font-weight: 600; font-size: 12.5px; }
    .meta, .summary { color: var(--cnn-muted, #6b7280); font-variant-numeric: tabular-nums; }
    .summary { margin: 3px 0 0; font-size: 11.5px; }
    canvas { display: block; max-width: 100%; image-rendering: pixelated; cursor: pointer; border-radius: 2px; }
    canvas.bars { image-rendering: auto; background: color-mix(in srgb, var(--cnn-muted, #6b7280) 8%, transparent); }
    .plot { position: relative; width: fit-content; max-width: 100%; }
    .mark { position: absolute; box-sizing: border-box; outline: 2px solid var(--cnn-accent, #2563eb); pointer-events: none; }
    canvas:focus-visible { outline: 2px solid var(--cnn-accent, #2563eb); outline-offset: 2px; }
    .ticks { display: grid; color: var(--cnn-muted, #6b7280); font-size: 10px; text-align: center; }
    .detail { display: flex; gap: 12px; align-items: flex-start; margin-top: 8px; padding: 8px;
      border: 1px solid var(--cnn-border, #e3e5ee); border-radius: 8px; background: var(--cnn-bg, #f8f9fb); }
    .detail canvas { cursor: default; }
    .detail p { margin: 0 0 4px; font-variant-numeric: tabular-nums; }
    .detail button { font: inherit; border: 1px solid var(--cnn-border, #d0d4dc); border-radius: 6px;
      background: var(--cnn-surface, #fff); color: inherit; padding: 2px 10px; cursor: pointer; }
    .empty { color: var(--cnn-muted, #6b7280); margin: 0; }
  `;

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('probe') || changed.has('layers') || changed.has('analysis') || changed.has('available')) {
      const shapes = this.analysis?.layers.map((l) => l.outputShape);
      this.#views = this.probe ? layerViews(this.layers, this.probe.activations, this.available, shapes) : [];
      this.#detailCache = null;
      const s = this.selected;
      const view = s && this.#views.find((v) => v.index === s.layer);
      if (s && (!view || s.channel >= (view.kind === 'maps' ? view.shape[2] : view.shape[0]))) this.selected = null;
    }
  }

  protected override updated(): void {
    // Only canvases whose image changed are repainted (a new probe or a new width). The layer
    // canvases are queued on the frame painter, a few per frame: a probe repaints every layer,
    // the first one with cold code, and doing that here lengthened the task that handles the
    // probe message. The enlarged channel is one small image the user just asked for: drawn at once.
    for (const canvas of this.renderRoot.querySelectorAll<HTMLCanvasElement>('canvas[data-layer]')) {
      const view = this.#views.find((v) => v.index === Number(canvas.dataset.layer));
      if (!view) continue;
      if (canvas.classList.contains('enlarged')) {
        const rgba = this.#detailRgba(view);
        if (!rgba || this.#canvases.shows(canvas, rgba)) continue;
        canvas.getContext('2d')?.putImageData(new ImageData(rgba, canvas.width, canvas.height), 0, 0);
      } else {
        this.#canvases.queue(canvas, view, () => canvas.getContext('2d')?.putImageData(new ImageData(view.rgba(), view.width, view.height), 0, 0));
      }
    }
  }

  /** One channel alone, in the layer's colour domain so it compares with the tiles. */
  #detailRgba(view: LayerView): Uint8ClampedArray<ArrayBuffer> | null {
    const s = this.selected;
    if (!s || view.kind !== 'maps') return null;
    const key = `${view.index}:${s.channel}`;
    if (this.#detailCache?.key !== key) {
      const [h, w] = view.shape as [number, number, number];
      const zoom = detailZoom(h, w);
      const channel = extractChannel(view.values, view.shape, s.channel);
      this.#detailCache = { key, rgba: paintTiles(channel, h, w, 1, tileLayout(1, w * zoom, h * zoom, 1, 0), view.domain, zoom) };
    }
    return this.#detailCache.rgba;
  }

  #select(view: LayerView, channel: number): void {
    const count = view.kind === 'maps' ? Math.min(view.shape[2], view.layout!.count) : view.shape[0];
    this.#detailCache = null;
    this.selected = { layer: view.index, channel: ((channel % count) + count) % count };
  }

  #handleClick(view: LayerView, event: MouseEvent): void {
    const canvas = event.currentTarget as HTMLCanvasElement;
    const rect = canvas.getBoundingClientRect();
    const x = ((event.clientX - rect.left) / rect.width) * canvas.width;
    const y = ((event.clientY - rect.top) / rect.height) * canvas.height;
    const hit = view.layout ? tileAt(view.layout, x, y) : Math.floor(x / view.scale);
    if (hit >= 0) this.#select(view, hit);
  }

  #handleKey(view: LayerView, event: KeyboardEvent): void {
    const current = this.selected?.layer === view.index ? this.selected.channel : -1;
    const step = { ArrowRight: 1, ArrowDown: view.layout?.columns ?? 1, ArrowLeft: -1, ArrowUp: -(view.layout?.columns ?? 1) }[event.key];
    if (step !== undefined) this.#select(view, current < 0 ? 0 : current + step);
    else if (event.key === 'Enter' || event.key === ' ') this.#select(view, Math.max(0, current));
    else if (event.key === 'Escape') this.selected = null;
    else return;
    event.preventDefault();
  }

  #detail(view: LayerView) {
    const s = this.selected;
    if (!s || s.layer !== view.index) return nothing;
    const close = html`<button type="button" @click=${() => (this.selected = null)}>Close</button>`;
    if (view.kind === 'bars') {
      return html`<div class="detail" role="status"><div><p>Unit ${s.channel} of ${view.shape[0]}: <strong>${formatValue(view.values[s.channel])}</strong></p>${close}</div></div>`;
    }
    const [h, w, c] = view.shape;
    const stats = view.stats!;
    const zoom = detailZoom(h, w);
    return html`<div class="detail" role="status">
      <canvas class="enlarged" data-layer=${view.index} width=${w * zoom} height=${h * zoom}
        role="img" aria-label="Channel ${s.channel + 1} of ${c}, enlarged"></canvas>
      <div>
        <p><strong>Channel ${s.channel + 1}</strong> of ${c} · ${h}×${w}</p>
        <p>min ${formatValue(stats.min[s.channel])} · max ${formatValue(stats.max[s.channel])} · mean ${formatValue(stats.mean[s.channel])}</p>
        <p class="meta">Colours span the whole layer: ${formatValue(view.domain.lo)} to ${formatValue(view.domain.hi)}.</p>
        ${close}
      </div>
    </div>`;
  }

  /** Outlines the selected tile or bar; percentages keep it in place when CSS shrinks the canvas. */
  #marker(view: LayerView) {
    const s = this.selected;
    if (!s || s.layer !== view.index) return nothing;
    const box = view.layout
      ? { ...tileOrigin(view.layout, s.channel), w: view.layout.tileWidth, h: view.layout.tileHeight }
      : { x: s.channel * view.scale, y: 0, w: view.scale, h: view.height };
    const pct = (v: number, of: number) => `${(v / of) * 100}%`;
    return html`<span class="mark" aria-hidden="true" style="left:${pct(box.x, view.width)};top:${pct(box.y, view.height)};width:${pct(box.w, view.width)};height:${pct(box.h, view.height)}"></span>`;
  }

  #figure(view: LayerView) {
    const n = view.shape[view.shape.length - 1];
    const meta = view.kind === 'maps' ? `${n} maps · ${view.shape[0]}×${view.shape[1]}` : `${n} values`;
    const ticks = view.kind === 'bars' && n <= 16
      ? html`<div class="ticks" aria-hidden="true" style="grid-template-columns:repeat(${n}, ${view.scale}px)">${Array.from({ length: n }, (_, i) => html`<span>${i}</span>`)}</div>`
      : nothing;
    return html`<figure aria-label=${view.label} data-testid="layer-output">
      <div class="head"><span class="name">${view.name}</span>
        <span class="meta">${meta} · ${formatValue(view.range.min)} to ${formatValue(view.range.max)} · ${view.domain.kind}</span></div>
      <div class="plot">
      <canvas class=${view.kind} data-layer=${view.index} width=${view.width} height=${view.height} tabindex="0"
        style="width:${view.cssWidth}px;height:${view.kind === 'maps' ? 'auto' : `${view.cssHeight}px`}" role="img" aria-label=${view.label}
        title="Click a ${view.kind === 'maps' ? 'map' : 'bar'} to enlarge it"
        @click=${(e: MouseEvent) => this.#handleClick(view, e)} @keydown=${(e: KeyboardEvent) => this.#handleKey(view, e)}></canvas>
      ${this.#marker(view)}</div>
      ${ticks}
      <figcaption class="summary">${view.summary}</figcaption>
      ${this.#detail(view)}
    </figure>`;
  }

  protected override render() {
    if (!this.probe) return html`<p class="empty">Choose an input to see every layer's output.</p>`;
    if (!this.#views.length) return html`<p class="empty">These outputs belong to an older version of the network; probe again.</p>`;
    return html`<section aria-label="Feature maps, layer by layer">${this.#views.map((v) => this.#figure(v))}</section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cnn-feature-maps': CnnFeatureMaps;
  }
}
