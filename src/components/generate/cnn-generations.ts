/**
 * The Generations section: pick a generative preset (a VAE, or the conditional DCGAN, marked slow
 * with its expected time), edit its two networks (encoder and decoder, or generator and
 * discriminator) in the same layer editor the classifier uses (gen-stack-source.ts adapts each
 * network), train it in its own worker, watch the fixed-noise grid form, read the judge's scores
 * and explore a VAE's latent space (a GAN has no encoder, so only its grid and scores apply). It creates its own store (generations-store.ts) when first connected;
 * the store's port starts the worker only on the first Train.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement } from 'lit/decorators.js';
import { isGan, networksOf, type GanAnalysis, type ModelNetwork } from '../../model/generative/gan-spec';
import { GEN_MENU } from '../../model/generative/presets';
import { isConditional } from '../../model/generative/spec';
import { createGenerationsStore, isActive, type GenField, type GenerationsState } from '../../store/generations-store';
import { StoreController } from '../../store/store-controller';
import { createGenWorkerTrainer } from '../../train/generative/gen-client';
import { formatDuration, formatNumber } from '../../views/format';
import type { StoreApi } from 'zustand/vanilla';
import './cnn-gen-grid';
import './cnn-gen-recon';
import './cnn-gen-scores';
import './cnn-gen-ledger';
import './cnn-gen-network-stack';
import { genStackSource } from '../editor/gen-stack-source';
import './cnn-gen-explore';
import './cnn-gen-loss';
import './cnn-gen-gan-note';
import { controlStyles } from '../shared/control-styles';

const STATUS_TEXT: Record<GenerationsState['run']['status'], string> = {
  idle: 'Not trained yet', 'loading-data': 'Loading MNIST', judge: 'Preparing the judge', building: 'Building',
  training: 'Training', paused: 'Paused', done: 'Done', stopped: 'Stopped', error: 'Error',
};

const FIELDS: { field: GenField; label: string; step: string }[] = [
  { field: 'latentSize', label: 'Latent size', step: '1' },
  { field: 'learningRate', label: 'Learning rate', step: 'any' },
  { field: 'batchSize', label: 'Batch size', step: '1' },
  { field: 'epochs', label: 'Epochs', step: '1' },
];

/** Words for a network's fixed parts, beside its editor. */
const NETWORK_NOTES: Record<ModelNetwork, string> = {
  encoder: 'Its output is flattened (and joined by the one-hot label, in a conditional model); a fixed Dense then gives the mean and log-variance of the code.',
  decoder: 'It must end with exactly 784 values (e.g. Dense 784, or a 28x28x1 convolution), linear: they are the pixel logits.',
  generator: 'It sees noise and the one-hot label, and must end with exactly 784 values through tanh (or sigmoid): the pixels of a 28x28 digit.',
  discriminator: 'It sees a real or generated image; its output is flattened, joined by the one-hot label, and a fixed Dense 1 gives the real/fake logit.',
};

let sharedStore: StoreApi<GenerationsState> | null = null;

/** The one Generations store of the page, created on first use (the bench reaches it as window.cnnGenerations.store). */
function generationsStore(): StoreApi<GenerationsState> {
  if (!sharedStore) {
    sharedStore = createGenerationsStore({ trainer: createGenWorkerTrainer() });
    // The bench trains every preset in `presetIds`: the VAEs. The GAN (minutes per epoch on a CPU) is in the menu and in `menuIds`.
    (globalThis as { cnnGenerations?: unknown }).cnnGenerations = {
      store: sharedStore, presetIds: GEN_MENU.filter((p) => !isGan(p.spec)).map((p) => p.id), menuIds: GEN_MENU.map((p) => p.id),
    };
  }
  return sharedStore;
}

@customElement('cnn-generations')
export class CnnGenerations extends LitElement {
  readonly #store = generationsStore();
  #state = new StoreController(this, this.#store, (s) => s);

  static override styles = [controlStyles, css`
    :host { display: block; font-size: 13px; }
    .row { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
    .panel { flex: 1 1 360px; min-width: 0; }
    fieldset { margin: 0 0 8px; padding: 6px 10px 8px; }
    label { display: inline-flex; flex-direction: column; margin: 0 10px 6px 0; font-size: 12px; }
    input[type='number'] { width: 90px; }
    .actions { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; margin: 6px 0; }
    .error { color: var(--cnn-bad, #b91c1c); }
    .stale { color: var(--cnn-warn, #a60); }
    .network h3 { margin-top: 12px; }
    /* Open at first; a person can fold both long editors away to keep the grid and curves together. */
    .networks { margin: 8px 0; }
    .networks summary { cursor: pointer; font-weight: 600; }
    .muted { color: var(--cnn-muted, #6b7280); }
    dl { display: flex; flex-wrap: wrap; gap: 4px 16px; margin: 4px 0; }
    dt { color: var(--cnn-muted, #6b7280); font-size: 11px; }
    dd { margin: 0; font-variant-numeric: tabular-nums; }
    h3 { font-size: 13px; margin: 8px 0 4px; }
  `];

  override render() {
    const s = this.#state.value;
    const run = s.run;
    const active = isActive(run.status);
    const shown = run.spec ?? s.spec;
    const conditional = isConditional(shown);
    const gan = isGan(shown);
    const [first, second] = networksOf(s.spec);
    return html`
      <p class="muted">Train a model that <em>draws</em> digits, in this browser, and explore what it learned.</p>
      <div class="row">
        <div class="panel">
          ${this.#settings(s)}
          ${this.#controls(s, active)}
          <cnn-gen-ledger .analysis=${s.analysis}></cnn-gen-ledger>
          <cnn-gen-loss .batches=${run.batches} .epochs=${run.epochs} ?gan=${gan}></cnn-gen-loss>
        </div>
        <div class="panel">
          <cnn-gen-grid .grid=${run.grid} ?conditional=${conditional}></cnn-gen-grid>
          ${gan
            ? html`<p class="muted" data-testid="gen-gan-recon-note">A GAN has no encoder, so it cannot reconstruct a test digit: its generator only draws from noise.</p>`
            : html`<cnn-gen-recon .recon=${run.recon}></cnn-gen-recon>`}
          <cnn-gen-scores .scores=${run.scores} .judge=${run.judge}></cnn-gen-scores>
        </div>
      </div>
      <details class="networks" data-testid="gen-networks" open>
        <summary>${title(first!)} and ${second} layers: edit them in the layer editor</summary>
        <div class="row">${networksOf(s.spec).map((n) => this.#network(n))}</div>
      </details>
      ${gan
        ? html`<h3>Explore the latent space</h3><p data-testid="gen-gan-explore-note">A GAN has no encoder: it cannot place a digit in its
            latent space, so the walk between two digits and the latent map need a VAE preset. Its grid above shows what it draws from fixed noise, one row per digit.</p>
            ${s.explore.error ? html`<p class="error" role="alert" data-testid="gen-explore-error">${s.explore.error}</p>` : nothing}`
        : html`<cnn-gen-explore .gen=${s}></cnn-gen-explore>`}
    `;
  }

  /** One network in the classifier's layer editor. */
  #network(network: ModelNetwork) {
    const name = title(network);
    return html`<section class="panel network" data-network=${network} aria-labelledby="${network}-h">
      <h3 id="${network}-h">${name}</h3>
      <p class="muted">${NETWORK_NOTES[network]}</p>
      <cnn-gen-network-stack data-testid="gen-${network}" idPrefix="gen-${network}-" label="${name} layers"
        .source=${genStackSource(this.#store, network)}></cnn-gen-network-stack>
    </section>`;
  }

  #settings(s: GenerationsState) {
    const values: Record<GenField, number> = { latentSize: s.spec.latentSize, ...s.spec.training };
    return html`
      <fieldset>
        <legend>Generative model</legend>
        <!-- Options are selected by property: an attribute stops steering them once the person has picked one. -->
        <label>Preset
          <select data-testid="gen-preset" @change=${(e: Event) => s.loadPreset((e.target as HTMLSelectElement).value)}>
            ${s.presetId === null ? html`<option value="" .selected=${true}>(edited)</option>` : nothing}
            ${GEN_MENU.map((p) => html`<option value=${p.id} .selected=${p.id === s.presetId}>${p.spec.name}${isGan(p.spec) && p.spec.slow && !/slow/i.test(p.spec.name) ? ' (slow without a GPU)' : ''}</option>`)}
          </select>
        </label>
        <p class="muted">${s.spec.description}</p>
        ${isGan(s.spec)
          ? html`<cnn-gen-gan-note .spec=${s.spec} .analysis=${s.analysis as GanAnalysis}
              .rate=${s.run.spec === s.spec && s.run.progress ? s.run.progress.examplesPerSecond : null} .backend=${s.run.backend?.name ?? null}></cnn-gen-gan-note>`
          : nothing}
        ${FIELDS.map(({ field, label, step }) => html`
          <label>${label}
            <input type="number" name=${field} step=${step} .value=${String(values[field])}
              @change=${(e: Event) => s.setField(field, Number((e.target as HTMLInputElement).value))} />
          </label>`)}
        ${s.fieldErrors.map((e) => html`<p class="error" role="alert">${e.path}: ${e.message}</p>`)}
        <div role="radiogroup" aria-label="Reference judge">
          <span title="Your own kept classifier judges when one reaches 98% test accuracy; otherwise this reference seed CNN does.">Reference judge (when none of your kept classifiers reaches 98%):</span>
          <label style="flex-direction:row"><input type="radio" name="judge" value="quick" .checked=${s.judgeChoice === 'quick'} @change=${() => s.setJudgeChoice('quick')} /> quick (4,000 examples, seconds)</label>
          <label style="flex-direction:row"><input type="radio" name="judge" value="full" .checked=${s.judgeChoice === 'full'} @change=${() => s.setJudgeChoice('full')} /> full (2 epochs, trained once per browser)</label>
        </div>
      </fieldset>
    `;
  }

  #controls(s: GenerationsState, active: boolean) {
    const run = s.run;
    const p = run.progress;
    return html`
      <div class="actions">
        <button type="button" class="primary" ?disabled=${s.trainBlock !== null || (active && run.status !== 'paused')} @click=${() => s.start()}>${run.status === 'idle' ? 'Train' : 'Train again'}</button>
        ${run.status === 'paused'
          ? html`<button type="button" @click=${() => s.resume()}>Resume</button>`
          : html`<button type="button" ?disabled=${run.status !== 'training'} @click=${() => s.pause()}>Pause</button>`}
        <button type="button" ?disabled=${!active} @click=${() => s.stop()}>Stop</button>
        <button type="button" ?disabled=${!run.grid || !run.judge} @click=${() => s.score()}>Score now</button>
        ${run.spec && isGan(run.spec)
          ? html`<button type="button" ?disabled=${!run.grid} @click=${() => s.exportDecoder()}
              title="The generator as a tfjs LayersModel: generator.json and its weights file">Download generator (tfjs)</button>`
          : html`<button type="button" ?disabled=${!run.grid} @click=${() => s.exportDecoder()}
              title="The decoder as a tfjs LayersModel: decoder.json and decoder.weights.bin">Download decoder (tfjs)</button>`}
        <strong data-testid="gen-status" aria-live="polite">${STATUS_TEXT[run.status]}</strong>
        ${run.detail && run.status === 'judge' ? html`<span class="muted">${run.detail}</span>` : nothing}
      </div>
      ${s.trainBlock ? html`<p class="error" role="alert" data-testid="gen-train-block">${s.trainBlock}</p>` : nothing}
      ${run.stale ? html`<p class="stale" data-testid="gen-stale">The networks or settings changed after this run started, so the run no longer matches them. Press “Train again” to train the edited model.</p>` : nothing}
      ${run.error ? html`<p class="error" role="alert" data-testid="gen-error">${run.error}</p>` : nothing}
      ${p
        ? html`<dl data-testid="gen-progress">
            <div><dt>Epoch</dt><dd>${p.epoch} / ${p.epochs}</dd></div>
            <div><dt>Batch</dt><dd>${p.batch} / ${p.batchesPerEpoch}</dd></div>
            <div><dt>Examples seen</dt><dd data-testid="gen-examples">${formatNumber(p.examplesSeen)}</dd></div>
            <div><dt>Examples/s</dt><dd data-testid="gen-rate">${formatNumber(Math.round(p.examplesPerSecond))}</dd></div>
            <div><dt>Elapsed</dt><dd>${formatDuration(p.elapsedMs)}</dd></div>
            <div><dt>Backend</dt><dd data-testid="gen-backend">${run.backend ? `${run.backend.name}${run.backend.threads ? `, ${run.backend.threads} threads` : ''}` : '-'}</dd></div>
            <div><dt>Tensors</dt><dd>${p.tensors}</dd></div>
          </dl>`
        : nothing}
    `;
  }

  #downloaded = 0;

  /** Saves newly exported decoder (or GAN generator) files: two downloads, the model JSON and the weights it names. */
  protected override updated(): void {
    const { explore, run } = this.#state.value;
    const files = explore.decoderFiles;
    if (!files || files.requestId === this.#downloaded) return;
    this.#downloaded = files.requestId;
    const name = run.spec && isGan(run.spec) ? 'generator' : 'decoder';
    save(new Blob([files.modelJson], { type: 'application/json' }), `${name}.json`, this.renderRoot);
    save(new Blob([files.weights], { type: 'application/octet-stream' }), weightsFileOf(files.modelJson), this.renderRoot);
  }
}

/** The weights file a model.json names (tf.loadLayersModel looks for exactly that name beside it). */
function weightsFileOf(modelJson: string): string {
  try {
    const path = (JSON.parse(modelJson) as { weightsManifest?: { paths?: unknown[] }[] }).weightsManifest?.[0]?.paths?.[0];
    return typeof path === 'string' && /^[\w.-]+$/.test(path) ? path : 'decoder.weights.bin';
  } catch {
    return 'decoder.weights.bin';
  }
}

/** A network's name as a heading. */
const title = (network: string): string => `${network[0]!.toUpperCase()}${network.slice(1)}`;

/** Starts a download of `blob` as `name` through a temporary link. */
function save(blob: Blob, name: string, root: HTMLElement | DocumentFragment): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  root.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

declare global {
  interface HTMLElementTagNameMap {
    'cnn-generations': CnnGenerations;
  }
}
