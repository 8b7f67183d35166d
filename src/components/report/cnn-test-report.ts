/**
 * `<cnn-test-report>`: the test-set evaluation at a glance: headline accuracy and loss, the
 * confusion matrix, per-class accuracy bars, sample predictions and the most confident mistakes.
 * Picking a confusion cell filters the mistakes to that pair; the event still bubbles out.
 *
 * A new report appears in stages, one per frame (headline and matrix, then the samples, then the
 * mistakes): built at once, its ~40 digits with their bars took one task of ~100 ms of script,
 * style and layout on a 2-core machine whose cores the training worker keeps busy.
 */
import { css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { TestReport } from '../../train/protocol';
import { formatMetric, formatNumber, formatPercent } from '../../views/format';
import type { ConfusionSelectDetail } from './cnn-confusion-matrix';
import './cnn-confusion-matrix';
import './cnn-digit-grid';
import { TurnTakingElement } from '../shared/frame-turns';

/** A report of the model on the MNIST test set, or a placeholder before there is one. */
@customElement('cnn-test-report')
export class CnnTestReport extends TurnTakingElement {
  /** The evaluation to show; null shows `placeholder`. */
  @property({ attribute: false }) report: TestReport | null = null;
  /** Text shown while there is no report. */
  @property() placeholder = 'No test report yet: train the model, then evaluate it on the 10,000 test images.';

  /** The confusion cell whose mistakes are shown, or null for all mistakes. */
  @state() private filter: ConfusionSelectDetail | null = null;
  /** How many of the digit grids (samples, then mistakes) are shown yet: see the header. */
  @state() private gridsShown = 0;
  #stageTimer: ReturnType<typeof setTimeout> | null = null;
  #stageFrame = 0;

  static override styles = css`
    :host { display: block; font: 13px/1.4 system-ui, sans-serif; color: var(--cnn-fg, #1f2328); }
    .headline { font-size: 15px; margin: 0 0 16px; color: var(--cnn-muted, #6b7280); }
    .headline strong { font-size: 28px; font-weight: 700; color: var(--cnn-fg, #1f2328); letter-spacing: -0.01em; }
    .panels { display: flex; flex-wrap: wrap; gap: 24px 32px; align-items: flex-start; margin-bottom: 20px; }
    /* A panel may be narrower than its content (the matrix scrolls inside it on a phone). */
    .panels > div { min-width: 0; max-width: 100%; }
    h3 { font-size: 13px; font-weight: 600; margin: 0 0 8px; }
    .classes { list-style: none; margin: 0; padding: 0; display: grid; gap: 4px; min-width: 220px;
      font-size: 12px; font-variant-numeric: tabular-nums; }
    .classes li { display: grid; grid-template-columns: 14px 1fr 48px; align-items: center; gap: 8px; }
    .track { height: 10px; border-radius: 3px; background: color-mix(in srgb, var(--cnn-muted, #6b7280) 15%, transparent); }
    .fill { height: 100%; border-radius: 3px; background: var(--cnn-accent, #2563eb); }
    .worst .fill { background: var(--cnn-bad, #dc2626); }
    .worst .pct { color: var(--cnn-bad, #dc2626); font-weight: 600; }
    .pct { text-align: right; }
    cnn-digit-grid { margin-bottom: 20px; }
    .filter { display: flex; gap: 8px; align-items: center; margin: 0 0 6px; color: var(--cnn-muted, #6b7280); font-size: 12px; }
    .filter button { font: inherit; color: var(--cnn-accent, #2563eb); background: none; border: 0; padding: 0;
      cursor: pointer; text-decoration: underline; }
    .vh { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
    .placeholder { color: var(--cnn-muted, #6b7280); margin: 0; }
  `;

  protected override willUpdate(changed: PropertyValues): void {
    if (!changed.has('report')) return;
    // A new report makes the old selection meaningless.
    this.filter = null;
    this.#cancelStages();
    this.gridsShown = 0;
    if (this.report) this.#nextStage();
  }

  override disconnectedCallback(): void {
    this.#cancelStages();
    super.disconnectedCallback();
  }

  /** Shows one more grid after the current frame has been painted (a new task, not this one). */
  #nextStage(): void {
    this.#stageFrame = requestAnimationFrame(() => {
      this.#stageTimer = setTimeout(() => {
        this.#stageTimer = null;
        this.gridsShown += 1;
        if (this.gridsShown < 2) this.#nextStage();
      }, 0);
    });
  }

  #cancelStages(): void {
    cancelAnimationFrame(this.#stageFrame);
    if (this.#stageTimer !== null) clearTimeout(this.#stageTimer);
    this.#stageTimer = null;
  }

  #handleConfusionSelect(event: CustomEvent<ConfusionSelectDetail>): void {
    const { trueClass, predicted } = event.detail;
    const same = this.filter?.trueClass === trueClass && this.filter?.predicted === predicted;
    // Diagonal cells are correct answers, so they have no mistakes to filter.
    this.filter = same || trueClass === predicted ? null : { trueClass, predicted };
  }

  #classBars(report: TestReport) {
    const finite = report.perClassAccuracy.filter(Number.isFinite);
    const worst = finite.length ? Math.min(...finite) : NaN;
    return html`<div>
      <h3 id="per-class">Accuracy per class</h3>
      <ul class="classes" aria-labelledby="per-class">
        ${report.perClassAccuracy.map((acc, c) => {
          const value = Number.isFinite(acc) ? acc : 0;
          return html`<li class=${acc === worst ? 'worst' : ''}>
            <span><span class="vh">class </span>${c}</span>
            <span class="track" aria-hidden="true"><span class="fill" style="display:block;width:${value * 100}%"></span></span>
            <span class="pct">${formatPercent(acc)}</span>
          </li>`;
        })}
      </ul>
    </div>`;
  }

  #mistakes(report: TestReport) {
    const f = this.filter;
    if (!f) return html`<cnn-digit-grid heading="Most confident mistakes" .samples=${report.mistakes} empty-text="No mistakes."></cnn-digit-grid>`;
    const shown = report.mistakes.filter((s) => s.label === f.trueClass && s.predicted === f.predicted);
    return html`<p class="filter" role="status">
        Showing mistakes where ${f.trueClass} was taken for ${f.predicted}
        <button type="button" @click=${() => (this.filter = null)}>show all</button>
      </p>
      <cnn-digit-grid heading="Most confident mistakes: true ${f.trueClass} → predicted ${f.predicted}"
        .samples=${shown} empty-text="None of the listed mistakes is of this kind."></cnn-digit-grid>`;
  }

  protected override render() {
    const report = this.report;
    if (!report) return html`<p class="placeholder" role="status">${this.placeholder}</p>`;
    return html`<section aria-label="Test report">
      <p class="headline">
        <strong>${formatPercent(report.accuracy)}</strong> test accuracy · loss ${formatMetric(report.loss)} ·
        ${formatNumber(report.examples)} images
      </p>
      <div class="panels">
        <div>
          <h3>Confusion matrix</h3>
          <cnn-confusion-matrix .confusion=${report.confusion} .selected=${this.filter}
            @cnn-confusion-select=${this.#handleConfusionSelect}></cnn-confusion-matrix>
        </div>
        ${this.#classBars(report)}
      </div>
      ${this.gridsShown >= 1 ? html`<cnn-digit-grid heading="Sample predictions" .samples=${report.samples}></cnn-digit-grid>` : nothing}
      ${this.gridsShown >= 2 ? this.#mistakes(report) : nothing}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cnn-test-report': CnnTestReport;
  }
}
