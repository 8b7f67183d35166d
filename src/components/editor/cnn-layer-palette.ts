/**
 * The palette: one button per layer kind, in table order. Property-driven: the stack says where
 * a new layer goes (`where`, e.g. "after layer 3") and the palette emits `cnn-add-layer`.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { LAYER_KINDS, LAYER_TABLE } from '../../model/layers';
import type { LayerKind } from '../../model/spec';

/** Detail of `cnn-add-layer`: the kind to insert. */
export interface AddLayerDetail {
  kind: LayerKind;
}

/** Buttons that add a layer of any kind at the position the stack chose. */
@customElement('cnn-layer-palette')
export class CnnLayerPalette extends LitElement {
  /** Where a new layer goes, in words: "at the top", "after layer 3", "at the end". */
  @property() where = 'at the end';
  /** True when the stack is full. */
  @property({ type: Boolean }) disabled = false;

  #add(kind: LayerKind): void {
    this.dispatchEvent(new CustomEvent<AddLayerDetail>('cnn-add-layer', { detail: { kind }, bubbles: true }));
  }

  override render() {
    return html`
      <div class="head">Add a layer <strong>${this.where}</strong></div>
      <div class="kinds" role="group" aria-label="Add a layer ${this.where}">
        ${LAYER_KINDS.map(
          (kind) => html`<button type="button" ?disabled=${this.disabled} aria-label="Add ${LAYER_TABLE[kind].label} ${this.where}"
            @click=${() => this.#add(kind)}>+ ${LAYER_TABLE[kind].label}</button>`,
        )}
      </div>
    `;
  }

  static override styles = css`
    :host { display: block; margin-top: 10px; }
    .head { font-size: 12px; color: var(--cnn-muted, #667); margin-bottom: 4px; }
    .head strong { color: var(--cnn-fg, #1d2130); font-weight: 600; }
    .kinds { display: flex; flex-wrap: wrap; gap: 4px; }
    button { font: inherit; font-size: 12px; padding: 3px 8px; border-radius: 999px; border: 1px solid var(--cnn-border, #ccd);
      background: var(--cnn-surface, #fff); color: var(--cnn-fg, #1d2130); cursor: pointer; }
    button:hover:not(:disabled) { border-color: var(--cnn-accent, #3b5bdb); color: var(--cnn-accent, #3b5bdb); }
    button:disabled { opacity: 0.5; cursor: default; }
  `;
}

declare global {
  interface HTMLElementTagNameMap {
    'cnn-layer-palette': CnnLayerPalette;
  }
}
