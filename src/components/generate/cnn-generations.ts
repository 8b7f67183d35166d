/**
 * The Generations section: pick a generative preset, size its networks with a live ledger,
 * train it in its own worker, watch the fixed-noise grid form, read the judge's scores and
 * explore the latent space. It creates its own store (generations-store.ts) when first connected;
 * the store's port starts the worker only on the first Train.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement } from 'lit/decorators.js';
import { GEN_PRESETS } from '../../model/generative/presets';
import { isConditional } from '../../model/generative/spec';
import { createGenerationsStore, isActive, type GenField, type GenerationsState } from '../../store/generations-store';
import { StoreController } from '../../store/store-controller';
import { createGenWorkerTrainer } from '../../train/generative/gen-client';
import type { BatchPoint, EpochPoint } from '../../train/protocol';
import { formatDuration, formatNumber } from '../../views/format';
import type { StoreApi } from 'zustand/vanilla';
import './cnn-gen-grid';
import './cnn-gen-recon';
import './cnn-gen-scores';
import './cnn-gen-ledger';
import './cnn-gen-explore';
import '../train/cnn-training-curves';

const STATUS_TEXT: Record<GenerationsState['run']['status'], string> = {
  idle: 'Not trained yet', 'loading-data': 'Loading MNIST', judge: 'Preparing the judge', building: 'Building',
  training: 'Training', paused: 'Paused', done: 'Done', stopped: 'Stopped', error: 'Error',
};

const FIELDS: { field: GenField; label: string; step: string }[] = [
  { field: 'latentSize', label: 'Latent size', step: '1' },
  { field: 'hiddenSize', label: 'Hidden units (conv: filters)', step: '1' },
  { field: 'learningRate', label: 'Learning rate', step: 'any' },
  { field: 'batchSize', label: 'Batch size', step: '1' },
  { field: 'epochs', label: 'Epochs', step: '1' },
];

let sharedStore: StoreApi<GenerationsState> | null = null;

/** The one Generations store of the page, created on first use (the bench reaches it as window.cnnGenerations.store). */
function generationsStore(): StoreApi<GenerationsState> {
  if (!sharedStore) {
    sharedStore = createGenerationsStore({ trainer: createGenWorkerTrainer() });
    (globalThis as { cnnGenerations?: unknown }).cnnGenerations = { store: sharedStore, presetIds: GEN_PRESETS.map((p) => p.id) };
  }
  return sharedStore;
}

@customElement('cnn-generations')
export class CnnGenerations extends LitElement {
  #state = new StoreController(this, generationsStore(), (s) => s);

  static override styles = css`
    :host { display: block; font-size: 13px; }
    .row { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
    .panel { flex: 1 1 360px; min-width: 0; }
    fieldset { border: 1px solid #d1d5db; border-radius: 6px; margin: 0 0 8px; padding: 6px 10px; }
    label { display: inline-flex; flex-direction: column; margin: 0 10px 6px 0; font-size: 12px; }
    input[type='number'] { width: 90px; }
    .actions { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; margin: 6px 0; }
    .error { color: #b91c1c; }
    .muted { color: var(--cnn-muted, #6b7280); }
    dl { display: flex; flex-wrap: wrap; gap: 4px 16px; margin: 4px 0; }
    dt { color: var(--cnn-muted, #6b7280); font-size: 11px; }
    dd { margin: 0; font-variant-numeric: tabular-nums; }
    h3 { font-size: 13px; margin: 8px 0 4px; }
  `;

  override render() {
    const s = this.#state.value;
    const run = s.run;
    const active = isActive(run.status);
    const conditional = isConditional(run.spec ?? s.spec);
    return html`
      <p class="muted">Train a model that <em>draws</em> digits, in this browser, and explore what it learned.</p>
      <div class="row">
        <div class="panel">
          ${this.#settings(s, active)}
          ${this.#controls(s, active)}
          <cnn-gen-ledger .analysis=${s.analysis}></cnn-gen-ledger>
        </div>
        <div class="panel">
          <cnn-gen-grid .grid=${run.grid} ?conditional=${conditional}></cnn-gen-grid>
          <cnn-gen-recon .recon=${run.recon}></cnn-gen-recon>
        </div>
      </div>
      <div class="row">
        <div class="panel">${this.#curves(s)}</div>
        <div class="panel"><cnn-gen-scores .scores=${run.scores} .judge=${run.judge}></cnn-gen-scores></div>
      </div>
      <cnn-gen-explore .gen=${s}></cnn-gen-explore>
    `;
  }

  #settings(s: GenerationsState, active: boolean) {
    const values: Record<GenField, number> = { latentSize: s.spec.latentSize, hiddenSize: s.spec.hiddenSize, ...s.spec.training };
    return html`
      <fieldset ?disabled=${active}>
        <legend>Generative model</legend>
        <label>Preset
          <select data-testid="gen-preset" @change=${(e: Event) => s.loadPreset((e.target as HTMLSelectElement).value)}>
            ${s.presetId === null ? html`<option value="" selected>(edited)</option>` : nothing}
            ${GEN_PRESETS.map((p) => html`<option value=${p.id} ?selected=${p.id === s.presetId}>${p.spec.name}</option>`)}
          </select>
        </label>
        <p class="muted">${s.spec.description}</p>
        ${FIELDS.map(({ field, label, step }) => html`
          <label>${label}
            <input type="number" name=${field} step=${step} .value=${String(values[field])}
              @change=${(e: Event) => s.setField(field, Number((e.target as HTMLInputElement).value))} />
          </label>`)}
        ${s.fieldErrors.map((e) => html`<p class="error" role="alert">${e.path}: ${e.message}</p>`)}
        <div role="radiogroup" aria-label="Judge">
          Judge:
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
        <button type="button" ?disabled=${active} @click=${() => s.start()}>Train</button>
        ${run.status === 'paused'
          ? html`<button type="button" @click=${() => s.resume()}>Resume</button>`
          : html`<button type="button" ?disabled=${run.status !== 'training'} @click=${() => s.pause()}>Pause</button>`}
        <button type="button" ?disabled=${!active} @click=${() => s.stop()}>Stop</button>
        <button type="button" ?disabled=${!run.grid || !run.judge} @click=${() => s.score()}>Score now</button>
        <button type="button" ?disabled=${!run.grid} @click=${() => s.exportDecoder()}
          title="The decoder as a tfjs LayersModel: decoder.json and decoder.weights.bin">Download decoder (tfjs)</button>
        <strong data-testid="gen-status" aria-live="polite">${STATUS_TEXT[run.status]}</strong>
        ${run.detail && run.status === 'judge' ? html`<span class="muted">${run.detail}</span>` : nothing}
      </div>
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

  /** Saves newly exported decoder files (two downloads: model JSON and weights). */
  protected override updated(): void {
    const files = this.#state.value.explore.decoderFiles;
    if (!files || files.requestId === this.#downloaded) return;
    this.#downloaded = files.requestId;
    save(new Blob([files.modelJson], { type: 'application/json' }), 'decoder.json', this.renderRoot);
    save(new Blob([files.weights], { type: 'application/octet-stream' }), 'decoder.weights.bin', this.renderRoot);
  }

  #curveCache = new WeakMap<object, { batches: BatchPoint[]; epochs: EpochPoint[] }[]>();

  /** The loss terms as the classifier's curve element draws them: one chart per term. */
  #curves(s: GenerationsState) {
    const { batches, epochs } = s.run;
    let cached = this.#curveCache.get(batches);
    if (!cached || cached[0].epochs.length !== epochs.length) {
      const toBatch = (key: 'reconstruction' | 'kl') => batches.map((b) => ({ step: b.step, examplesSeen: b.examplesSeen, loss: b[key], accuracy: NaN, elapsedMs: 0 }));
      const toEpoch = (key: 'testReconstruction' | 'testKl') =>
        epochs.map((e) => ({ epoch: e.epoch, examplesSeen: e.examplesSeen, elapsedMs: e.elapsedMs, trainLoss: NaN, trainAccuracy: NaN, valLoss: e[key], valAccuracy: NaN }));
      cached = [{ batches: toBatch('reconstruction'), epochs: toEpoch('testReconstruction') }, { batches: toBatch('kl'), epochs: toEpoch('testKl') }];
      this.#curveCache.set(batches, cached);
    }
    const last = batches.at(-1);
    const test = epochs.at(-1);
    const text = last
      ? `Latest batch: reconstruction ${last.reconstruction.toFixed(1)}, KL ${last.kl.toFixed(2)} per image${test ? `; test images after epoch ${test.epoch}: reconstruction ${test.testReconstruction.toFixed(1)}, KL ${test.testKl.toFixed(2)}` : ''}.`
      : 'No loss figures yet.';
    return html`
      <figure role="group" aria-labelledby="recon-h" style="margin:0">
        <h3 id="recon-h">Reconstruction loss (binary cross-entropy per image; dashed: test images)</h3>
        <cnn-training-curves metric="loss" .height=${200} .batches=${cached[0].batches} .epochs=${cached[0].epochs}></cnn-training-curves>
      </figure>
      <figure role="group" aria-labelledby="kl-h" style="margin:0">
        <h3 id="kl-h">KL divergence from the prior (per image; dashed: test images)</h3>
        <cnn-training-curves metric="loss" .height=${200} .batches=${cached[1].batches} .epochs=${cached[1].epochs}></cnn-training-curves>
      </figure>
      <p data-testid="gen-loss-text">${text}</p>
    `;
  }
}

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
