/**
 * `<cnn-gen-ledger>`: the totals over both networks of a generative model, a VAE's encoder and
 * decoder or a GAN's generator and discriminator (each network's own rows, with shapes,
 * parameters, FLOPs and memory, are in its layer editor).
 */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { networkAnalysis, type GenModelAnalysis, type ModelNetwork } from '../../model/generative/gan-spec';
import { formatCompact, formatNumber } from '../../views/format';

/** Parameters and FLOPs of each network and of both. */
@customElement('cnn-gen-ledger')
export class CnnGenLedger extends LitElement {
  @property({ attribute: false }) analysis: GenModelAnalysis | null = null;

  static override styles = css`
    :host { display: block; font-size: 12px; }
    p { margin: 4px 0; }
  `;

  override render() {
    const a = this.analysis;
    if (!a) return html``;
    const names: [ModelNetwork, ModelNetwork] = 'generator' in a ? ['generator', 'discriminator'] : ['encoder', 'decoder'];
    const nets = names.map((n) => networkAnalysis(a, n)!);
    const known = nets.map((n) => n.body.layers.every((la) => la.outputShape !== null));
    const figure = (i: number) => (known[i] ? formatNumber(nets[i]!.body.totalParams) : '–');
    const [first, second] = names;
    return html`<p>${first[0]!.toUpperCase()}${first.slice(1)} <span data-testid="gen-${first}-params">${figure(0)}</span> + ${second}
      <span data-testid="gen-${second}-params">${figure(1)}</span> = <strong data-testid="gen-total-params">${known.every(Boolean) ? formatNumber(a.totalParams) : '–'}</strong>
      parameters, ${formatCompact(a.flopsPerExample)} FLOPs per example forward.</p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cnn-gen-ledger': CnnGenLedger;
  }
}
