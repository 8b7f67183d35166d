/**
 * `<cnn-inspector>`: the "Look inside" section. The only inspect element that touches the store:
 * it reads the inspect slice and the trained spec, hands plain data to the property-driven views
 * (input picker, class probabilities, saliency, feature maps, filters, layer health, confusion
 * gallery) and turns their events into store actions. Three columns on wide screens, stacked on
 * narrow ones. While a probe is in flight the last result stays up (no flicker).
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { StoreApi } from 'zustand/vanilla';
import { shallow } from 'zustand/vanilla/shallow';
import { analyze, type SpecAnalysis } from '../../model/shapes';
import { NUM_CLASSES, type LayerSpec, type NetworkSpec } from '../../model/spec';
import type { AppState } from '../../store/app-store';
import { StoreController } from '../../store/store-controller';
import type { ProbeInput } from '../../train/protocol';
import { topIndices } from '../../views/feature-maps';
import { unwatchLiveRegion, watchLiveRegion } from '../shared/on-screen';
import type { SaliencyChangeDetail } from './cnn-saliency-map';
import './cnn-class-probabilities';
import './cnn-confusion-gallery';
import './cnn-feature-maps';
import './cnn-filter-grid';
import './cnn-input-picker';
import './cnn-layer-health';
import './cnn-saliency-map';

interface Slice {
  inspect: AppState['inspect'];
  /** The spec of the current run (what the probe looks inside), or null before any run. */
  runSpec: NetworkSpec | null;
  spec: NetworkSpec;
  analysis: SpecAnalysis;
  /** The run's confusion matrix, for a gallery's full count. */
  confusion: readonly number[] | null;
  /** How many workers train (the smoothness choice matters only with more than one). */
  workers: number;
  smoothInspector: boolean;
}

/** The inspector section; `store` is set by the app. */
@customElement('cnn-inspector')
export class CnnInspector extends LitElement {
  @property({ attribute: false }) store!: StoreApi<AppState>;
  #slice!: StoreController<AppState, Slice>;
  #analysis: { layers: readonly LayerSpec[]; analysis: SpecAnalysis } | null = null;

  static override styles = css`
    :host { display: block; font: 13px/1.4 system-ui, sans-serif; color: var(--cnn-fg, #1f2328); }
    .grid { display: grid; gap: 16px 20px; align-items: start;
      grid-template-columns: minmax(300px, 340px) minmax(0, 1fr) minmax(320px, 0.7fr);
      grid-template-areas: 'gallery gallery gallery' 'input maps side'; }
    .gallery { grid-area: gallery; }
    .input { grid-area: input; }
    .maps { grid-area: maps; min-width: 0; }
    .side { grid-area: side; min-width: 0; }
    @media (max-width: 1280px) {
      .grid { grid-template-columns: minmax(280px, 340px) minmax(0, 1fr); grid-template-areas: 'gallery gallery' 'input maps' 'side side'; }
      .side { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 16px 20px; }
      .side .block + .block { margin-top: 0; }
    }
    @media (max-width: 760px) {
      .grid { grid-template-columns: minmax(0, 1fr); grid-template-areas: 'gallery' 'input' 'maps' 'side'; }
    }
    h3 { font-size: 13px; font-weight: 600; margin: 0 0 8px; display: flex; gap: 8px; align-items: baseline; }
    .block + .block { margin-top: 18px; }
    .notice { margin: 0 0 12px; padding: 8px 10px; border-radius: 8px; color: var(--cnn-fg, #1f2328);
      background: color-mix(in srgb, var(--cnn-accent, #2563eb) 8%, transparent); }
    /* Shown only when a probe lasts over 250 ms, so quick refreshes during training never blink. */
    .busy { font-weight: 400; font-size: 12px; color: var(--cnn-muted, #6b7280); opacity: 0; transition: opacity 0.15s; }
    .busy.on { opacity: 1; transition-delay: 0.25s; }
    .hint { color: var(--cnn-muted, #6b7280); margin: 0; }
    .smooth { display: flex; gap: 6px; align-items: baseline; margin: -4px 0 12px; color: var(--cnn-muted, #6b7280); font-size: 12px; }
  `;

  override connectedCallback(): void {
    this.#slice ??= new StoreController(this, this.store, (s): Slice => ({
      inspect: s.inspect, runSpec: s.run.spec, spec: s.spec, analysis: s.analysis, confusion: s.run.report?.confusion ?? null,
      workers: s.run.backend?.workers ?? 1, smoothInspector: s.smoothInspector,
    }), shallow);
    super.connectedCallback();
    // Start with the first test image, so every layer's output appears as soon as a model exists
    // (the store re-probes its input during training and when a run ends). Done before the first
    // render, so the state change lands in that render rather than scheduling a second one.
    if (!this.store.getState().inspect.input) this.store.getState().inspectInput({ source: 'test', index: 0 });
    // Its views update all through a run: while it is on screen, training leaves the page a core.
    watchLiveRegion(this);
  }

  override disconnectedCallback(): void {
    unwatchLiveRegion(this);
    super.disconnectedCallback();
  }

  /** The layers the probe ran on: the run's spec (the editor may have moved on), else the edited one. */
  #trained(): { layers: readonly LayerSpec[]; analysis: SpecAnalysis } {
    const { runSpec, spec, analysis } = this.#slice.value;
    if (!runSpec) return { layers: spec.layers, analysis };
    if (this.#analysis?.layers !== runSpec.layers) this.#analysis = { layers: runSpec.layers, analysis: analyze(runSpec.layers) };
    return this.#analysis;
  }

  #handleInput(event: CustomEvent<ProbeInput>): void {
    event.stopPropagation();
    this.store.getState().inspectInput(event.detail);
  }

  #handleSaliency(event: CustomEvent<SaliencyChangeDetail>): void {
    event.stopPropagation();
    this.store.getState().setSaliency(event.detail.classIndex, event.detail.smoothGrad);
  }

  #inputColumn(inspect: AppState['inspect']) {
    const probe = inspect.probe;
    const predicted = probe?.probabilities.length ? topIndices(probe.probabilities, 1)[0] : null;
    return html`<div class="input">
      <div class="block">
        <h3>Input</h3>
        <cnn-input-picker .input=${inspect.input} .pixels=${probe?.pixels ?? null} .label=${probe?.label ?? null}
          .testIndex=${probe?.testIndex ?? null}></cnn-input-picker>
      </div>
      <div class="block">
        <h3>Prediction</h3>
        <cnn-class-probabilities .probabilities=${probe?.probabilities ?? []} .label=${probe?.label ?? null}></cnn-class-probabilities>
      </div>
      <div class="block">
        <h3>Saliency</h3>
        <cnn-saliency-map .pixels=${probe?.pixels ?? null} .saliency=${probe?.saliency ?? null} .selectedClass=${inspect.saliencyClass}
          .smoothGrad=${inspect.smoothGrad} .predicted=${predicted}></cnn-saliency-map>
      </div>
    </div>`;
  }

  /**
   * The choice between a smooth page and full speed. With two workers, the page asks for a core
   * of its own while this section is on screen and for a second after each act of the person
   * (core-ask.ts, recent-acts.ts): smooth, but training runs on one worker meanwhile (about 17%
   * slower measured on 2 cores). One worker has no core to give. The choice sits here because
   * this section is where the difference shows.
   */
  #smoothChoice() {
    const { workers, smoothInspector } = this.#slice.value;
    if (workers < 2) return nothing;
    return html`<label class="smooth">
      <input type="checkbox" .checked=${smoothInspector}
        @change=${(e: Event) => this.store.getState().setSmoothInspector((e.target as HTMLInputElement).checked)}>
      Keep the page smooth while training (one of the ${workers} workers rests while this section is on screen, and for a second after you click, type or scroll)
    </label>`;
  }

  protected override render() {
    const { inspect, confusion } = this.#slice.value;
    const g = inspect.gallery;
    const total = g && confusion ? (confusion[g.trueClass * NUM_CLASSES + g.predicted] ?? null) : null;
    const trained = this.#trained();
    const error = inspect.probeError;
    // The error leads the section when there is nothing to show yet; with an older result up it
    // sits above the maps it concerns.
    const notice = error ? html`<p class="notice" role="status" data-testid="probe-error">${error}</p>` : nothing;
    return html`${this.#smoothChoice()}${inspect.probe ? nothing : notice}<div class="grid" @cnn-input-change=${this.#handleInput} @cnn-saliency-change=${this.#handleSaliency}>
      ${inspect.gallery ? html`<div class="gallery">
        <cnn-confusion-gallery .gallery=${inspect.gallery} .total=${total} .selectedIndex=${inspect.probe?.testIndex ?? null}></cnn-confusion-gallery>
      </div>` : nothing}
      ${this.#inputColumn(inspect)}
      <div class="maps" aria-busy=${inspect.probing ? 'true' : 'false'}>
        <h3>Feature maps <span class="busy ${inspect.probing ? 'on' : ''}" aria-hidden="true">looking inside…</span></h3>
        ${inspect.probe ? notice : nothing}
        ${inspect.probe || !error
          ? html`<cnn-feature-maps .probe=${inspect.probe} .layers=${trained.layers} .analysis=${trained.analysis}></cnn-feature-maps>`
          : html`<p class="hint">Every layer's output for the chosen input appears here.</p>`}
      </div>
      <div class="side">
        <div class="block">
          <h3>Filters</h3>
          <cnn-filter-grid .filters=${inspect.filters} .layers=${trained.layers} .analysis=${trained.analysis}></cnn-filter-grid>
        </div>
        <div class="block">
          <h3>Layer health</h3>
          <cnn-layer-health .health=${inspect.health} .layers=${trained.layers} .analysis=${trained.analysis}></cnn-layer-health>
        </div>
      </div>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cnn-inspector': CnnInspector;
  }
}
