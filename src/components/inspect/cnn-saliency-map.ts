/**
 * `<cnn-saliency-map>`: which pixels drive a class score for the chosen input: |d score / d pixel|
 * (normalised to its 99th percentile) as a heat overlay on the digit, beside the plain digit.
 * A class selector (predicted, 0..9) and a SmoothGrad checkbox fire `cnn-saliency-change`.
 */
import { css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import type { ProbeResult } from '../../train/protocol';
import { formatPercent } from '../../views/format';
import { digitToRgba } from '../../views/raster';
import { heatOnInk, normalizeSaliency, saliencyOverlay } from '../../views/saliency';
import { TurnTakingElement } from '../shared/frame-turns';

/** Detail of `cnn-saliency-change`: the class to explain (null = the predicted one) and SmoothGrad on or off. */
export interface SaliencyChangeDetail {
  classIndex: number | null;
  smoothGrad: boolean;
}

/** A saliency map from a probe result. */
export type Saliency = NonNullable<ProbeResult['saliency']>;

/** Heat overlay and plain digit side by side, with the class and SmoothGrad controls. */
@customElement('cnn-saliency-map')
export class CnnSaliencyMap extends TurnTakingElement {
  /** The 28x28 input the gradient was taken for. */
  @property({ attribute: false }) pixels: Uint8Array | null = null;
  /** The gradient of one class score with respect to the input pixels. */
  @property({ attribute: false }) saliency: Saliency | null = null;
  /** The class asked for (null = predicted), shown in the selector. */
  @property({ attribute: false }) selectedClass: number | null = null;
  /** Whether SmoothGrad is asked for, shown in the checkbox. */
  @property({ attribute: false }) smoothGrad = false;
  /** The predicted class, for the selector's "predicted" option. */
  @property({ attribute: false }) predicted: number | null = null;

  @query('canvas.heat') private heatCanvas?: HTMLCanvasElement;
  @query('canvas.plain') private plainCanvas?: HTMLCanvasElement;
  #heat: Float32Array | null = null;
  #onInk = 0;

  static override styles = css`
    :host { display: block; font: 12px/1.35 system-ui, sans-serif; color: var(--cnn-fg, #1f2328); }
    .controls { display: flex; gap: 12px; align-items: center; flex-wrap: wrap; margin-bottom: 8px; }
    select { font: inherit; padding: 2px 4px; border-radius: 5px; border: 1px solid var(--cnn-border, #d0d4dc);
      background: var(--cnn-surface, #fff); color: inherit; }
    label { display: inline-flex; gap: 5px; align-items: center; }
    .pair { display: flex; gap: 10px; }
    figure { margin: 0; text-align: center; color: var(--cnn-muted, #6b7280); font-size: 11px; }
    canvas { display: block; width: 112px; height: 112px; image-rendering: pixelated; background: #000; border-radius: 4px; margin-bottom: 3px; }
    .text { margin: 8px 0 0; }
    .text strong { font-weight: 600; }
    .note { margin: 3px 0 0; color: var(--cnn-muted, #6b7280); }
    .empty { color: var(--cnn-muted, #6b7280); margin: 0; }
  `;

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('saliency') || changed.has('pixels')) {
      this.#heat = this.saliency ? normalizeSaliency(this.saliency.values) : null;
      this.#onInk = this.#heat && this.pixels ? heatOnInk(this.pixels, this.#heat) : 0;
    }
  }

  protected override updated(changed: PropertyValues): void {
    if (!changed.has('saliency') && !changed.has('pixels')) return;
    const pixels = this.pixels;
    if (!pixels) return;
    this.plainCanvas?.getContext('2d')?.putImageData(new ImageData(digitToRgba(pixels), 28, 28), 0, 0);
    if (this.#heat) this.heatCanvas?.getContext('2d')?.putImageData(new ImageData(saliencyOverlay(pixels, this.#heat), 28, 28), 0, 0);
  }

  #emit(classIndex: number | null, smoothGrad: boolean): void {
    this.dispatchEvent(new CustomEvent<SaliencyChangeDetail>('cnn-saliency-change', {
      detail: { classIndex, smoothGrad }, bubbles: true, composed: true,
    }));
  }

  #handleClass(event: Event): void {
    const value = (event.target as HTMLSelectElement).value;
    this.#emit(value === '' ? null : Number(value), this.smoothGrad);
  }

  #handleSmooth(event: Event): void {
    this.#emit(this.selectedClass, (event.target as HTMLInputElement).checked);
  }

  #controls() {
    const predicted = this.predicted === null ? '' : ` (${this.predicted})`;
    return html`<div class="controls">
      <label>Explain class
        <select .value=${this.selectedClass === null ? '' : String(this.selectedClass)} @change=${this.#handleClass}>
          <option value="" ?selected=${this.selectedClass === null}>predicted${predicted}</option>
          ${Array.from({ length: 10 }, (_, c) => html`<option value=${c} ?selected=${this.selectedClass === c}>${c}</option>`)}
        </select>
      </label>
      <label><input type="checkbox" .checked=${this.smoothGrad} @change=${this.#handleSmooth} />SmoothGrad</label>
    </div>`;
  }

  protected override render() {
    const s = this.saliency;
    if (!this.pixels || !s) {
      return html`${this.#controls()}<p class="empty">The saliency map appears with the next look inside the network.</p>`;
    }
    const pending = (this.selectedClass !== null && this.selectedClass !== s.classIndex) || this.smoothGrad !== s.smoothGrad;
    return html`${this.#controls()}
      <div class="pair">
        <figure><canvas class="heat" width="28" height="28" role="img"
          aria-label="Saliency for class ${s.classIndex}: ${formatPercent(this.#onInk, 0)} of the heat lies on the strokes"></canvas>saliency</figure>
        <figure><canvas class="plain" width="28" height="28" role="img" aria-label="The input digit"></canvas>input</figure>
      </div>
      <p class="text" data-testid="saliency-text">Pixels that most raise the score of class <strong>${s.classIndex}</strong></p>
      <p class="note">Brighter = a small change there moves the score more (|gradient|${s.smoothGrad ? ', SmoothGrad: averaged over noisy copies' : ''}).
        ${formatPercent(this.#onInk, 0)} of the heat lies on the strokes.</p>
      ${pending ? html`<p class="note" role="status">Updating…</p>` : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cnn-saliency-map': CnnSaliencyMap;
  }
}
