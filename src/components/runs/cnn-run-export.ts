/**
 * Take the current run away: the trained model as tfjs Layers files (made in the worker), the
 * metric history as CSV, the Keras script of its stack and settings, and each training chart as
 * SVG or PNG (read from the page's chart elements).
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { StoreApi } from 'zustand/vanilla';
import { shallow } from 'zustand/vanilla/shallow';
import { metricHistoryCsv } from '../../model/export/csv';
import { kerasScript } from '../../model/export/keras-script';
import { autoName } from '../../runs/record';
import { safeBaseName } from '../../runs/file-name';
import type { AppState, RunState } from '../../store/app-store';
import type { RunSummary } from '../../runs/record';
import { StoreController } from '../../store/store-controller';
import { downloadBlob, findCurveCharts, serializeSvg, svgToPng } from '../shared/chart-export';

type Slice = { run: RunState; list: RunSummary[] };

const HAS_MODEL: ReadonlySet<RunState['status']> = new Set(['paused', 'stopped', 'done']);

@customElement('cnn-run-export')
export class CnnRunExport extends LitElement {
  @property({ attribute: false }) store!: StoreApi<AppState>;
  /** What the last export did, in words. */
  @state() private note = '';
  @state() private failed = false;
  #slice!: StoreController<AppState, Slice>;

  override connectedCallback(): void {
    this.#slice ??= new StoreController(this, this.store, (s): Slice => ({ run: s.run, list: s.runs.list }), shallow);
    super.connectedCallback();
  }

  /** The run's name as a file name stem. */
  #baseName(): string {
    const { run, list } = this.#slice.value;
    const entry = list.find((r) => r.id === run.recordId);
    const name = entry?.name ?? (run.spec ? autoName(run.spec, run.status === 'error' ? 'error' : 'stopped', run.report?.accuracy ?? null) : 'run');
    return safeBaseName(name);
  }

  async #run(task: () => Promise<string>): Promise<void> {
    try {
      this.note = await task();
      this.failed = false;
    } catch (error) {
      this.note = error instanceof Error ? error.message : String(error);
      this.failed = true;
    }
  }

  #exportModel = () =>
    this.#run(async () => {
      const files = await this.store.getState().exportModel(this.#baseName());
      for (const f of files) downloadBlob(f.name, new Blob([f.data], { type: f.mime }));
      return `Saved ${files.map((f) => f.name).join(' and ')}: load them with tf.loadLayersModel.`;
    });

  #exportCsv = () =>
    this.#run(async () => {
      const { run } = this.#slice.value;
      const name = `${this.#baseName()}.metrics.csv`;
      downloadBlob(name, new Blob([metricHistoryCsv(run, this.#baseName())], { type: 'text/csv' }));
      return `Saved ${name}.`;
    });

  #exportKeras = () =>
    this.#run(async () => {
      const spec = this.#slice.value.run.spec ?? this.store.getState().spec;
      const name = `${this.#baseName()}.keras.py`;
      downloadBlob(name, new Blob([kerasScript(spec)], { type: 'text/x-python' }));
      return `Saved ${name}.`;
    });

  #exportChart = (chart: string, format: 'svg' | 'png') =>
    this.#run(async () => {
      const found = findCurveCharts().find((c) => c.name === chart);
      if (!found) throw new Error(`The ${chart} chart is not on the page.`);
      const text = serializeSvg(found.svg);
      const blob = format === 'svg' ? new Blob([text], { type: 'image/svg+xml' }) : await svgToPng(text);
      const name = `${this.#baseName()}.${chart}.${format}`;
      downloadBlob(name, blob);
      return `Saved ${name}.`;
    });

  override render() {
    const { run } = this.#slice.value;
    const hasModel = HAS_MODEL.has(run.status);
    const hasHistory = run.batches.length > 0;
    return html`
      <div class="row" role="group" aria-label="Export the current run">
        <span class="label">Export</span>
        <button @click=${this.#exportModel} ?disabled=${!hasModel} title=${hasModel ? 'model.json and weights for tf.loadLayersModel' : 'Train, pause or open a run first'}>Model (tfjs)</button>
        <button @click=${this.#exportCsv} ?disabled=${!hasHistory}>Metrics (CSV)</button>
        <button @click=${this.#exportKeras}>Keras script</button>
        ${(['loss', 'accuracy'] as const).map(
          (chart) => html`<button @click=${() => this.#exportChart(chart, 'svg')} ?disabled=${!hasHistory}>${chart} SVG</button>
            <button @click=${() => this.#exportChart(chart, 'png')} ?disabled=${!hasHistory}>${chart} PNG</button>`,
        )}
      </div>
      ${this.note ? html`<p class=${this.failed ? 'note bad' : 'note'} role=${this.failed ? 'alert' : 'status'} data-testid="export-note">${this.note}</p>` : nothing}
    `;
  }

  static override styles = css`
    :host { display: block; margin: 10px 0; }
    .row { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
    .label { font-weight: 600; margin-right: 4px; }
    button { font: inherit; font-size: 12px; padding: 3px 9px; border-radius: 6px; border: 1px solid var(--cnn-border, #ccd); background: var(--cnn-surface, #fff); color: inherit; cursor: pointer; }
    button:disabled { opacity: 0.45; cursor: default; }
    .note { margin: 6px 0 0; color: var(--cnn-muted, #667); }
    .note.bad { color: var(--cnn-bad, #c22); }
  `;
}

declare global {
  interface HTMLElementTagNameMap {
    'cnn-run-export': CnnRunExport;
  }
}
