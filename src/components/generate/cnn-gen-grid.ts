/**
 * `<cnn-gen-grid>`: the 10x10 grid of digits decoded from fixed noise (one row per digit for a
 * conditional model), drawn to one canvas through ImageData and scaled up by CSS, with its text
 * alternative (what the judge reads in each cell) and a Download PNG button.
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import type { GridState } from '../../store/generations-store';
import { formatNumber, formatPercent } from '../../views/format';
import { gridAgreement, gridText, tileDigits } from '../../views/gen-grid';

/** The samples grid with its text alternative and PNG download. */
@customElement('cnn-gen-grid')
export class CnnGenGrid extends LitElement {
  @property({ attribute: false }) grid: GridState | null = null;
  /** Whether rows are digits (a conditional model). */
  @property({ type: Boolean }) conditional = true;
  @query('canvas') private canvas?: HTMLCanvasElement;

  static override styles = css`
    :host { display: block; font-size: 12px; }
    canvas { width: 100%; max-width: 380px; aspect-ratio: 1; image-rendering: pixelated; background: #606060; display: block; }
    .head { display: flex; gap: 8px; align-items: baseline; justify-content: space-between; flex-wrap: wrap; max-width: 380px; }
    h3 { font-size: 13px; margin: 0 0 4px; }
    .muted { color: var(--cnn-muted, #6b7280); }
    pre { font-size: 11px; margin: 4px 0 0; white-space: pre-wrap; }
    /* As the charts' SVG/PNG buttons (cnn-chart-save): a small download beside the heading. */
    button { font: 11px/1.2 system-ui, sans-serif; color: var(--cnn-muted, #6b7280); background: none; border: 1px solid var(--cnn-border, #d0d4dc);
      border-radius: 4px; padding: 1px 5px; cursor: pointer; }
    button:hover:enabled, button:focus-visible { color: var(--cnn-accent, #2563eb); border-color: currentColor; }
    button:disabled { opacity: 0.45; cursor: default; }
  `;

  override render() {
    const g = this.grid;
    const agreement = g?.judged && this.conditional ? gridAgreement(g.judged) : null;
    const label = g
      ? `Generated digits after ${formatNumber(g.examplesSeen)} training examples: 10 by 10${this.conditional ? ', row k asks for digit k' : ''}${agreement === null ? '' : `; the judge reads ${formatPercent(agreement)} of them as asked`}.`
      : 'No generated digits yet: train a model.';
    return html`
      <div class="head">
        <h3 id="grid-h">Samples from fixed noise</h3>
        <button type="button" data-testid="gen-download" ?disabled=${!g} @click=${this.#download}>Download PNG</button>
      </div>
      <canvas role="img" aria-label=${label} data-testid="gen-grid" data-version=${g?.version ?? 0} width="289" height="289"></canvas>
      <p class="muted" data-testid="gen-grid-caption">${label}</p>
      ${g
        ? html`<details><summary>What the judge reads in each cell</summary><pre data-testid="gen-grid-text">${gridText(g.judged, this.conditional).join('\n')}</pre></details>`
        : nothing}
    `;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (!changed.has('grid') || !this.canvas) return;
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    if (!this.grid) {
      ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
      return;
    }
    const tiled = tileDigits(this.grid.pixels, 100, 10, 1);
    ctx.putImageData(new ImageData(tiled.rgba, tiled.width, tiled.height), 0, 0);
  }

  #download = (): void => {
    // A 3x copy (no smoothing), so the PNG is readable outside the page.
    const source = this.canvas;
    if (!source || !this.grid) return;
    const big = document.createElement('canvas');
    big.width = source.width * 3;
    big.height = source.height * 3;
    const ctx = big.getContext('2d')!;
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(source, 0, 0, big.width, big.height);
    big.toBlob((blob) => {
      if (!blob) return;
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `generated-digits-${this.grid?.examplesSeen ?? 0}.png`;
      this.renderRoot.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    }, 'image/png');
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'cnn-gen-grid': CnnGenGrid;
  }
}
