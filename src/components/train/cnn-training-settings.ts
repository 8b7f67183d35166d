/**
 * The training settings form. Each field goes through the store's validated update; a rejected
 * value stays visible with the reason beside it until it is corrected. Augmentation has its own
 * group with a preview of augmented digits.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { StoreApi } from 'zustand/vanilla';
import { AUGMENT_FIELDS } from '../../model/limits';
import { LR_SCHEDULES, OPTIMIZERS, type AugmentSettings, type LrScheduleName, type TrainingSettings } from '../../model/spec';
import type { AppState } from '../../store/app-store';
import { StoreController } from '../../store/store-controller';
import './cnn-augment-preview';

type Field = Exclude<keyof TrainingSettings, 'augment'>;
type AugmentField = keyof AugmentSettings;
/** Error keys: a training field, or `augment.shift` / `augment.rotation`. */
type ErrorKey = Field | `augment.${AugmentField}`;

interface NumberField<K extends string> {
  key: K;
  label: string;
  min: number;
  max: number;
  step: string;
  hint: string;
}

/** Fields chosen from a list; every other field is a number. */
type ChoiceField = 'optimizer' | 'lrSchedule';

const NUMBER_FIELDS: readonly NumberField<Exclude<Field, ChoiceField>>[] = [
  { key: 'learningRate', label: 'Learning rate', min: 0.00001, max: 10, step: 'any', hint: '0.001 suits Adam' },
  { key: 'batchSize', label: 'Batch size', min: 1, max: 1024, step: '1', hint: 'examples per step' },
  { key: 'epochs', label: 'Epochs', min: 1, max: 100, step: '1', hint: 'passes over the data' },
  { key: 'validationSplit', label: 'Validation split', min: 0, max: 0.5, step: '0.05', hint: 'held out of training' },
  { key: 'trainExamples', label: 'Training examples', min: 100, max: 60000, step: '100', hint: 'of 60,000' },
  { key: 'seed', label: 'Random seed', min: 0, max: 2147483647, step: '1', hint: 'same seed, same run' },
];

const SCHEDULE_LABELS: Readonly<Record<LrScheduleName, string>> = { constant: 'constant', cosine: 'cosine decay' };

const bound = (key: AugmentField, side: 'min' | 'max'): number => {
  const spec = AUGMENT_FIELDS[key];
  return spec.type === 'enum' ? 0 : spec[side];
};

const AUGMENT_INPUTS: readonly NumberField<AugmentField>[] = [
  { key: 'shift', label: 'Max shift (px)', min: bound('shift', 'min'), max: bound('shift', 'max'), step: '1', hint: 'random move up to this' },
  { key: 'rotation', label: 'Max rotation (°)', min: bound('rotation', 'min'), max: bound('rotation', 'max'), step: '1', hint: 'random turn up to this' },
];

/** Edits optimizer, learning rate, batch size, epochs, validation split, subset size, seed and augmentation. */
@customElement('cnn-training-settings')
export class CnnTrainingSettings extends LitElement {
  @property({ attribute: false }) store!: StoreApi<AppState>;
  @state() private errors: Partial<Record<ErrorKey, string>> = {};
  #training!: StoreController<AppState, TrainingSettings>;

  override connectedCallback(): void {
    this.#training ??= new StoreController(this, this.store, (s) => s.spec.training);
    super.connectedCallback();
  }

  #apply(key: Field, raw: string): void {
    const value = key === 'optimizer' || key === 'lrSchedule' ? raw : raw.trim() === '' ? NaN : Number(raw);
    const errors = this.store.getState().updateTraining({ [key]: value } as Partial<TrainingSettings>);
    this.errors = { ...this.errors, [key]: errors.length ? errors.map((e) => e.message).join(' ') : undefined };
  }

  #applyAugment(key: AugmentField, raw: string): void {
    const value = raw.trim() === '' ? NaN : Number(raw);
    const augment = { ...this.store.getState().spec.training.augment, [key]: value };
    const errors = this.store.getState().updateTraining({ augment });
    const message = errors.map((e) => e.message).join(' ');
    this.errors = { ...this.errors, [`augment.${key}`]: message || undefined };
  }

  override render() {
    const t = this.#training.value;
    return html`
      <form aria-label="Training settings" @submit=${(e: Event) => e.preventDefault()}>
        <label>
          <span>Optimizer</span>
          <select name="optimizer" .value=${t.optimizer} @change=${(e: Event) => this.#apply('optimizer', (e.target as HTMLSelectElement).value)}>
            ${OPTIMIZERS.map((o) => html`<option value=${o} ?selected=${o === t.optimizer}>${o}</option>`)}
          </select>
        </label>
        <label>
          <span>Learning-rate schedule</span>
          <select name="lrSchedule" .value=${t.lrSchedule} @change=${(e: Event) => this.#apply('lrSchedule', (e.target as HTMLSelectElement).value)}>
            ${LR_SCHEDULES.map((o) => html`<option value=${o} ?selected=${o === t.lrSchedule}>${SCHEDULE_LABELS[o]}</option>`)}
          </select>
          <small>${t.lrSchedule === 'cosine' ? 'warm-up, then down to 0' : 'the same rate throughout'}</small>
        </label>
        ${NUMBER_FIELDS.map((f) => this.#renderNumber(f.key, f, t[f.key], (raw) => this.#apply(f.key, raw)))}
        <fieldset class="augment">
          <legend>Data augmentation <small>(training examples only)</small></legend>
          <div class="inputs">
            ${AUGMENT_INPUTS.map((f) => this.#renderNumber(`augment.${f.key}`, f, t.augment[f.key], (raw) => this.#applyAugment(f.key, raw)))}
          </div>
          <cnn-augment-preview .augment=${t.augment} .seed=${t.seed}></cnn-augment-preview>
        </fieldset>
      </form>
    `;
  }

  #renderNumber(name: ErrorKey, field: NumberField<string>, value: number, apply: (raw: string) => void) {
    const error = this.errors[name];
    return html`
      <label class=${error ? 'invalid' : ''}>
        <span>${field.label}</span>
        <input
          type="number"
          name=${name}
          min=${field.min}
          max=${field.max}
          step=${field.step}
          .value=${error ? this.#currentText(name, value) : String(value)}
          aria-invalid=${error ? 'true' : 'false'}
          @change=${(e: Event) => apply((e.target as HTMLInputElement).value)}
        />
        ${error ? html`<small class="error" role="alert">${error}</small>` : html`<small>${field.hint}</small>`}
      </label>
    `;
  }

  /** Keeps the rejected text in the field so the user can see and fix it. */
  #currentText(key: ErrorKey, fallback: number): string {
    const input = this.renderRoot.querySelector<HTMLInputElement>(`input[name="${key}"]`);
    return input ? input.value : String(fallback);
  }

  static override styles = css`
    :host { display: block; font-size: 13px; }
    form { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 10px 14px; }
    label { display: flex; flex-direction: column; gap: 3px; }
    span { font-weight: 600; font-size: 12px; color: var(--cnn-muted, #667); }
    input, select { font: inherit; padding: 5px 7px; border: 1px solid var(--cnn-border, #ccd); border-radius: 6px; background: var(--cnn-surface, #fff); color: inherit; }
    label.invalid input { border-color: var(--cnn-bad, #c22); }
    small { color: var(--cnn-muted, #889); font-size: 11px; }
    small.error { color: var(--cnn-bad, #c22); }
    fieldset.augment { grid-column: 1 / -1; margin: 4px 0 0; padding: 10px 12px 12px; border: 1px solid var(--cnn-border, #ccd); border-radius: 8px; display: flex; flex-direction: column; gap: 10px; min-width: 0; }
    legend { padding: 0 4px; font-weight: 600; font-size: 12px; color: var(--cnn-fg, inherit); }
    legend small { font-weight: 400; }
    .inputs { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 10px 14px; }
  `;
}

declare global {
  interface HTMLElementTagNameMap {
    'cnn-training-settings': CnnTrainingSettings;
  }
}
