/**
 * `<cnn-layer-health>`: per layer, sparklines over training of the activation distribution
 * (5-95% and 25-75% quantile bands, median line), the fraction of dead ReLU units, and the weight
 * and gradient norms (log scale), with plain warnings when a layer is mostly dead or its gradients
 * vanish or explode. Geometry comes from views/health.ts (d3); Lit only draws the strings.
 */
import { css, html, nothing, svg, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { composeSvg } from '../shared/chart-export';
import '../shared/cnn-chart-save';
import { describeLayer } from '../../model/layers';
import type { SpecAnalysis } from '../../model/shapes';
import type { LayerSpec } from '../../model/spec';
import type { HealthSnapshot } from '../../train/protocol';
import { formatValue } from '../../views/feature-maps';
import { formatNumber, formatPercent } from '../../views/format';
import {
  bandPaths, deadPath, healthWarnings, historyDomain, layerName, layerSeries, normPaths, thinPoints,
  type BandPaths, type HealthPoint, type HealthWarning, type NormPaths,
} from '../../views/health';
import { TurnTakingElement } from '../shared/frame-turns';

const SIZE = { width: 120, height: 40, pad: 2 };

interface LayerRow {
  index: number;
  name: string;
  latest: HealthPoint;
  bands: BandPaths;
  dead: string | null;
  norms: NormPaths | null;
}

/** Health sparklines of every layer in the history, with warnings. */
@customElement('cnn-layer-health')
export class CnnLayerHealth extends TurnTakingElement {
  /** Health snapshots, oldest first (the store keeps the last few hundred). */
  @property({ attribute: false }) health: readonly HealthSnapshot[] = [];
  /** Analysis of the trained spec (its layer count bounds the rows). */
  @property({ attribute: false }) analysis: SpecAnalysis | null = null;
  /** Layers of the trained spec, for names. */
  @property({ attribute: false }) layers: readonly LayerSpec[] = [];

  #rows: LayerRow[] = [];
  #warnings: HealthWarning[] = [];

  static override styles = css`
    :host { display: block; min-width: 0; font: 12px/1.35 system-ui, sans-serif; color: var(--cnn-fg, #1f2328); }
    .warnings { margin: 0 0 10px; padding: 0; list-style: none; display: grid; gap: 4px; }
    .warnings li { padding: 6px 8px; border-radius: 6px; border-left: 3px solid var(--cnn-bad, #dc2626);
      background: color-mix(in srgb, var(--cnn-bad, #dc2626) 8%, transparent); }
    .ok { color: var(--cnn-muted, #6b7280); margin: 0 0 10px; }
    .row { margin-bottom: 10px; contain: layout paint; content-visibility: auto; contain-intrinsic-size: auto 80px; }
    .row.flagged .name { color: var(--cnn-bad, #dc2626); }
    .name { font-weight: 600; margin-bottom: 2px; }
    .charts { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 8px; }
    figure { margin: 0; min-width: 0; }
    figcaption { color: var(--cnn-muted, #6b7280); font-size: 11px; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
    svg { display: block; width: 100%; height: 40px; background: color-mix(in srgb, var(--cnn-muted, #6b7280) 6%, transparent); border-radius: 3px; }
    path { vector-effect: non-scaling-stroke; }
    .outer { fill: var(--cnn-accent, #2563eb); fill-opacity: 0.16; }
    .inner { fill: var(--cnn-accent, #2563eb); fill-opacity: 0.32; }
    .median, .weight, .grad, .dead { fill: none; stroke-width: 1.5; }
    .median { stroke: var(--cnn-accent, #2563eb); }
    .dead { stroke: var(--cnn-bad, #dc2626); }
    .weight { stroke: var(--cnn-fg, #1f2328); }
    .grad { stroke: var(--cnn-val, #ea580c); }
    .key { color: var(--cnn-val, #ea580c); }
    .legend { color: var(--cnn-muted, #6b7280); font-size: 11px; margin-bottom: 8px; position: sticky; top: 0; }
    .empty { color: var(--cnn-muted, #6b7280); margin: 0; }
  `;

  protected override willUpdate(changed: PropertyValues): void {
    if (!changed.has('health') && !changed.has('layers') && !changed.has('analysis')) return;
    const latest = this.health[this.health.length - 1];
    const names = this.layers.map((l) => describeLayer(l));
    const count = this.analysis?.layers.length ?? names.length;
    const xDomain = historyDomain(this.health);
    this.#rows = (latest?.layers ?? []).filter((l) => l.index < count).map((l) => {
      const all = layerSeries(this.health, l.index);
      const points = thinPoints(all, SIZE.width);
      return {
        index: l.index,
        name: layerName(l.index, names[l.index] ?? 'layer'),
        latest: all[all.length - 1]!,
        bands: bandPaths(points, xDomain, SIZE),
        dead: l.deadFraction === null ? null : deadPath(points, xDomain, SIZE),
        norms: l.weightNorm === null ? null : normPaths(points, xDomain, SIZE),
      };
    });
    this.#warnings = healthWarnings(this.health, names);
  }

  #chart(label: string, caption: unknown, paths: unknown) {
    return html`<figure>
      <svg viewBox="0 0 ${SIZE.width} ${SIZE.height}" preserveAspectRatio="none" role="img" aria-label=${label}>${paths}</svg>
      <figcaption>${caption}</figcaption>
    </figure>`;
  }

  #row(row: LayerRow) {
    const q = row.latest.quantiles;
    const act = `median ${formatValue(q[2])} (5–95%: ${formatValue(q[0])} to ${formatValue(q[4])})`;
    const flagged = this.#warnings.some((w) => w.index === row.index);
    const dead = row.dead === null ? null : formatPercent(row.latest.dead ?? NaN, 0);
    const norms = row.norms ? `‖w‖ ${formatValue(row.latest.weightNorm ?? NaN)} · ‖∇‖ ${formatValue(row.latest.gradNorm ?? NaN)}` : null;
    return html`<div class="row ${flagged ? 'flagged' : ''}" role="group" aria-label=${row.name}>
      <div class="name">${row.name}</div>
      <div class="charts">
        ${this.#chart(`${row.name} activations over training: ${act}`, act, svg`
          <path class="outer" d=${row.bands.outer}></path><path class="inner" d=${row.bands.inner}></path>
          <path class="median" d=${row.bands.median}></path>`)}
        ${dead === null ? html`<span></span>` : this.#chart(`${row.name} dead units over training: ${dead} now`, `dead units: ${dead}`,
          svg`<path class="dead" d=${row.dead}></path>`)}
        ${norms === null ? nothing : this.#chart(`${row.name} weight and gradient norms (log scale): ${norms}`,
          html`‖w‖ ${formatValue(row.latest.weightNorm ?? NaN)} · <span class="key">‖∇‖ ${formatValue(row.latest.gradNorm ?? NaN)}</span>`,
          svg`<path class="weight" d=${row.norms!.weight}></path><path class="grad" d=${row.norms!.grad}></path>`)}
      </div>
    </div>`;
  }

  /** All rows of sparklines as one figure, a row per layer. */
  #svgText = (): string | null => {
    const rows = [...this.renderRoot.querySelectorAll<HTMLElement>('.row')].map((row) => ({
      title: row.getAttribute('aria-label') ?? '',
      charts: [...row.querySelectorAll<SVGSVGElement>('svg')],
    }));
    return rows.length ? composeSvg(rows, { width: 180, height: 48 }) : null;
  };

  protected override render() {
    if (!this.health.length) return html`<p class="empty">Layer health appears once training starts.</p>`;
    const last = this.health[this.health.length - 1];
    return html`<section aria-label="Layer health during training">
      ${this.#warnings.length
        ? html`<ul class="warnings" role="status" aria-label="Warnings">${this.#warnings.map((w) => html`<li>${w.message}</li>`)}</ul>`
        : html`<p class="ok" role="status">No warnings: no layer is mostly dead and no gradients vanish or explode.</p>`}
      <p class="ok">Over ${formatNumber(last.examplesSeen)} examples seen; activations on a fixed probe batch.
        <cnn-chart-save name="layer-health" label="layer health charts" .chart=${this.#svgText}></cnn-chart-save></p>
      <div class="charts legend" aria-hidden="true"><span>activations: 5–95%, 25–75%, median</span><span>dead ReLU units (0–100%)</span>
        <span>norms, log scale: ‖w‖ weights, <span class="key">‖∇‖ gradients</span></span></div>
      ${this.#rows.map((r) => this.#row(r))}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cnn-layer-health': CnnLayerHealth;
  }
}
