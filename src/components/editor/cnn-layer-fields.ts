/**
 * In-place inputs for every field of one layer, built from the layer table's field specs:
 * number inputs with the table's bounds and a fitting step, selects for named values. Each
 * keystroke sends a `cnn-layer-edit` event; a value out of range is sent too (the analysis marks
 * it), but text that is not a number yet ("", "-") is not.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { ACTIVATION_LABELS, layerInfo } from '../../model/layers';
import { layerValues, type LayerPatch } from '../../model/edit';
import { fieldLabel } from '../../model/fixes';
import type { FieldSpec } from '../../model/limits';
import type { LayerSpec } from '../../model/spec';
import { fieldValue } from './field-value';

/** Detail of `cnn-layer-edit`: which layer and the new field values. */
export interface LayerEditDetail {
  index: number;
  patch: LayerPatch;
}

const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
/** Named values as people read them (activations get their usual spelling). */
const optionLabel = (value: string): string =>
  Object.hasOwn(ACTIVATION_LABELS, value) ? ACTIVATION_LABELS[value as keyof typeof ACTIVATION_LABELS] : value;
/** Whole numbers step by 1; fractions by a twentieth of their range (0.05 for a dropout rate). */
const stepOf = (spec: FieldSpec): string => (spec.type === 'int' ? '1' : spec.type === 'number' ? String((spec.max - spec.min) / 20) : '');

/** Edits the fields of one layer; property-driven, emits `cnn-layer-edit`. */
@customElement('cnn-layer-fields')
export class CnnLayerFields extends LitElement {
  @property({ attribute: false }) layer!: LayerSpec;
  /** Position in the stack (0-based). */
  @property({ type: Number }) index = 0;
  /** Fields the analysis blames, marked aria-invalid. */
  @property({ attribute: false }) invalidFields: readonly string[] = [];

  #emit(field: string, value: number | string): void {
    const detail: LayerEditDetail = { index: this.index, patch: { [field]: value } };
    this.dispatchEvent(new CustomEvent('cnn-layer-edit', { detail, bubbles: true }));
  }

  #handleNumber(field: string, event: Event): void {
    const text = (event.target as HTMLInputElement).value.trim();
    const value = Number(text);
    if (text !== '' && Number.isFinite(value)) this.#emit(field, value);
  }

  /** Leaving a field with unfinished text shows the stored value again. */
  #handleChange(field: string, event: Event): void {
    const input = event.target as HTMLInputElement;
    if (input.value.trim() === '') input.value = String(layerValues(this.layer)[field]);
  }

  override render() {
    const fields: Readonly<Record<string, FieldSpec>> = layerInfo(this.layer.kind).fields;
    const names = Object.keys(fields);
    if (names.length === 0) return html`<p class="none">${layerInfo(this.layer.kind).label} has no settings.</p>`;
    const values = layerValues(this.layer);
    return html`${names.map((name) => this.#renderField(name, fields[name]!, values[name]))}`;
  }

  #renderField(name: string, spec: FieldSpec, value: unknown) {
    const label = `Layer ${this.index + 1} ${fieldLabel(name)}`;
    const invalid = this.invalidFields.includes(name) ? 'true' : 'false';
    if (spec.type === 'enum') {
      return html`<label><span>${capitalise(fieldLabel(name))}</span>
        <select name=${name} aria-label=${label} aria-invalid=${invalid}
          @change=${(e: Event) => this.#emit(name, (e.target as HTMLSelectElement).value)}>
          ${spec.values.includes(String(value)) ? nothing : html`<option selected value="">${String(value)}</option>`}
          ${spec.values.map((v) => html`<option value=${v} ?selected=${v === value}>${optionLabel(v)}</option>`)}
        </select></label>`;
    }
    return html`<label><span>${capitalise(fieldLabel(name))}</span>
      <input type="number" name=${name} aria-label=${label} aria-invalid=${invalid} data-app-undo
        min=${spec.min} max=${spec.max} step=${stepOf(spec)} ${fieldValue(Number(value))}
        @input=${(e: Event) => this.#handleNumber(name, e)} @change=${(e: Event) => this.#handleChange(name, e)} /></label>`;
  }

  static override styles = css`
    :host { display: flex; flex-wrap: wrap; gap: 6px 10px; align-items: end; }
    label { display: flex; flex-direction: column; gap: 2px; font-size: 11px; color: var(--cnn-muted, #667); }
    input, select { font: inherit; font-size: 13px; color: var(--cnn-fg, #1d2130); padding: 3px 5px; border: 1px solid var(--cnn-border, #ccd);
      border-radius: 5px; background: var(--cnn-surface, #fff); }
    input { width: 64px; }
    [aria-invalid='true'] { border-color: var(--cnn-bad, #c22); outline-color: var(--cnn-bad, #c22); }
    .none { margin: 0; color: var(--cnn-muted, #667); font-size: 12px; }
  `;
}

declare global {
  interface HTMLElementTagNameMap {
    'cnn-layer-fields': CnnLayerFields;
  }
}
