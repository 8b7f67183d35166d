/**
 * `<cnn-digit-grid>`: test digits with the model's answers. Each digit is a slice of one strip
 * image of the whole grid (digit-sprite.ts: a canvas per digit made the report's frames slow),
 * scaled up by CSS, with its true label, the prediction (red when wrong), the top probability and
 * ten tiny probability bars (one element's background layers: probability-bars.ts).
 */
import { css, html, unsafeCSS } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { PredictionSample } from '../../train/protocol';
import { formatNumber, formatPercent } from '../../views/format';
import { BARS_HEIGHT, barsWidth, probabilityBarsStyle } from '../../views/probability-bars';
import { DigitSprite, spriteStyle } from '../shared/digit-sprite';
import { TurnTakingElement } from '../shared/frame-turns';

/** Detail of `cnn-sample-select`: the test-set index of the clicked digit. */
export interface SampleSelectDetail {
  index: number;
}

/** The words a screen reader says for one digit. */
function sampleLabel(s: PredictionSample): string {
  return `test image ${s.index}: true ${s.label}, predicted ${s.predicted} with ${formatPercent(s.probabilities[s.predicted] ?? NaN)}`;
}

/** A grid of test digits; clicking one fires `cnn-sample-select`. */
@customElement('cnn-digit-grid')
export class CnnDigitGrid extends TurnTakingElement {
  /** The digits to show, in order. */
  @property({ attribute: false }) samples: readonly PredictionSample[] = [];
  /** Heading above the grid, also the grid's accessible name. */
  @property() heading = 'Test images';
  /** Text shown when there are no samples. */
  @property({ attribute: 'empty-text' }) emptyText = 'No images.';

  /** The grid's digits as one image. */
  #sprite = new DigitSprite();

  static override styles = css`
    :host { display: block; font: 12px/1.3 system-ui, sans-serif; color: var(--cnn-fg, #1f2328); }
    h3 { font-size: 13px; font-weight: 600; margin: 0 0 8px; }
    h3 small { font-weight: 400; color: var(--cnn-muted, #6b7280); font-size: 12px; }
    ul { display: grid; grid-template-columns: repeat(auto-fill, minmax(68px, 1fr)); gap: 8px;
      list-style: none; margin: 0; padding: 0; }
    button { all: unset; box-sizing: border-box; width: 100%; display: flex; flex-direction: column;
      align-items: center; gap: 3px; padding: 5px 4px; border-radius: 6px; cursor: pointer;
      font-variant-numeric: tabular-nums; }
    button:hover { background: color-mix(in srgb, var(--cnn-muted, #6b7280) 12%, transparent); }
    button:focus-visible { outline: 2px solid var(--cnn-accent, #2563eb); outline-offset: 1px; }
    .digit { width: 56px; height: 56px; image-rendering: pixelated; border-radius: 3px; background-color: #000;
      background-repeat: no-repeat; }
    .truth { color: var(--cnn-muted, #6b7280); font-size: 11px; }
    /* One line: "7 · 100.0%" at 12px wrapped in a 68 px cell, so rows of cells differed in height. */
    .pred { font-weight: 600; font-size: 11px; white-space: nowrap; }
    .wrong .pred { color: var(--cnn-bad, #dc2626); }
    /* Ten bars as background layers of one element (probability-bars.ts). */
    .bars { display: block; height: ${unsafeCSS(BARS_HEIGHT)}px; width: ${unsafeCSS(barsWidth(10))}px; background-repeat: no-repeat;
      --bar-other: color-mix(in srgb, var(--cnn-muted, #6b7280) 45%, transparent);
      --bar-truth: var(--cnn-accent, #2563eb); --bar-wrong: var(--cnn-bad, #dc2626); }
    .empty { color: var(--cnn-muted, #6b7280); margin: 0; }
  `;

  override connectedCallback(): void {
    super.connectedCallback();
    // Back on the page: its image was released when it left.
    if (this.hasUpdated) this.requestUpdate();
  }

  override disconnectedCallback(): void {
    this.#sprite.release();
    super.disconnectedCallback();
  }

  #handleClick(index: number): void {
    this.dispatchEvent(
      new CustomEvent<SampleSelectDetail>('cnn-sample-select', { detail: { index }, bubbles: true, composed: true }),
    );
  }

  #item(sample: PredictionSample, pos: number, sprite: string | null) {
    const wrong = sample.predicted !== sample.label;
    const top = sample.probabilities[sample.predicted] ?? NaN;
    return html`<li>
      <button class=${wrong ? 'wrong' : ''} aria-label=${sampleLabel(sample)} title=${sampleLabel(sample)}
        @click=${() => this.#handleClick(sample.index)}>
        <span class="digit" data-pos=${pos} aria-hidden="true" style=${sprite ? spriteStyle(sprite, pos, this.samples.length) : ''}></span>
        <span class="truth">true ${sample.label}</span>
        <span class="pred">${sample.predicted} · ${formatPercent(top)}</span>
        <span class="bars" aria-hidden="true" style=${probabilityBarsStyle(sample.probabilities, sample.label, sample.predicted)}></span>
      </button>
    </li>`;
  }

  protected override render() {
    const wrong = this.samples.filter((s) => s.predicted !== s.label).length;
    const total = this.samples.length;
    // "12 of 12 wrong" under a mistakes heading says nothing, so count only mixed grids.
    const countText = wrong === 0 ? 'all correct' : wrong === total ? `${formatNumber(total)} images` : `${formatNumber(wrong)} of ${formatNumber(total)} wrong`;
    const counts = total ? html` <small>${countText}</small>` : '';
    const sprite = this.#sprite.url(this.samples.map((s) => s.pixels));
    return html`<section aria-labelledby="heading">
      <h3 id="heading">${this.heading}${counts}</h3>
      ${this.samples.length
        ? html`<ul role="list" aria-label=${this.heading}>
            ${repeat(this.samples, (s) => s.index, (s, pos) => this.#item(s, pos, sprite))}
          </ul>`
        : html`<p class="empty">${this.emptyText}</p>`}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cnn-digit-grid': CnnDigitGrid;
  }
}
