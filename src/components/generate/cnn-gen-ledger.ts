/**
 * `<cnn-gen-ledger>`: the live ledger of both networks: each layer's output shape, parameters
 * and forward FLOPs, each network's total and the grand total.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { GenAnalysis, NetworkAnalysis } from '../../model/generative/analyze';
import { formatCompact, formatNumber, formatShape } from '../../views/format';

/** Encoder and decoder tables. */
@customElement('cnn-gen-ledger')
export class CnnGenLedger extends LitElement {
  @property({ attribute: false }) analysis: GenAnalysis | null = null;

  static override styles = css`
    :host { display: block; font-size: 12px; }
    table { border-collapse: collapse; margin-bottom: 8px; min-width: 320px; }
    caption { text-align: left; font-weight: 600; padding: 2px 0; }
    th, td { padding: 2px 8px 2px 0; text-align: left; }
    td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
    tfoot td { border-top: 1px solid #d1d5db; font-weight: 600; }
  `;

  #table(title: string, net: NetworkAnalysis, testId: string) {
    return html`
      <table data-testid=${testId}>
        <caption>${title}</caption>
        <thead><tr><th>layer</th><th>output</th><th class="num">parameters</th><th class="num">FLOPs</th></tr></thead>
        <tbody>
          ${net.rows.map((r) => html`<tr><td>${r.label}</td><td>${formatShape(r.outputShape)}</td><td class="num">${formatNumber(r.params)}</td><td class="num">${formatCompact(r.flops)}</td></tr>`)}
        </tbody>
        <tfoot><tr><td colspan="2">${title} total</td><td class="num">${formatNumber(net.params)}</td><td></td></tr></tfoot>
      </table>
    `;
  }

  override render() {
    const a = this.analysis;
    if (!a) return html``;
    return html`
      ${this.#table('Encoder', a.encoder, 'gen-encoder')}
      ${this.#table('Decoder', a.decoder, 'gen-decoder')}
      <p>Total <strong data-testid="gen-total-params">${formatNumber(a.totalParams)}</strong> parameters, ${formatCompact(a.flopsPerExample)} FLOPs per example forward.</p>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cnn-gen-ledger': CnnGenLedger;
  }
}
