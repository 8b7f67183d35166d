/**
 * `<cnn-input-picker>`: chooses what to look inside the network with: a test image by index
 * (0..9999, with previous/next), a random test image of a chosen digit (or any), or a digit drawn
 * on the pad (live, once a frame). Shows the input being probed as a 28x28 image with its label.
 * Property-driven; every choice fires `cnn-input-change` with a `ProbeInput`.
 */
import { css, html, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { ProbeInput } from '../../train/protocol';
import { digitToRgba } from '../../views/raster';
import type { CnnDrawPad, DrawingChangeDetail } from './cnn-draw-pad';
import './cnn-draw-pad';
import { TurnTakingElement } from '../shared/frame-turns';

/** Detail of `cnn-input-change`: the input to probe. */
export type InputChangeDetail = ProbeInput;

/** Size of the MNIST test set: valid indices are 0..TEST_IMAGES - 1. */
export const TEST_IMAGES = 10_000;

const clampIndex = (n: number): number => ((Math.round(n) % TEST_IMAGES) + TEST_IMAGES) % TEST_IMAGES;

/** Test-image browser, random picker and drawing pad in one panel. */
@customElement('cnn-input-picker')
export class CnnInputPicker extends TurnTakingElement {
  /** The input currently asked for (drives which mode is shown). */
  @property({ attribute: false }) input: ProbeInput | null = null;
  /** The 28x28 grey levels that were last probed, shown as "the input". */
  @property({ attribute: false }) pixels: Uint8Array | null = null;
  /** True label of the probed image; null for a drawing. */
  @property({ attribute: false }) label: number | null = null;
  /** Test-set index of the probed image (random picks included); null for a drawing. */
  @property({ attribute: false }) testIndex: number | null = null;

  @state() private mode: 'test' | 'draw' = 'test';
  @state() private index = 0;
  @query('cnn-draw-pad') private pad?: CnnDrawPad;
  @query('canvas.shown') private shown?: HTMLCanvasElement;
  #drawn: Uint8Array | null = null;

  static override styles = css`
    :host { display: block; font: 12px/1.3 system-ui, sans-serif; color: var(--cnn-fg, #1f2328); }
    .modes { display: inline-flex; border: 1px solid var(--cnn-border, #d0d4dc); border-radius: 7px; overflow: hidden; margin-bottom: 10px; }
    .modes button { border: 0; border-radius: 0; padding: 5px 12px; }
    .modes button[aria-pressed='true'] { background: var(--cnn-accent, #2563eb); color: #fff; }
    button, input { font: inherit; border: 1px solid var(--cnn-border, #d0d4dc); border-radius: 6px; background: var(--cnn-surface, #fff);
      color: var(--cnn-fg, #1f2328); padding: 3px 8px; cursor: pointer; }
    button:focus-visible, input:focus-visible { outline: 2px solid var(--cnn-accent, #2563eb); outline-offset: 1px; }
    .row { display: flex; align-items: center; gap: 6px; flex-wrap: wrap; margin-bottom: 8px; }
    .row > span { color: var(--cnn-muted, #6b7280); min-width: 74px; }
    input[type='number'] { width: 70px; cursor: text; font-variant-numeric: tabular-nums; }
    .sub { display: block; color: var(--cnn-muted, #6b7280); margin-bottom: 4px; }
    .digits { flex-wrap: nowrap; gap: 3px; }
    .digits button { flex: 1 1 0; min-width: 0; padding: 3px 0; text-align: center; }
    .digits button:first-child { flex-grow: 1.6; }
    .current { display: flex; gap: 10px; align-items: center; margin-top: 8px; }
    canvas { width: 84px; height: 84px; image-rendering: pixelated; background: #000; border-radius: 4px; }
    canvas.waiting { background: transparent; outline: 1px dashed var(--cnn-border, #c5cad6); outline-offset: -1px; }
    .caption { color: var(--cnn-muted, #6b7280); }
    .caption strong { color: var(--cnn-fg, #1f2328); font-size: 14px; }
    [hidden] { display: none !important; }
  `;

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('testIndex') && this.testIndex !== null) this.index = this.testIndex;
    if (changed.has('input') && this.input) this.mode = this.input.source === 'pixels' ? 'draw' : 'test';
  }

  protected override updated(): void {
    const canvas = this.shown;
    if (!canvas || this.#drawn === this.pixels) return;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    if (this.pixels) ctx.putImageData(new ImageData(digitToRgba(this.pixels), 28, 28), 0, 0);
    else ctx.clearRect(0, 0, 28, 28);
    this.#drawn = this.pixels;
  }

  #emit(detail: ProbeInput): void {
    this.dispatchEvent(new CustomEvent<InputChangeDetail>('cnn-input-change', { detail, bubbles: true, composed: true }));
  }

  #pickIndex(index: number): void {
    this.index = clampIndex(index);
    this.#emit({ source: 'test', index: this.index });
  }

  #pickRandom(digit: number | null): void {
    this.#emit({ source: 'random-test', digit, seed: Math.floor(Math.random() * 2 ** 31) });
  }

  #setMode(mode: 'test' | 'draw'): void {
    if (mode === this.mode) return;
    this.mode = mode;
    // Switching shows that mode's input again: the browsed index, or the drawing still on the pad.
    if (mode === 'test') this.#emit({ source: 'test', index: this.index });
    else if (this.pad?.image) this.#emit({ source: 'pixels', pixels: this.pad.image });
  }

  #handleDrawing(event: CustomEvent<DrawingChangeDetail>): void {
    event.stopPropagation(); // the drawing becomes a cnn-input-change; the raw event is internal
    // The pad fires at most once a frame; the store keeps at most one probe in flight.
    if (event.detail.image) this.#emit({ source: 'pixels', pixels: event.detail.image });
  }

  #handleIndex(event: Event): void {
    const value = Number((event.target as HTMLInputElement).value);
    if (Number.isFinite(value)) this.#pickIndex(value);
  }

  #caption() {
    if (!this.pixels) return html`<span class="caption">${this.#chosen()}<br />shown once there is a model to look inside</span>`;
    if (this.testIndex === null) return html`<span class="caption"><strong>Your drawing</strong><br />no true label</span>`;
    const label = this.label === null ? '' : html`<br />true label <strong>${this.label}</strong>`;
    return html`<span class="caption">Test image <strong>#${this.testIndex}</strong>${label}</span>`;
  }

  /** The input asked for, in words, before its probe result arrives. */
  #chosen(): string {
    const input = this.input;
    if (!input) return 'Nothing chosen yet';
    if (input.source === 'test') return `Test image #${input.index}`;
    if (input.source === 'pixels') return 'Your drawing';
    return input.digit === null ? 'A random test image' : `A random test image of a ${input.digit}`;
  }

  #testControls() {
    return html`<div ?hidden=${this.mode !== 'test'}>
      <div class="row">
        <span id="index-label">Test image</span>
        <button type="button" aria-label="Previous test image" @click=${() => this.#pickIndex(this.index - 1)}>◀</button>
        <input type="number" min="0" max=${TEST_IMAGES - 1} step="1" aria-labelledby="index-label"
          .value=${String(this.index)} @change=${this.#handleIndex} />
        <button type="button" aria-label="Next test image" @click=${() => this.#pickIndex(this.index + 1)}>▶</button>
      </div>
      <span class="sub">Random test image</span>
      <div class="row digits" role="group" aria-label="Random test image of a digit">
        <button type="button" @click=${() => this.#pickRandom(null)}>any</button>
        ${Array.from({ length: 10 }, (_, d) => html`<button type="button" aria-label="Random test image of a ${d}"
          @click=${() => this.#pickRandom(d)}>${d}</button>`)}
      </div>
    </div>`;
  }

  protected override render() {
    return html`<div class="modes" role="group" aria-label="Input source">
        <button type="button" aria-pressed=${this.mode === 'test'} @click=${() => this.#setMode('test')}>Test images</button>
        <button type="button" aria-pressed=${this.mode === 'draw'} @click=${() => this.#setMode('draw')}>Draw a digit</button>
      </div>
      ${this.#testControls()}
      <!-- Kept in the DOM while hidden, so a drawing survives a look at test images. -->
      <cnn-draw-pad ?hidden=${this.mode !== 'draw'} @cnn-drawing-change=${this.#handleDrawing}></cnn-draw-pad>
      <div class="current">
        <canvas class="shown ${this.pixels ? '' : 'waiting'}" width="28" height="28" role="img"
          aria-label=${this.pixels ? `The input being looked at: ${this.testIndex === null ? 'your drawing' : `test image ${this.testIndex}`}${this.label === null ? '' : `, true label ${this.label}`}` : `${this.#chosen()}, not shown yet`}></canvas>
        ${this.#caption()}
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cnn-input-picker': CnnInputPicker;
  }
}
