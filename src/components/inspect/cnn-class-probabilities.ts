/**
 * `<cnn-class-probabilities>`: the ten class probabilities of one input as labelled bars, the
 * predicted class and the top three as text, and the true label highlighted when it is known.
 */
import { css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { formatPercent } from '../../views/format';
import { topIndices } from '../../views/feature-maps';
import { TurnTakingElement } from '../shared/frame-turns';

/** The sentence a screen reader (and a test) reads for a set of probabilities. */
export function probabilitySummary(probabilities: readonly number[], label: number | null): string {
  if (!probabilities.length) return 'No prediction yet.';
  const top = topIndices(probabilities, 3);
  const predicted = top[0];
  const verdict = label === null ? '' : predicted === label ? ' (correct)' : ` (wrong: the true label is ${label})`;
  const rest = top.map((c) => `${c} ${formatPercent(probabilities[c])}`).join(', ');
  return `Predicted ${predicted} with ${formatPercent(probabilities[predicted])}${verdict}. Top 3: ${rest}.`;
}

/** Ten probability bars; purely presentational. */
@customElement('cnn-class-probabilities')
export class CnnClassProbabilities extends TurnTakingElement {
  /** The ten class probabilities (softmax output). */
  @property({ attribute: false }) probabilities: readonly number[] = [];
  /** The true label when the input is a test image; null for a drawing. */
  @property({ attribute: false }) label: number | null = null;

  static override styles = css`
    :host { display: block; font: 12px/1.3 system-ui, sans-serif; color: var(--cnn-fg, #1f2328); }
    .headline { margin: 0 0 6px; font-size: 13px; }
    .headline strong { font-size: 22px; margin-right: 4px; }
    .wrong { color: var(--cnn-bad, #dc2626); }
    ol { list-style: none; margin: 0; padding: 0; display: grid; gap: 3px; font-variant-numeric: tabular-nums; }
    li { display: grid; grid-template-columns: 14px 1fr 46px; gap: 6px; align-items: center; }
    .digit { text-align: center; border-radius: 3px; }
    .truth .digit { outline: 1.5px solid var(--cnn-accent, #2563eb); font-weight: 700; }
    .track { height: 9px; border-radius: 3px; background: color-mix(in srgb, var(--cnn-muted, #6b7280) 14%, transparent); overflow: hidden; }
    .fill { display: block; height: 100%; border-radius: 3px; background: color-mix(in srgb, var(--cnn-muted, #6b7280) 55%, transparent); }
    .predicted .fill { background: var(--cnn-accent, #2563eb); }
    .predicted.miss .fill { background: var(--cnn-bad, #dc2626); }
    .predicted .pct { font-weight: 600; }
    .pct { text-align: right; color: var(--cnn-muted, #6b7280); }
    .summary { margin: 6px 0 0; color: var(--cnn-muted, #6b7280); }
    .empty { color: var(--cnn-muted, #6b7280); margin: 0; }
  `;

  protected override render() {
    const p = this.probabilities;
    if (!p.length) return html`<p class="empty">No prediction yet.</p>`;
    const predicted = topIndices(p, 1)[0];
    const miss = this.label !== null && this.label !== predicted;
    return html`<figure style="margin:0" aria-label="Class probabilities">
      <p class="headline">Prediction <strong class=${miss ? 'wrong' : ''}>${predicted}</strong>${formatPercent(p[predicted])}
        ${this.label === null ? nothing : html`· true label <strong style="font-size:13px">${this.label}</strong>`}</p>
      <ol aria-hidden="true">
        ${p.map((v, c) => html`<li class="${c === predicted ? 'predicted' : ''} ${miss ? 'miss' : ''} ${c === this.label ? 'truth' : ''}"
            title="class ${c}: ${formatPercent(v, 2)}${c === this.label ? ' (true label)' : ''}">
          <span class="digit">${c}</span>
          <span class="track"><span class="fill" style="width:${Math.max(0, Math.min(1, v)) * 100}%"></span></span>
          <span class="pct">${formatPercent(v)}</span>
        </li>`)}
      </ol>
      <figcaption class="summary" data-testid="prediction-text">${probabilitySummary(p, this.label)}</figcaption>
    </figure>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cnn-class-probabilities': CnnClassProbabilities;
  }
}
