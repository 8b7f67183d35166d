/**
 * A drawing pad for digits: mouse, touch and pen through pointer events, strokes about as thick
 * as MNIST's, a Clear button, and beside it the 28x28 image the model will see (MNIST-style
 * preprocessing). Emits `cnn-drawing-change` with that image while drawing (once a frame).
 */
import { LitElement, css, html } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { preprocessDrawing } from '../../data/preprocess';
import { digitToRgba } from '../../views/raster';

/** Detail of `cnn-drawing-change`: the preprocessed 28x28 digit, or null after Clear. */
export interface DrawingChangeDetail {
  image: Uint8Array | null;
}

const PAD = 280;
// A digit drawn about 200 px tall is scaled by ~0.1 to MNIST's 20 px box: 22 px strokes
// become ~2.2 px, like MNIST's pen.
const STROKE = 22;

/** The pad; the preprocessed image is also readable as `.image`. */
@customElement('cnn-draw-pad')
export class CnnDrawPad extends LitElement {
  @state() image: Uint8Array | null = null;
  @query('canvas.pad') private pad!: HTMLCanvasElement;
  @query('canvas.preview') private preview!: HTMLCanvasElement;
  #last: { x: number; y: number } | null = null;
  #frame = 0;

  #context(): CanvasRenderingContext2D {
    return this.pad.getContext('2d', { willReadFrequently: true })!;
  }

  override firstUpdated(): void {
    this.#clearPad();
  }

  #clearPad(): void {
    const ctx = this.#context();
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, PAD, PAD);
  }

  #point(event: PointerEvent): { x: number; y: number } {
    const rect = this.pad.getBoundingClientRect();
    return { x: ((event.clientX - rect.left) / rect.width) * PAD, y: ((event.clientY - rect.top) / rect.height) * PAD };
  }

  #handleDown(event: PointerEvent): void {
    event.preventDefault();
    this.pad.setPointerCapture(event.pointerId);
    this.#last = this.#point(event);
    this.#stroke(this.#last, this.#last);
  }

  #handleMove(event: PointerEvent): void {
    if (!this.#last) return;
    // Coalesced events keep fast pen strokes smooth.
    const events = event.getCoalescedEvents?.() ?? [event];
    for (const e of events.length ? events : [event]) {
      const p = this.#point(e);
      this.#stroke(this.#last, p);
      this.#last = p;
    }
  }

  #handleUp(): void {
    this.#last = null;
  }

  #stroke(from: { x: number; y: number }, to: { x: number; y: number }): void {
    const ctx = this.#context();
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = STROKE;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(from.x, from.y);
    ctx.lineTo(to.x, to.y);
    ctx.stroke();
    this.#schedule();
  }

  /** Preprocesses at most once per animation frame, however many pointer events arrive. */
  #schedule(): void {
    if (this.#frame) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      this.#update();
    });
  }

  #update(): void {
    const rgba = this.#context().getImageData(0, 0, PAD, PAD).data;
    const ink = new Uint8Array(PAD * PAD);
    for (let i = 0; i < ink.length; i++) ink[i] = rgba[i * 4];
    this.image = preprocessDrawing(ink, PAD, PAD)?.image ?? null;
    this.#drawPreview();
    this.dispatchEvent(new CustomEvent<DrawingChangeDetail>('cnn-drawing-change', { detail: { image: this.image }, bubbles: true, composed: true }));
  }

  #drawPreview(): void {
    const ctx = this.preview.getContext('2d')!;
    if (!this.image) {
      ctx.clearRect(0, 0, 28, 28);
      return;
    }
    ctx.putImageData(new ImageData(digitToRgba(this.image), 28, 28), 0, 0);
  }

  /** Erases the drawing. */
  clear(): void {
    this.#clearPad();
    this.#update();
  }

  override render() {
    return html`
      <div class="wrap">
        <canvas
          class="pad"
          width=${PAD}
          height=${PAD}
          role="img"
          aria-label="Drawing pad: draw a digit with the mouse, a finger or a pen"
          @pointerdown=${this.#handleDown}
          @pointermove=${this.#handleMove}
          @pointerup=${this.#handleUp}
          @pointercancel=${this.#handleUp}
        ></canvas>
        <figure>
          <canvas class="preview" width="28" height="28" role="img" aria-label="What the model sees: the drawing cropped, scaled to 20x20 and centred by mass in 28x28"></canvas>
          <figcaption>28×28 input</figcaption>
          <button @click=${() => this.clear()}>Clear</button>
        </figure>
      </div>
    `;
  }

  static override styles = css`
    :host { display: block; }
    .wrap { display: flex; gap: 12px; align-items: flex-start; }
    canvas.pad { width: 200px; height: 200px; border-radius: 8px; background: #000; touch-action: none; cursor: crosshair; }
    figure { margin: 0; display: flex; flex-direction: column; gap: 6px; align-items: center; font-size: 12px; color: var(--cnn-muted, #667); }
    canvas.preview { width: 84px; height: 84px; image-rendering: pixelated; background: #000; border-radius: 4px; }
    button { font: inherit; padding: 4px 12px; border-radius: 6px; border: 1px solid var(--cnn-border, #ccd); background: var(--cnn-surface, #fff); color: var(--cnn-fg, #222); cursor: pointer; }
  `;
}

declare global {
  interface HTMLElementTagNameMap {
    'cnn-draw-pad': CnnDrawPad;
  }
}
