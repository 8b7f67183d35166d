/**
 * `<cnn-gen-scores>`: the judge's scores per epoch (conditional accuracy and MNIST score) as a
 * small two-axis chart and as text, with which judge produced them: the person's own kept
 * classifier (when one reaches 98% on the test set) or the reference seed CNN, and why not theirs.
 */
import { LitElement, css, html, nothing, svg } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { serializeSvg } from '../shared/chart-export';
import '../shared/cnn-chart-save';
import type { JudgeInfo, ScorePoint } from '../../train/generative/gen-protocol';
import { formatPercent } from '../../views/format';
import { scoreGeometry } from '../../views/gen-grid';

/**
 * Describes the judge, e.g. 'your classifier "Run 3" (test 98.9%, re-measured here)' or
 * "reference seed CNN (2 epochs), test 99.1% (cached in this browser)".
 */
export function judgeText(judge: JudgeInfo): string {
  if (judge.source === 'own') return `${judge.name} (test ${formatPercent(judge.testAccuracy)}, re-measured here on the 10,000 test images)`;
  return `${judge.name}, test ${formatPercent(judge.testAccuracy)}${judge.cached ? ' (cached in this browser)' : ''}`;
}

/** Scores per epoch, chart and text. */
@customElement('cnn-gen-scores')
export class CnnGenScores extends LitElement {
  @property({ attribute: false }) scores: readonly ScorePoint[] = [];
  @property({ attribute: false }) judge: JudgeInfo | null = null;

  static override styles = css`
    :host { display: block; font-size: 12px; }
    h3 { font-size: 13px; margin: 0 0 4px; }
    svg { width: 100%; max-width: 420px; height: auto; display: block; }
    text { font-size: 10px; fill: var(--cnn-muted, #6b7280); }
    .acc { stroke: #2563eb; fill: none; stroke-width: 2; }
    .score { stroke: #ea580c; fill: none; stroke-width: 2; stroke-dasharray: 4 3; }
    .axis { stroke: #9ca3af; }
    p { margin: 4px 0; }
    .note { color: var(--cnn-muted, #6b7280); }
  `;

  #svgText = (): string | null => {
    const chart = this.renderRoot.querySelector('svg');
    return chart && this.scores.length ? serializeSvg(chart) : null;
  };

  override render() {
    const last = this.scores.at(-1);
    const g = scoreGeometry(this.scores, 420, 160);
    const summary = last
      ? `After ${last.epoch.toFixed(last.epoch % 1 ? 2 : 0)} epochs: ${last.conditionalAccuracy === null ? '' : `conditional accuracy ${formatPercent(last.conditionalAccuracy)}, `}MNIST score ${last.mnistScore.toFixed(2)} of 10 (${last.samples} samples).`
      : 'No scores yet: they appear after each epoch, or press "Score now".';
    return html`
      <h3>Judged scores <cnn-chart-save name="generation-scores" label="scores chart" .chart=${this.#svgText}></cnn-chart-save></h3>
      <p data-testid="gen-judge" data-source=${this.judge?.source ?? ''}>${this.judge ? `Judge: ${judgeText(this.judge)}` : 'Judge: not ready yet.'}</p>
      ${this.judge?.note ? html`<p class="note" data-testid="gen-judge-note">${this.judge.note}</p>` : nothing}
      <svg viewBox="0 0 420 160" role="img" aria-label=${`Scores per epoch${this.judge ? `, judged by ${judgeText(this.judge)}` : ''}. ${summary}`}>
        <line class="axis" x1=${g.plot.left} x2=${g.plot.right} y1=${g.plot.bottom} y2=${g.plot.bottom}></line>
        ${g.xTicks.map((t) => svg`<text x=${t.x} y=${g.plot.bottom + 14} text-anchor="middle">${t.label}</text>`)}
        <text x=${(g.plot.left + g.plot.right) / 2} y=${g.plot.bottom + 26} text-anchor="middle">epoch</text>
        <text x="4" y=${g.plot.top + 8}>100%</text><text x="4" y=${g.plot.bottom}>0%</text>
        <text x=${g.plot.right + 4} y=${g.plot.top + 8}>10</text><text x=${g.plot.right + 4} y=${g.plot.bottom}>1</text>
        <path class="acc" d=${g.accuracyPath}></path>
        <path class="score" d=${g.scorePath}></path>
        ${g.accuracyDots.map((d) => svg`<circle cx=${d.x} cy=${d.y} r="3" fill="#2563eb"><title>${formatPercent(d.value)}</title></circle>`)}
        ${g.scoreDots.map((d) => svg`<circle cx=${d.x} cy=${d.y} r="3" fill="#ea580c"><title>${d.value.toFixed(2)}</title></circle>`)}
      </svg>
      <p class="legend">Blue: conditional accuracy (left axis). Orange, dashed: MNIST score (right axis; real test digits score about 9.88).</p>
      <p data-testid="gen-scores" aria-live="polite">${summary}</p>
      ${last && last.perClass.length
        ? html`<p>Per digit: ${last.perClass.map((v, k) => `${k}: ${formatPercent(v, 0)}`).join(', ')}</p>`
        : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cnn-gen-scores': CnnGenScores;
  }
}
