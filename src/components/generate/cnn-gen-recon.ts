/**
 * `<cnn-gen-recon>`: test digits (top row) beside their reconstructions through the code's mean
 * (bottom row), one canvas through ImageData, with a text alternative.
 */
import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import type { ReconState } from '../../store/generations-store';
import { tileDigits } from '../../views/gen-grid';

/** Originals above reconstructions. */
@customElement('cnn-gen-recon')
export class CnnGenRecon extends LitElement {
  @property({ attribute: false }) recon: ReconState | null = null;
  @query('canvas') private canvas?: HTMLCanvasElement;

  static override styles = css`
    :host { display: block; font-size: 12px; }
    h3 { font-size: 13px; margin: 0 0 4px; }
    canvas { width: 100%; max-width: 380px; image-rendering: pixelated; background: #606060; display: block; }
  `;

  override render() {
    const r = this.recon;
    const label = r
      ? `Test digits ${r.labels.join(', ')} (top) and the model's reconstructions of them (bottom).`
      : 'No reconstructions yet: train a model.';
    const cols = r?.count ?? 8;
    return html`
      <h3>Reconstructions</h3>
      <canvas role="img" aria-label=${label} data-testid="gen-recon" width=${cols * 29 - 1} height="57"></canvas>
      <p>${label}</p>
    `;
  }

  protected override updated(changed: PropertyValues<this>): void {
    const r = this.recon;
    if (!changed.has('recon') || !r || !this.canvas) return;
    const both = new Uint8Array(r.count * 2 * 784);
    both.set(r.originals.subarray(0, r.count * 784), 0);
    both.set(r.decoded.subarray(0, r.count * 784), r.count * 784);
    const tiled = tileDigits(both, r.count * 2, r.count, 1);
    this.canvas.getContext('2d')?.putImageData(new ImageData(tiled.rgba, tiled.width, tiled.height), 0, 0);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cnn-gen-recon': CnnGenRecon;
  }
}
