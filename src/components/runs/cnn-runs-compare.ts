/**
 * Compares the picked runs (two to four): their curves overlaid on shared axes (by examples seen
 * or by training time), a table of size, cost and outcome, a scatter of parameters against test
 * accuracy over every kept run, and a side-by-side diff of the first two networks and settings
 * with the changed fields marked.
 */
import { css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { StoreApi } from 'zustand/vanilla';
import { shallow } from 'zustand/vanilla/shallow';
import { analyze } from '../../model/shapes';
import type { RunRecord, RunSummary } from '../../runs/record';
import { diffSpecs, onlySeedDiffers, type FieldDiff } from '../../runs/spec-diff';
import type { AppState } from '../../store/app-store';
import { StoreController } from '../../store/store-controller';
import { formatCompact, formatDuration, formatMetric, formatNumber, formatPercent } from '../../views/format';
import { accuracySpread, RUN_COLORS, type CompareAxis } from '../../views/runs-compare';
import type { ScatterPoint } from './cnn-runs-scatter';
import './cnn-overlay-chart';
import './cnn-runs-scatter';
import { TurnTakingElement } from '../shared/frame-turns';

type Slice = { compare: string[]; list: RunSummary[] };

@customElement('cnn-runs-compare')
export class CnnRunsCompare extends TurnTakingElement {
  @property({ attribute: false }) store!: StoreApi<AppState>;
  @state() private records: RunRecord[] = [];
  @state() private axis: CompareAxis = 'examples';
  #slice!: StoreController<AppState, Slice>;
  #loadedFor = '';

  override connectedCallback(): void {
    this.#slice ??= new StoreController(this, this.store, (s): Slice => ({ compare: s.runs.compare, list: s.runs.list }), shallow);
    super.connectedCallback();
  }

  override willUpdate(): void {
    // Reload when the picks change or a picked run was saved again (e.g. continued).
    const { compare, list } = this.#slice.value;
    const key = compare.map((id) => `${id}:${list.find((r) => r.id === id)?.bytes ?? 0}`).join(',');
    if (key === this.#loadedFor) return;
    this.#loadedFor = key;
    void this.store.getState().loadRunRecords(compare).then((records) => {
      if (this.#loadedFor === key) this.records = records;
    });
  }

  #scatter(): ScatterPoint[] {
    const picked = this.#slice.value.compare;
    return this.#slice.value.list
      .filter((r) => r.testAccuracy !== null)
      .map((r) => ({ id: r.id, name: r.name, params: analyze(r.spec.layers).totalParams, accuracy: r.testAccuracy!, color: picked.includes(r.id) ? RUN_COLORS[picked.indexOf(r.id)]! : null }));
  }

  #table() {
    return html`<table class="figures">
      <thead><tr><th>Run</th><th>Parameters</th><th>FLOPs / example</th><th>Test accuracy</th><th>Test loss</th><th>Time</th><th>Examples / s</th><th>Backend</th></tr></thead>
      <tbody>${this.records.map((r, i) => {
        const a = analyze(r.spec.layers);
        const rate = r.durationMs > 0 ? (r.examplesSeen * 1000) / r.durationMs : NaN;
        return html`<tr>
          <td><span class="swatch" style="background:${RUN_COLORS[i]}"></span>${r.name}</td>
          <td class="num">${formatNumber(a.totalParams)}</td><td class="num">${formatCompact(a.totalFlops)}</td>
          <td class="num">${r.report ? formatPercent(r.report.accuracy, 2) : '–'}</td><td class="num">${r.report ? formatMetric(r.report.loss) : '–'}</td>
          <td class="num">${formatDuration(r.durationMs)}</td><td class="num">${formatNumber(rate)}</td><td>${r.backend?.name ?? '–'}</td>
        </tr>`;
      })}</tbody>
    </table>`;
  }

  /** How far apart the runs' test accuracies are, and whether only chance (the seed) sets them apart. */
  #spread() {
    const spread = accuracySpread(this.records.map((r) => r.report?.accuracy ?? null));
    if (!spread) return nothing;
    const [first, ...rest] = this.records;
    const seedsOnly = rest.every((r) => onlySeedDiffers(first!.spec, r.spec));
    // From the two figures as shown (to 0.01%), so the difference matches what the reader sees.
    const shown = (accuracy: number) => Math.round(accuracy * 10_000) / 100;
    const points = (shown(spread.high) - shown(spread.low)).toFixed(2);
    return html`<p class="spread" data-testid="accuracy-spread">Test accuracy from ${formatPercent(spread.low, 2)} to
      ${formatPercent(spread.high, 2)}: a spread of ${points} points.${seedsOnly ? ' These runs differ only in their seed, so that is what chance alone gives.' : ''}</p>`;
  }

  #field(f: FieldDiff, side: 'a' | 'b') {
    return html`<span class=${f.changed ? 'changed' : ''}>${f.field === 'kind' ? '' : `${f.field} `}${f[side]}</span> `;
  }

  #diff() {
    const [a, b] = this.records;
    if (!a || !b) return nothing;
    const diff = diffSpecs(a.spec, b.spec);
    const cell = (row: (typeof diff.layers)[number], side: 'a' | 'b') => {
      const layer = side === 'a' ? row.a : row.b;
      if (!layer) return html`<td class="missing">—</td>`;
      return html`<td><strong>${layer.kind}</strong> ${row.fields.filter((f) => f.field !== 'kind').map((f) => this.#field(f, side))}</td>`;
    };
    return html`<table class="diff" data-testid="spec-diff">
      <caption>${diff.changes === 0 ? 'Same network and settings' : `${diff.changes} change${diff.changes === 1 ? '' : 's'} from the first run to the second`}</caption>
      <thead><tr><th>${a.name}</th><th>${b.name}</th></tr></thead>
      <tbody>
        ${diff.layers.map((row) => html`<tr class=${row.changed ? 'changed-row' : ''}>${cell(row, 'a')}${cell(row, 'b')}</tr>`)}
        ${diff.training.map((f) => html`<tr class=${f.changed ? 'changed-row' : ''}><td>${this.#field(f, 'a')}</td><td>${this.#field(f, 'b')}</td></tr>`)}
      </tbody>
    </table>`;
  }

  override render() {
    const scatter = this.#scatter();
    const picked = this.records.length;
    const series = this.records.map((r) => ({ id: r.id, batches: r.batches, epochs: r.epochs }));
    return html`
      ${picked < 2
        ? html`<p class="hint">Tick two to four runs in the list to compare them.</p>`
        : html`
            <div class="axis" role="radiogroup" aria-label="x axis">
              ${(['examples', 'time'] as const).map((axis) => html`<label><input type="radio" name="axis" .checked=${this.axis === axis} @change=${() => (this.axis = axis)} />
                ${axis === 'examples' ? 'by examples seen' : 'by training time'}</label>`)}
            </div>
            <div class="charts">
              <cnn-overlay-chart metric="loss" .series=${series} axis=${this.axis}></cnn-overlay-chart>
              <cnn-overlay-chart metric="accuracy" .series=${series} axis=${this.axis}></cnn-overlay-chart>
            </div>
            ${this.#table()} ${this.#spread()} ${this.#diff()}`}
      ${scatter.length ? html`<h3>All kept runs: parameters against test accuracy</h3><cnn-runs-scatter .points=${scatter}></cnn-runs-scatter>` : nothing}
    `;
  }

  static override styles = css`
    :host { display: block; margin-top: 12px; }
    h3 { font-size: 13px; margin: 14px 0 6px; }
    .hint { color: var(--cnn-muted, #667); margin: 0; }
    .axis { display: flex; gap: 12px; margin-bottom: 6px; }
    .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 12px; }
    table { border-collapse: collapse; margin-top: 10px; font-variant-numeric: tabular-nums; }
    th, td { text-align: left; padding: 3px 8px; border-bottom: 1px solid var(--cnn-border, #e3e5ee); vertical-align: top; }
    th { font-size: 12px; color: var(--cnn-muted, #667); }
    td.num { text-align: right; }
    .swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; }
    caption { text-align: left; font-weight: 600; padding: 4px 0; }
    .changed { background: #fff3bf; border-radius: 3px; padding: 0 2px; }
    tr.changed-row td { border-left: 3px solid #f59f00; }
    .missing { color: var(--cnn-muted, #99a); }
    .spread { margin: 8px 0 0; }
  `;
}

declare global {
  interface HTMLElementTagNameMap {
    'cnn-runs-compare': CnnRunsCompare;
  }
}
