/**
 * The layer stack as a readable ledger: preset picker, one row per layer with its output
 * shape, parameters and forward cost, and the totals. Errors are shown on the offending layer.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { StoreApi } from 'zustand/vanilla';
import { shallow } from 'zustand/vanilla/shallow';
import { describeLayer } from '../../model/layers';
import { PRESETS } from '../../model/presets';
import type { AppState } from '../../store/app-store';
import { StoreController } from '../../store/store-controller';
import { formatCompact, formatNumber, formatShape } from '../../views/format';

/** Shows the current stack and lets the user switch presets. */
@customElement('cnn-layer-stack')
export class CnnLayerStack extends LitElement {
  @property({ attribute: false }) store!: StoreApi<AppState>;
  #slice!: StoreController<AppState, Pick<AppState, 'spec' | 'analysis'>>;

  override connectedCallback(): void {
    this.#slice ??= new StoreController(this, this.store, (s) => ({ spec: s.spec, analysis: s.analysis }), shallow);
    super.connectedCallback();
  }

  #handlePreset(event: Event): void {
    this.store.getState().loadPreset((event.target as HTMLSelectElement).value);
  }

  override render() {
    const { spec, analysis } = this.#slice.value;
    const current = PRESETS.find((p) => p.spec.name === spec.name)?.id ?? '';
    return html`
      <label class="preset">Preset
        <select aria-label="Preset" @change=${this.#handlePreset} .value=${current}>
          ${current ? nothing : html`<option value="" selected>(custom)</option>`}
          ${PRESETS.map((p) => html`<option value=${p.id} ?selected=${p.id === current}>${p.spec.name}</option>`)}
        </select>
      </label>
      ${spec.description ? html`<p class="description">${spec.description}</p>` : nothing}
      <table aria-label="Layer stack">
        <thead><tr><th>#</th><th>Layer</th><th>Output shape</th><th class="num">Params</th><th class="num" title="Forward FLOPs per example">FLOPs</th></tr></thead>
        <tbody>
          <tr class="input"><td></td><td>Input</td><td>${formatShape(analysis.inputShape)}</td><td class="num">—</td><td class="num"></td></tr>
          ${analysis.layers.map(
            (layer) => html`
              <tr class=${layer.errors.length ? 'invalid' : ''} data-kind=${layer.kind}>
                <td>${layer.index + 1}</td>
                <td>${describeLayer(spec.layers[layer.index])}</td>
                <td class="shape">${formatShape(layer.outputShape)}</td>
                <td class="num params">${formatNumber(layer.params)}</td>
                <td class="num">${formatCompact(layer.flops)}</td>
              </tr>
              ${layer.errors.map((e) => html`<tr class="error-row"><td></td><td colspan="4" role="alert">${e.message}</td></tr>`)}
            `,
          )}
        </tbody>
        <tfoot>
          <tr><td></td><td>Total</td><td></td><td class="num total-params" data-testid="total-params">${formatNumber(analysis.totalParams)}</td><td class="num">${formatCompact(analysis.totalFlops)}</td></tr>
        </tfoot>
      </table>
      ${analysis.errors
        .filter((e) => !/^layers\[\d+\]/.test(e.path))
        .map((e) => html`<p class="error" role="alert">${e.message}</p>`)}
    `;
  }

  static override styles = css`
    :host { display: block; font-size: 13px; }
    .preset { display: flex; gap: 8px; align-items: center; font-weight: 600; }
    select { font: inherit; padding: 4px 6px; border-radius: 6px; border: 1px solid var(--cnn-border, #ccd); background: var(--cnn-surface, #fff); color: inherit; }
    .description { color: var(--cnn-muted, #667); margin: 6px 0 10px; }
    table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
    th, td { text-align: left; padding: 5px 6px; border-bottom: 1px solid var(--cnn-border, #e3e5ee); }
    th { font-weight: 600; color: var(--cnn-muted, #667); font-size: 12px; }
    .num { text-align: right; }
    tr.input td { color: var(--cnn-muted, #667); }
    tr.invalid td { background: color-mix(in srgb, var(--cnn-bad, #d33) 10%, transparent); }
    .error-row td, .error { color: var(--cnn-bad, #c22); font-size: 12px; }
    tfoot td { font-weight: 700; border-bottom: none; }
  `;
}

declare global {
  interface HTMLElementTagNameMap {
    'cnn-layer-stack': CnnLayerStack;
  }
}
