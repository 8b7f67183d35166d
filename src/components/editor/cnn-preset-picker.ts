/**
 * The preset menu above the stack: loads a shipped preset (undoably) and shows "(custom)" once
 * the stack or settings no longer match one exactly.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { StoreApi } from 'zustand/vanilla';
import { PRESETS } from '../../model/presets';
import type { NetworkSpec } from '../../model/spec';
import type { AppState } from '../../store/app-store';
import { StoreController } from '../../store/store-controller';
import { matchingPreset } from './ledger';

/** A select of the shipped presets bound to the store. */
@customElement('cnn-preset-picker')
export class CnnPresetPicker extends LitElement {
  @property({ attribute: false }) store!: StoreApi<AppState>;
  #spec!: StoreController<AppState, NetworkSpec>;

  override connectedCallback(): void {
    this.#spec ??= new StoreController(this, this.store, (s) => s.spec);
    super.connectedCallback();
  }

  #handleChange(event: Event): void {
    const select = event.target as HTMLSelectElement;
    if (select.value) this.store.getState().loadPreset(select.value);
  }

  override render() {
    const current = matchingPreset(this.#spec.value);
    return html`
      <label>Preset
        <select aria-label="Preset" @change=${this.#handleChange} .value=${current}>
          ${current ? nothing : html`<option value="" selected>(custom)</option>`}
          ${PRESETS.map((p) => html`<option value=${p.id} ?selected=${p.id === current}>${p.spec.name}</option>`)}
        </select>
      </label>
    `;
  }

  static override styles = css`
    :host { display: block; }
    label { display: flex; gap: 8px; align-items: center; font-weight: 600; font-size: 13px; }
    select { font: inherit; font-weight: 400; padding: 4px 6px; border-radius: 6px; border: 1px solid var(--cnn-border, #ccd);
      background: var(--cnn-surface, #fff); color: inherit; max-width: 220px; }
  `;
}

declare global {
  interface HTMLElementTagNameMap {
    'cnn-preset-picker': CnnPresetPicker;
  }
}
