/**
 * A strip of real test digits beside randomly shifted and rotated copies, drawn with the same
 * `augmentInto` the training worker uses, so the settings show what training will see.
 * Property-driven: set `.augment` (and optionally `.seed`); it redraws when they change.
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { augmentInto, isAugmentOff } from '../../data/augment';
import { fetchFirstDigits } from '../../data/digit-sample';
import type { AugmentSettings } from '../../model/spec';
import { digitToRgba } from '../../views/raster';

/** Test-set images shown, one row each (a 7, a 2 and a 4 in MNIST's test order). */
const ROWS = [0, 1, 4];
/** Augmented copies per row. */
const COPIES = 8;
const SIDE = 28;

// The UI thread has no MNIST: read only the first digits of the small test file, once per page.
let digits: Promise<Uint8Array[]> | null = null;
function loadDigits(): Promise<Uint8Array[]> {
  const url = new URL('data/mnist/test-images.idx3.gz', new URL(import.meta.env.BASE_URL, location.href)).href;
  digits ??= fetchFirstDigits(url, Math.max(...ROWS) + 1).catch((error: unknown) => {
    digits = null; // a later preview may try again
    throw error;
  });
  return digits;
}

/**
 * A small seeded generator (mulberry32) for the preview's draws. The training stream lives in
 * src/train, which the UI may not import; the preview needs variety, not the run's exact draws.
 */
function previewRng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x100000000;
  };
}

/** Shows a few test digits and eight augmented copies of each. */
@customElement('cnn-augment-preview')
export class CnnAugmentPreview extends LitElement {
  @property({ attribute: false }) augment: AugmentSettings = { shift: 0, rotation: 0 };
  /** Seed of the drawn copies; the "New draws" button moves it on. */
  @property({ type: Number }) seed = 1;
  @state() private images: Uint8Array[] | null = null;
  @state() private failure: string | null = null;
  @state() private draw = 0;

  override connectedCallback(): void {
    super.connectedCallback();
    loadDigits().then(
      (images) => (this.images = images),
      (error: unknown) => (this.failure = error instanceof Error ? error.message : String(error)),
    );
  }

  override render() {
    if (this.failure) {
      return html`<p class="note">The preview is unavailable: the sample digits could not be loaded (${this.failure}). Augmentation still applies to training.</p>`;
    }
    if (!this.images) return html`<p class="note">Loading sample digits…</p>`;
    const off = isAugmentOff(this.augment);
    return html`
      <div class="head">
        <span>${off ? 'Off: training sees the digits as they are' : 'Random copies, as training sees them'}</span>
        <button type="button" ?disabled=${off} @click=${() => (this.draw += 1)}>New draws</button>
      </div>
      <div class="strip" role="img" aria-label=${`${ROWS.length} test digits, each followed by ${COPIES} augmented copies`}>
        ${ROWS.map((_, row) => html`<canvas data-row=${row} width=${SIDE * (COPIES + 1) + 4} height=${SIDE}></canvas>`)}
      </div>
      ${off ? html`<small>Set a shift or rotation above to see random copies.</small>` : nothing}
    `;
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('augment') || changed.has('seed') || changed.has('images') || changed.has('draw')) this.#paint();
  }

  /** Draws each row: the original, a gap, then the copies, one ImageData per tile. */
  #paint(): void {
    const images = this.images;
    if (!images) return;
    const rng = previewRng(this.seed * 7919 + this.draw);
    const tile = new Float32Array(SIDE * SIDE);
    const grey = new Uint8Array(SIDE * SIDE);
    this.renderRoot.querySelectorAll('canvas').forEach((canvas, row) => {
      const source = images[ROWS[row]];
      const context = canvas.getContext('2d');
      if (!source || !context) return;
      context.fillStyle = '#fff';
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.putImageData(new ImageData(digitToRgba(source), SIDE, SIDE), 0, 0);
      for (let copy = 0; copy < COPIES; copy++) {
        augmentInto(source, tile, this.augment, rng);
        for (let i = 0; i < tile.length; i++) grey[i] = Math.round(tile[i] * 255);
        context.putImageData(new ImageData(digitToRgba(grey), SIDE, SIDE), SIDE * (copy + 1) + 4, 0);
      }
    });
  }

  static override styles = css`
    :host { display: block; }
    .head { display: flex; align-items: center; justify-content: space-between; gap: 8px; margin-bottom: 6px; font-size: 12px; color: var(--cnn-muted, #667); }
    button { font: inherit; white-space: nowrap; padding: 3px 9px; border: 1px solid var(--cnn-border, #ccd); border-radius: 6px; background: var(--cnn-surface, #fff); color: var(--cnn-fg, inherit); cursor: pointer; }
    button:disabled { opacity: 0.5; cursor: default; }
    .strip { display: flex; flex-direction: column; gap: 4px; }
    canvas { width: ${SIDE * (COPIES + 1) * 2 + 8}px; max-width: 100%; height: auto; image-rendering: pixelated; border-radius: 4px; background: #fff; }
    .note, small { margin: 0; font-size: 11px; color: var(--cnn-muted, #889); }
  `;
}

declare global {
  interface HTMLElementTagNameMap {
    'cnn-augment-preview': CnnAugmentPreview;
  }
}
