/**
 * `<cnn-training-curves>`: a line chart of one metric (loss or accuracy) against examples seen,
 * with the raw batch series, its smoothed version and validation points at epoch ends.
 * Property-driven: geometry comes from the pure `curveGeometry`, Lit only draws the strings.
 */
import { css, html, nothing, svg, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { BatchPoint, EpochPoint } from '../../train/protocol';
import { serializeSvg } from '../shared/chart-export';
import '../shared/cnn-chart-save';
import { curveGeometry, type CurveGeometry, type CurveMetric } from '../../views/curves';
import { formatMetric, formatNumber, formatPercent } from '../../views/format';
import { TurnTakingElement } from '../shared/frame-turns';

/** Detail of `cnn-smoothing-change`, fired when the user moves the smoothing slider. */
export interface SmoothingChangeDetail {
  smoothing: number;
}

const GEOMETRY_INPUTS = ['batches', 'epochs', 'metric', 'smoothing', 'height', 'chartWidth'] as const;

/** A responsive SVG chart of training and validation curves for one metric. */
@customElement('cnn-training-curves')
export class CnnTrainingCurves extends TurnTakingElement {
  /** Every batch point of the run so far (may reach tens of thousands; drawing is decimated). */
  @property({ attribute: false }) batches: readonly BatchPoint[] = [];
  /** One point per finished epoch; validation values may be NaN. */
  @property({ attribute: false }) epochs: readonly EpochPoint[] = [];
  /** Which metric to draw. */
  @property() metric: CurveMetric = 'loss';
  /** EMA smoothing weight 0..0.99 of the training line; the slider changes it. */
  @property({ type: Number }) smoothing = 0.6;
  /** Chart height in pixels; the width follows the element's width. */
  @property({ type: Number }) height = 260;

  @state() private chartWidth = 480;
  #geometry?: CurveGeometry;
  #resize?: ResizeObserver;

  static override styles = css`
    :host { display: block; min-width: 0; font: 12px/1.4 system-ui, sans-serif; color: var(--cnn-fg, #1f2328); }
    figure { margin: 0; }
    .head { display: flex; justify-content: space-between; align-items: baseline; gap: 8px; flex-wrap: wrap; }
    .title { font-weight: 600; font-size: 13px; text-transform: capitalize; }
    .latest { color: var(--cnn-muted, #6b7280); font-variant-numeric: tabular-nums; }
    /* 100% width keeps the SVG compressible in grid/flex parents, so the observer sees them shrink. */
    svg { display: block; overflow: visible; width: 100%; height: auto; }
    .grid line { stroke: var(--cnn-muted, #6b7280); stroke-opacity: 0.16; }
    .axis line, .axis path { stroke: var(--cnn-muted, #6b7280); stroke-opacity: 0.6; }
    text { fill: var(--cnn-muted, #6b7280); font-size: 11px; font-variant-numeric: tabular-nums; }
    text.label { font-size: 12px; }
    path { fill: none; stroke-linejoin: round; stroke-linecap: round; }
    .raw { stroke: var(--cnn-train, #2563eb); stroke-opacity: 0.16; stroke-width: 1; }
    .smooth { stroke: var(--cnn-train, #2563eb); stroke-width: 2.25; }
    .val { stroke: var(--cnn-val, #ea580c); stroke-width: 1.5; stroke-dasharray: 4 3; }
    circle { fill: var(--cnn-val, #ea580c); stroke: var(--cnn-bg, #fff); stroke-width: 1.5; }
    .empty { font-size: 12px; text-anchor: middle; }
    .controls { display: flex; justify-content: space-between; align-items: center; gap: 12px; flex-wrap: wrap; }
    ul { display: flex; flex-wrap: wrap; gap: 2px 12px; list-style: none; margin: 0; padding: 0; color: var(--cnn-muted, #6b7280); }
    li { display: flex; align-items: center; gap: 5px; white-space: nowrap; }
    .swatch { width: 16px; height: 0; border-top: 2px solid var(--cnn-train, #2563eb); }
    .swatch.raw { opacity: 0.3; border-top-width: 1px; }
    .swatch.val { border-top: 2px dashed var(--cnn-val, #ea580c); position: relative; }
    .swatch.val::after { content: ''; position: absolute; left: 5px; top: -4.5px; width: 6px; height: 6px;
      border-radius: 50%; background: var(--cnn-val, #ea580c); }
    label { display: flex; align-items: center; gap: 6px; color: var(--cnn-muted, #6b7280); }
    input[type='range'] { width: 110px; accent-color: var(--cnn-accent, #2563eb); }
    output { font-variant-numeric: tabular-nums; min-width: 2.2em; }
    .visually-hidden { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px;
      overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
  `;

  override connectedCallback(): void {
    super.connectedCallback();
    // Follow the element's width so the chart fills its column; height stays a property.
    this.#resize = new ResizeObserver(([entry]) => {
      const width = Math.round(entry.contentRect.width);
      if (width > 0 && width !== this.chartWidth) this.chartWidth = width;
    });
    this.#resize.observe(this);
  }

  override disconnectedCallback(): void {
    this.#resize?.disconnect();
    super.disconnectedCallback();
  }

  // Updates take a turn (frame-turns.ts), so at most one render per frame: progress messages can
  // arrive faster than the screen refreshes, and each render walks every batch point.
  // A curve update redraws a few paths, twice a second: a light frame that needs no pause of the
  // workers (pausing them for it cost about 10% of training speed with the curves on screen).
  protected override readonly pausesTraining = false;

  protected override willUpdate(changed: PropertyValues): void {
    // Recompute only when an input changed, so unrelated updates cost nothing.
    if (!this.#geometry || GEOMETRY_INPUTS.some((key) => changed.has(key))) {
      this.#geometry = curveGeometry({
        batches: this.batches,
        epochs: this.epochs,
        metric: this.metric,
        width: this.chartWidth,
        height: this.height,
        smoothing: this.smoothing,
      });
    }
  }

  #format(value: number | undefined): string {
    if (value === undefined) return '–';
    return this.metric === 'loss' ? formatMetric(value) : formatPercent(value);
  }

  #latestText(g: CurveGeometry): string {
    const parts = [`train ${this.metric} ${this.#format(g.latest.train)}`];
    if (g.latest.val !== undefined) parts.push(`val ${this.metric} ${this.#format(g.latest.val)}`);
    return parts.join(' · ');
  }

  #summary(g: CurveGeometry): string {
    if (!this.batches.length) return `${this.metric} chart: no training data yet`;
    const seen = formatNumber(this.batches[this.batches.length - 1].examplesSeen);
    const epochText = this.epochs.length ? ` after ${this.epochs.length} epochs` : '';
    return `${this.metric} over ${seen} examples seen${epochText}: ${this.#latestText(g)}`;
  }

  #handleSmoothing(event: Event): void {
    this.smoothing = Number((event.target as HTMLInputElement).value);
    this.dispatchEvent(
      new CustomEvent<SmoothingChangeDetail>('cnn-smoothing-change', {
        detail: { smoothing: this.smoothing },
        bubbles: true,
        composed: true,
      }),
    );
  }

  #axes(g: CurveGeometry) {
    const { plot } = g;
    return svg`
      <g class="grid">${g.yTicks.map((t) => svg`<line x1=${plot.left} x2=${plot.right} y1=${t.y} y2=${t.y}></line>`)}</g>
      <g class="axis">
        <line x1=${plot.left} x2=${plot.right} y1=${plot.bottom} y2=${plot.bottom}></line>
        ${g.xTicks.map((t) => svg`<line x1=${t.x} x2=${t.x} y1=${plot.bottom} y2=${plot.bottom + 4}></line>
          <text x=${t.x} y=${plot.bottom + 15} text-anchor="middle">${t.label}</text>`)}
        ${g.yTicks.map((t) => svg`<text x=${plot.left - 6} y=${t.y} dy="0.32em" text-anchor="end">${t.label}</text>`)}
      </g>
      <text class="label" x=${(plot.left + plot.right) / 2} y=${plot.bottom + 31} text-anchor="middle">${g.xLabel}</text>
      <text class="label" transform="translate(11 ${(plot.top + plot.bottom) / 2}) rotate(-90)" text-anchor="middle">${g.yLabel}</text>`;
  }

  #lines(g: CurveGeometry) {
    const { plot } = g;
    if (!this.batches.length && !g.valPoints.length) {
      return svg`<text class="empty" x=${(plot.left + plot.right) / 2} y=${(plot.top + plot.bottom) / 2}>Waiting for the first batch…</text>`;
    }
    return svg`
      <path class="raw" d=${g.trainRawPath}></path>
      <path class="smooth" d=${g.trainSmoothPath}></path>
      <path class="val" d=${g.valPath}></path>
      ${g.valPoints.map((p) => svg`<circle cx=${p.x} cy=${p.y} r="3.5"><title>epoch ${p.epoch}: val ${this.metric} ${this.#format(p.value)}</title></circle>`)}`;
  }

  #table() {
    if (!this.epochs.length) return nothing;
    const value = (e: EpochPoint, split: 'train' | 'val') =>
      this.#format(this.metric === 'loss' ? (split === 'train' ? e.trainLoss : e.valLoss) : split === 'train' ? e.trainAccuracy : e.valAccuracy);
    // The wrapper, not the table, is clipped: a table never shrinks below its content width.
    return html`<div class="visually-hidden"><table>
      <caption>${this.metric} per epoch</caption>
      <thead><tr><th scope="col">epoch</th><th scope="col">examples seen</th><th scope="col">train ${this.metric}</th><th scope="col">val ${this.metric}</th></tr></thead>
      <tbody>${this.epochs.map((e) => html`<tr><td>${e.epoch}</td><td>${formatNumber(e.examplesSeen)}</td><td>${value(e, 'train')}</td><td>${value(e, 'val')}</td></tr>`)}</tbody>
    </table></div>`;
  }

  #svgText = (): string | null => {
    const chart = this.renderRoot.querySelector('svg');
    return chart && this.batches.length ? serializeSvg(chart) : null;
  };

  protected override render() {
    const g = this.#geometry!;
    const w = this.chartWidth;
    return html`<figure aria-label="${this.metric} curves">
      <figcaption class="head">
        <span class="title">${this.metric}</span>
        <span class="latest">${this.#latestText(g)}</span>
        <cnn-chart-save name=${`${this.metric}-curves`} label=${`${this.metric} chart`} .chart=${this.#svgText}></cnn-chart-save>
      </figcaption>
      <svg role="img" aria-label=${this.#summary(g)} width=${w} height=${this.height} viewBox="0 0 ${w} ${this.height}">
        ${this.#axes(g)}${this.#lines(g)}
      </svg>
      <div class="controls">
        <ul aria-label="legend">
          <li><span class="swatch raw"></span>train (batch)</li>
          <li><span class="swatch"></span>train (smoothed)</li>
          <li><span class="swatch val"></span>validation</li>
        </ul>
        <label>smoothing
          <input type="range" min="0" max="0.99" step="0.01" .value=${String(this.smoothing)} @input=${this.#handleSmoothing} />
          <output>${this.smoothing.toFixed(2)}</output>
        </label>
      </div>
      ${this.#table()}
    </figure>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cnn-training-curves': CnnTrainingCurves;
  }
}
