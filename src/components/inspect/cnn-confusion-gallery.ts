/**
 * `<cnn-confusion-gallery>`: the test images of one confusion-matrix cell ("True 4, predicted 9:
 * 12 images"), most confident first, each a 28x28 canvas with its confidence. Clicking one fires
 * `cnn-input-change` with `{source: 'test', index}` so it becomes the input to look inside with.
 */
import { css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { TestImage } from '../../train/protocol';
import { formatNumber, formatPercent } from '../../views/format';
import { digitToRgba } from '../../views/raster';
import type { InputChangeDetail } from './cnn-input-picker';
import { TurnTakingElement } from '../shared/frame-turns';

/** One confusion cell's images, as the store fills them. */
export interface Gallery {
  trueClass: number;
  predicted: number;
  images: (TestImage & { confidence: number })[];
}

/** Images shown at first and added by each "Show more": a diagonal cell holds ~1,000. */
export const PAGE = 48;

/** The gallery heading, e.g. "True 4, predicted 9: 12 images"; `total` is the cell's count when the gallery holds fewer. */
export function galleryTitle(g: Gallery, total: number | null = null): string {
  const count = Math.max(total ?? 0, g.images.length);
  const head = `True ${g.trueClass}, predicted ${g.predicted}: ${formatNumber(count)} image${count === 1 ? '' : 's'}`;
  return count > g.images.length ? `${head} (the ${formatNumber(g.images.length)} most confident)` : head;
}

/** A grid of test images from one confusion cell. */
@customElement('cnn-confusion-gallery')
export class CnnConfusionGallery extends TurnTakingElement {
  /** The cell's images, sorted most confident first; null shows a hint. */
  @property({ attribute: false }) gallery: Gallery | null = null;
  /** How many test images the cell holds (from the confusion matrix), when the gallery keeps only the most confident. */
  @property({ attribute: false }) total: number | null = null;
  /** Test index of the input being looked at, highlighted when it is in the gallery. */
  @property({ attribute: false }) selectedIndex: number | null = null;

  @state() private shown = PAGE;
  #drawn = new WeakMap<HTMLCanvasElement, Uint8Array>();

  static override styles = css`
    :host { display: block; font: 12px/1.3 system-ui, sans-serif; color: var(--cnn-fg, #1f2328); }
    h3 { font-size: 13px; font-weight: 600; margin: 0 0 8px; }
    ul { display: grid; grid-template-columns: repeat(auto-fill, minmax(62px, 1fr)); gap: 6px; list-style: none; margin: 0; padding: 0; }
    button { all: unset; box-sizing: border-box; width: 100%; display: flex; flex-direction: column; align-items: center;
      gap: 2px; padding: 4px; border-radius: 6px; cursor: pointer; font-variant-numeric: tabular-nums; }
    button:hover { background: color-mix(in srgb, var(--cnn-muted, #6b7280) 12%, transparent); }
    button:focus-visible, button[aria-current='true'] { outline: 2px solid var(--cnn-accent, #2563eb); outline-offset: 1px; }
    canvas { width: 56px; height: 56px; image-rendering: pixelated; background: #000; border-radius: 3px; }
    .more { margin-top: 8px; font: inherit; border: 1px solid var(--cnn-border, #d0d4dc); border-radius: 6px;
      background: var(--cnn-surface, #fff); color: inherit; padding: 3px 10px; cursor: pointer; }
    .empty { color: var(--cnn-muted, #6b7280); margin: 0; }
  `;

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('gallery')) this.shown = PAGE;
  }

  protected override updated(): void {
    const images = this.gallery?.images ?? [];
    for (const canvas of this.renderRoot.querySelectorAll<HTMLCanvasElement>('canvas[data-pos]')) {
      const image = images[Number(canvas.dataset.pos)];
      if (!image || this.#drawn.get(canvas) === image.pixels) continue;
      canvas.getContext('2d')?.putImageData(new ImageData(digitToRgba(image.pixels), 28, 28), 0, 0);
      this.#drawn.set(canvas, image.pixels);
    }
  }

  #pick(index: number): void {
    this.dispatchEvent(new CustomEvent<InputChangeDetail>('cnn-input-change', {
      detail: { source: 'test', index }, bubbles: true, composed: true,
    }));
  }

  protected override render() {
    const g = this.gallery;
    if (!g) return html`<p class="empty">Click a cell of the confusion matrix to see its test images here.</p>`;
    const title = galleryTitle(g, this.total);
    const visible = g.images.slice(0, this.shown);
    return html`<section aria-labelledby="title">
      <h3 id="title" data-testid="gallery-title">${title}</h3>
      ${g.images.length === 0 ? html`<p class="empty">No test image falls in this cell.</p>` : html`<ul aria-label=${title}>
        ${repeat(visible, (im) => im.index, (im, pos) => {
          const name = `test image ${im.index}, true ${g.trueClass}, predicted ${g.predicted} with ${formatPercent(im.confidence)}`;
          return html`<li><button type="button" aria-label=${name} title=${name} aria-current=${im.index === this.selectedIndex}
              @click=${() => this.#pick(im.index)}>
            <canvas width="28" height="28" data-pos=${pos} aria-hidden="true"></canvas>
            <span>${formatPercent(im.confidence)}</span>
          </button></li>`;
        })}
      </ul>`}
      ${g.images.length > this.shown
        ? html`<button class="more" type="button" @click=${() => (this.shown += PAGE)}>Show more (${formatNumber(g.images.length - this.shown)} left)</button>`
        : nothing}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cnn-confusion-gallery': CnnConfusionGallery;
  }
}
