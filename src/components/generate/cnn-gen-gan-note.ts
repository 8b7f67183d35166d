/**
 * `<cnn-gen-gan-note>`: how long a conditional GAN takes, said before the person presses Train.
 * The figure is estimated from the GAN's training FLOPs and the throughput the bench measured
 * for the wasm backend on a 2-core CPU (gan-spec.ts); once a run reports its own rate, the
 * measured minutes per epoch join it, so the person sees both the promise and the fact.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { EPOCH_EXAMPLES, estimatedCpuMinutesPerEpoch, ganTrainingFlopsPerExample, type GanAnalysis, type GanSpec } from '../../model/generative/gan-spec';
import { formatNumber } from '../../views/format';

const minutes = (m: number): string => (m < 1 ? 'under a minute' : `about ${formatNumber(Math.round(m))} minute${Math.round(m) === 1 ? '' : 's'}`);

/** The slow-without-a-GPU note of a GAN spec, with the run's measured rate when there is one. */
@customElement('cnn-gen-gan-note')
export class CnnGenGanNote extends LitElement {
  @property({ attribute: false }) spec: GanSpec | null = null;
  @property({ attribute: false }) analysis: GanAnalysis | null = null;
  /** The current run's recent examples per second, when it trains this spec. */
  @property({ attribute: false }) rate: number | null = null;
  /** The backend the run trains on (e.g. `wasm`), when known. */
  @property({ attribute: false }) backend: string | null = null;

  static override styles = css`
    :host { display: block; font-size: 12px; }
    p { margin: 4px 0; padding: 4px 8px; border-left: 3px solid var(--cnn-warn, #a60); background: #fff7ed; }
  `;

  override render() {
    const { spec, analysis: a } = this;
    if (!spec || !a || !a.valid) return nothing;
    const flops = ganTrainingFlopsPerExample(a) / 1e6;
    const head = spec.slow ? 'Slow without a GPU' : 'Training time';
    const measured = this.rate && this.rate > 0
      ? html` Measured in this run${this.backend ? ` (${this.backend})` : ''}: ${formatNumber(Math.round(this.rate))} examples/s, ${minutes(EPOCH_EXAMPLES / this.rate / 60)} per epoch.`
      : nothing;
    return html`<p data-testid="gen-slow-note">${head}: ${minutes(estimatedCpuMinutesPerEpoch(a))} per epoch of
      ${formatNumber(EPOCH_EXAMPLES)} digits on a 2-core CPU (wasm), estimated from its ${flops.toFixed(0)} MFLOPs per training
      example; a GPU (webgpu or webgl) is many times faster.${measured}</p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cnn-gen-gan-note': CnnGenGanNote;
  }
}
