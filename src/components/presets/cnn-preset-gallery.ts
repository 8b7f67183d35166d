/**
 * The presets gallery: a card per shipped preset with its description, layers, parameter count
 * and the test accuracy and training time measured by the project's benchmark
 * (presets/measurements.json). "Load" replaces the stack through the store's `loadPreset`.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { StoreApi } from 'zustand/vanilla';
import { measurementOf, specFingerprint, type Measurement, type MeasurementStatus } from '../../data/preset-measurements';
import { describeLayer } from '../../model/layers';
import { formatNumber } from '../../model/limits';
import { DEFAULT_PRESET_ID, PRESETS, type Preset } from '../../model/presets';
import { analyze } from '../../model/shapes';
import type { LayerSpec, TrainingSettings } from '../../model/spec';
import type { AppState } from '../../store/app-store';
import { StoreController } from '../../store/store-controller';

interface Card {
  preset: Preset;
  params: number;
  fingerprint: string;
  status: MeasurementStatus;
}

// Presets are frozen and measurements are bundled, so the cards' figures are computed once.
const CARDS: readonly Card[] = PRESETS.map((preset) => ({
  preset,
  params: analyze(preset.spec.layers).totalParams,
  fingerprint: specFingerprint(preset.spec),
  status: measurementOf(preset.id, preset.spec),
}));

/** A layer as a short chip label, e.g. `conv 32`, `pool`, `dense 10`. */
function chip(layer: LayerSpec): string {
  switch (layer.kind) {
    case 'conv2d': return `conv ${layer.filters}`;
    case 'maxPool2d': return 'max pool';
    case 'avgPool2d': return 'avg pool';
    case 'dense': return `dense ${layer.units}`;
    case 'flatten': return 'flatten';
    case 'dropout': return `dropout ${layer.rate}`;
    case 'batchNorm': return 'batch norm';
    case 'activation': return layer.activation;
    case 'globalAvgPool2d': return 'global avg';
    case 'reshape': return `reshape ${layer.height}x${layer.width}x${layer.channels}`;
    case 'upSampling2d': return `upsample ${layer.size}x`;
    case 'conv2dTranspose': return `conv-T ${layer.filters}`;
  }
}

/** Percent with two decimals, e.g. `99.12%`. */
const percent = (fraction: number): string => `${(fraction * 100).toFixed(2)}%`;

/** Seconds as `48s` or `3m 05s` (short enough for a third of a card). */
function duration(seconds: number): string {
  const s = Math.round(seconds);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
}

/** The training settings that shape the figure, in one line. */
function settingsLine(t: TrainingSettings): string {
  const parts = [`${t.epochs} epoch${t.epochs === 1 ? '' : 's'}`, `batch ${t.batchSize}`, `${t.optimizer} ${t.learningRate}${t.lrSchedule === 'cosine' ? ' cosine' : ''}`];
  if (t.trainExamples < 60000) parts.push(`${formatNumber(t.trainExamples)} examples`);
  if (t.augment.shift || t.augment.rotation) parts.push(`shift ±${t.augment.shift} px, turn ±${t.augment.rotation}°`);
  return parts.join(' · ');
}

function provenance(m: Measurement): string {
  const where = m.threads ? `${m.backend}, ${m.threads} thread${m.threads === 1 ? '' : 's'}` : m.backend;
  return `Measured with npm run bench on ${where}, ${m.measuredAt.slice(0, 10)}`;
}

/** Cards for every preset, each with measured figures and a Load button; fires `cnn-preset-load` after loading. */
@customElement('cnn-preset-gallery')
export class CnnPresetGallery extends LitElement {
  @property({ attribute: false }) store!: StoreApi<AppState>;
  #current!: StoreController<AppState, string>;

  override connectedCallback(): void {
    // A fingerprint (a short string) changes only when the stack or settings do, not on run progress.
    this.#current ??= new StoreController(this, this.store, (s) => specFingerprint(s.spec));
    super.connectedCallback();
  }

  #load(id: string): void {
    if (!this.store.getState().loadPreset(id)) return;
    this.dispatchEvent(new CustomEvent('cnn-preset-load', { detail: { id }, bubbles: true, composed: true }));
  }

  override render() {
    return html`<ul class="grid" role="list" aria-label="Presets">${CARDS.map((card) => this.#renderCard(card))}</ul>`;
  }

  #renderCard({ preset, params, fingerprint, status }: Card) {
    const { spec, id } = preset;
    const loaded = fingerprint === this.#current.value;
    const m = status.kind === 'measured' ? status.measurement : null;
    return html`
      <li class="card ${loaded ? 'loaded' : ''}" data-preset=${id}>
        <header>
          <h3>${spec.name || id}</h3>
          ${id === DEFAULT_PRESET_ID ? html`<span class="badge">default</span>` : nothing}
        </header>
        <p class="description">${spec.description}</p>
        <ol class="layers" aria-label="Layers">
          ${spec.layers.map((l) => html`<li class=${l.kind} title=${describeLayer(l)}>${chip(l)}</li>`)}
        </ol>
        <dl class="figures">
          <div><dt>Parameters</dt><dd class="params">${formatNumber(params)}</dd></div>
          <div><dt>Test accuracy</dt><dd class="accuracy">${m ? percent(m.testAccuracy) : '–'}</dd></div>
          <div><dt>Training time</dt><dd class="time">${m ? duration(m.trainingSeconds) : '–'}</dd></div>
        </dl>
        <p class="settings">${settingsLine(spec.training)}</p>
        <p class="provenance" title=${m ? m.machine : ''}>
          ${m ? provenance(m) : status.kind === 'outdated' ? 'not measured yet (the preset changed since its last benchmark)' : 'not measured yet'}
        </p>
        <button type="button" aria-label=${`Load ${spec.name || id}`} @click=${() => this.#load(id)}>
          ${loaded ? 'Loaded' : 'Load'}
        </button>
      </li>
    `;
  }

  static override styles = css`
    :host { display: block; font-size: 13px; color: var(--cnn-fg, #1d2130); }
    .grid { list-style: none; margin: 0; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(250px, 1fr)); gap: 12px; }
    .card { display: flex; flex-direction: column; gap: 8px; padding: 12px 14px; background: var(--cnn-surface, #fff); border: 1px solid var(--cnn-border, #e1e4ee); border-radius: 10px; transition: border-color 120ms, box-shadow 120ms; }
    .card:hover { border-color: color-mix(in srgb, var(--cnn-accent, #3b5bdb) 45%, var(--cnn-border, #e1e4ee)); }
    .card.loaded { border-color: var(--cnn-accent, #3b5bdb); box-shadow: 0 0 0 1px var(--cnn-accent, #3b5bdb); }
    header { display: flex; align-items: baseline; gap: 8px; }
    h3 { margin: 0; font-size: 15px; }
    .badge { font-size: 10px; text-transform: uppercase; letter-spacing: 0.05em; padding: 1px 6px; border-radius: 999px; background: var(--cnn-bg, #f5f6fa); color: var(--cnn-muted, #61677a); border: 1px solid var(--cnn-border, #e1e4ee); }
    .description { margin: 0; color: var(--cnn-muted, #61677a); line-height: 1.4; }
    .layers { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 3px; }
    .layers li { font-size: 10.5px; padding: 1px 6px; border-radius: 4px; background: var(--cnn-bg, #f5f6fa); color: var(--cnn-muted, #61677a); white-space: nowrap; }
    .layers li.conv2d { background: color-mix(in srgb, var(--cnn-accent, #3b5bdb) 14%, transparent); color: var(--cnn-accent, #3b5bdb); }
    .layers li.dense { background: color-mix(in srgb, var(--cnn-val, #e8590c) 14%, transparent); color: var(--cnn-val, #e8590c); }
    .figures { margin: 0; display: grid; grid-template-columns: repeat(3, 1fr); gap: 6px; }
    .figures div { display: flex; flex-direction: column; gap: 1px; }
    dt { font-size: 10.5px; color: var(--cnn-muted, #61677a); }
    dd { margin: 0; font-size: 16px; font-weight: 650; font-variant-numeric: tabular-nums; white-space: nowrap; }
    .settings, .provenance { margin: 0; font-size: 11px; color: var(--cnn-muted, #61677a); }
    .provenance { font-style: italic; }
    button { margin-top: auto; align-self: flex-start; font: inherit; font-weight: 600; padding: 5px 14px; border-radius: 6px; cursor: pointer; border: 1px solid var(--cnn-accent, #3b5bdb); background: var(--cnn-accent, #3b5bdb); color: #fff; }
    .loaded button { background: transparent; color: var(--cnn-accent, #3b5bdb); }
    button:focus-visible { outline: 2px solid var(--cnn-accent, #3b5bdb); outline-offset: 2px; }
  `;
}

declare global {
  interface HTMLElementTagNameMap {
    'cnn-preset-gallery': CnnPresetGallery;
  }
}
