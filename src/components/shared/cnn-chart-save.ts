/**
 * `<cnn-chart-save>`: two small buttons that download one chart as SVG or PNG. The chart's
 * owner passes a getter that serialises its chart (`serializeSvg` for one `svg` in its shadow
 * root, `composeSvg` for a panel of small charts) and a file name; styles are inlined, so the
 * file looks as the chart does on the page.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { downloadBlob, svgToPng } from './chart-export';

@customElement('cnn-chart-save')
export class CnnChartSave extends LitElement {
  /** Returns the chart as an SVG document, or null when there is none yet. */
  @property({ attribute: false }) chart: () => string | null = () => null;
  /** File name without extension, e.g. "loss-curves". */
  @property() name = 'chart';
  /** Words for screen readers: "Download the {label} as SVG". */
  @property() label = 'chart';
  @state() private error = '';

  async #save(format: 'svg' | 'png'): Promise<void> {
    try {
      const text = this.chart();
      if (!text) {
        this.error = 'Nothing to save yet.';
        return;
      }
      downloadBlob(`${this.name}.${format}`, format === 'svg' ? new Blob([text], { type: 'image/svg+xml' }) : await svgToPng(text));
      this.error = '';
    } catch (error) {
      this.error = `Could not save: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  override render() {
    return html`<span role="group" aria-label=${`Save the ${this.label}`}>
      <button type="button" aria-label=${`Download the ${this.label} as SVG`} @click=${() => this.#save('svg')}>SVG</button>
      <button type="button" aria-label=${`Download the ${this.label} as PNG`} @click=${() => this.#save('png')}>PNG</button>
      ${this.error ? html`<small role="alert">${this.error}</small>` : ''}
    </span>`;
  }

  static override styles = css`
    :host { display: inline-flex; font: 11px/1.2 system-ui, sans-serif; }
    span { display: inline-flex; gap: 4px; align-items: center; }
    button { font: inherit; color: var(--cnn-muted, #6b7280); background: none; border: 1px solid var(--cnn-border, #d0d4dc);
      border-radius: 4px; padding: 1px 5px; cursor: pointer; }
    button:hover, button:focus-visible { color: var(--cnn-accent, #2563eb); border-color: currentColor; }
    small { color: var(--cnn-bad, #dc2626); }
  `;
}

declare global {
  interface HTMLElementTagNameMap {
    'cnn-chart-save': CnnChartSave;
  }
}
