/**
 * The layer-stack editor and its live ledger: one focusable row per layer with its output shape,
 * parameters, forward FLOPs and activation memory per example, totals, the errors in plain words
 * with one-click fixes beside the layer, in-place field editing for the selected layer, a palette,
 * drag-and-drop and keyboard reordering, and undo/redo.
 *
 * Keyboard on a focused row: ArrowUp/ArrowDown move focus, Alt+ArrowUp/ArrowDown move the layer
 * (focus follows it), Delete or Backspace removes it, Enter jumps into its fields (Escape returns),
 * Home/End go to the first/last row. Focusing or clicking a row selects it; the palette inserts
 * after the selected row (after the Input row: at the top; nothing selected: at the end).
 *
 * It edits a `StackSource` (stack-source.ts): given `store` (the app store) it edits the
 * classifier's stack, with the preset menu and page-wide undo shortcuts; given `source` (e.g. one
 * network of a generative model) it edits that, shows the source's fixed rows after the layers,
 * and takes undo shortcuts only from keys pressed inside it.
 */
import { LitElement, html, nothing, svg } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { StoreApi } from 'zustand/vanilla';
import { describeLayer, LAYER_TABLE } from '../../model/layers';
import { MAX_LAYERS } from '../../model/limits';
import type { Fix } from '../../model/fixes';
import type { LayerAnalysis } from '../../model/shapes';
import type { LayerSpec, SpecError } from '../../model/spec';
import type { AppState } from '../../store/app-store';
import { formatCompact, formatNumber, formatShape } from '../../views/format';
import { formatBytes, groupErrors, plainMessage } from './ledger';
import { RowDrag } from './row-drag';
import { stackStyles } from './stack-styles';
import { appStackSource } from './app-stack-source';
import { StackController, type FixedRowView, type StackActions, type StackSource } from './stack-source';
import { shortcutOf } from './cnn-undo-controls';
import type { LayerEditDetail } from './cnn-layer-fields';
import type { AddLayerDetail } from './cnn-layer-palette';
import './cnn-layer-fields';
import './cnn-layer-palette';
import './cnn-preset-picker';
import './cnn-undo-controls';

const COLUMNS = 6;
const UNKNOWN = '–';
const ICON_DUPLICATE = svg`<svg viewBox="0 0 16 16" width="13" height="13" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.5"><rect x="5" y="5" width="8.5" height="8.5" rx="1.5"/><path d="M3 10.5V3.5A1 1 0 0 1 4 2.5h6.5"/></svg>`;
const ICON_REMOVE = svg`<svg viewBox="0 0 16 16" width="13" height="13" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round"><path d="M4 4l8 8M12 4l-8 8"/></svg>`;

/** Edits the layer stack in place and shows what each layer costs. */
@customElement('cnn-layer-stack')
export class CnnLayerStack extends LitElement {
  /** The classifier's app store (its stack, preset menu and page-wide undo shortcuts). */
  @property({ attribute: false }) store?: StoreApi<AppState>;
  /** Any other stack to edit (used when `store` is not set). */
  @property({ attribute: false }) source?: StackSource;
  /** Accessible name of the table. */
  @property() label = 'Layer stack';
  /** Prefix of the totals' test ids (`total-params`), so several editors on one page stay apart. */
  @property() idPrefix = '';
  /** The selected row: a layer index, -1 for the Input row, null for none. */
  @state() private selected: number | null = null;
  #slice!: StackController;
  readonly #drag = new RowDrag(this, (from, to) => this.#move(from, to));

  get #source(): StackSource {
    if (this.store) return appStackSource(this.store);
    if (!this.source) throw new Error('<cnn-layer-stack> needs a store or a source');
    return this.source;
  }

  override connectedCallback(): void {
    this.#slice ??= new StackController(this, this.#source);
    super.connectedCallback();
    this.addEventListener('keydown', this.#handleUndoKey);
  }

  override disconnectedCallback(): void {
    this.removeEventListener('keydown', this.#handleUndoKey);
    super.disconnectedCallback();
  }

  /** Without the app store, undo shortcuts pressed inside this editor are its own (and not the page's). */
  readonly #handleUndoKey = (event: KeyboardEvent): void => {
    const command = shortcutOf(event);
    if (this.store || !command || event.defaultPrevented) return;
    event.preventDefault();
    this.#actions[command]();
  };

  get #actions(): StackActions {
    return this.#source.actions;
  }

  get #count(): number {
    return this.#slice.value.layers.length;
  }

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('store') || changed.has('source')) this.#slice?.setSource(this.#source);
    // A removed layer may have been the selected one: select its neighbour instead.
    if (this.selected !== null && this.selected >= this.#count) this.selected = this.#count - 1;
  }

  /** Selects a row and focuses it once rendered. */
  async #focusRow(index: number): Promise<void> {
    this.selected = index;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`tr[data-index="${index}"]`)?.focus();
  }

  #move(from: number, to: number): void {
    this.#actions.moveLayer(from, to);
    void this.#focusRow(to);
  }

  #remove(index: number): void {
    this.#actions.removeLayer(index);
    void this.#focusRow(Math.min(index, this.#count - 1));
  }

  #add(kind: AddLayerDetail['kind']): void {
    const index = this.selected === null ? this.#count : this.selected + 1;
    this.#actions.addLayer(kind, index);
    this.selected = Math.min(index, this.#count - 1);
  }

  #handleFocusIn(event: FocusEvent): void {
    const target = event.target as Element;
    // A row's own Duplicate and Remove act on it without selecting it: selecting closes another
    // row's settings above it, which moved the pressed button up before the mouse was released,
    // so the click never happened (the person had to click twice).
    if (target.closest?.('td.actions')) return;
    const row = target.closest?.('tr[data-index]');
    if (row instanceof HTMLElement) this.selected = Number(row.dataset.index);
  }

  #handleRowKey(event: KeyboardEvent): void {
    const row = event.target;
    if (!(row instanceof HTMLTableRowElement) || row.dataset.index === undefined) return;
    const index = Number(row.dataset.index);
    const last = this.#count - 1;
    const step = event.key === 'ArrowUp' ? -1 : event.key === 'ArrowDown' ? 1 : 0;
    if (event.ctrlKey || event.metaKey) return;
    if (step && event.altKey) {
      if (index >= 0 && index + step >= 0 && index + step <= last) this.#move(index, index + step);
    } else if (step) {
      void this.#focusRow(Math.min(Math.max(index + step, -1), last));
    } else if ((event.key === 'Delete' || event.key === 'Backspace') && index >= 0) {
      this.#remove(index);
    } else if (event.key === 'Home' || event.key === 'End') {
      void this.#focusRow(event.key === 'Home' ? -1 : last);
    } else if (event.key === 'Enter' && index >= 0) {
      const fields = this.renderRoot.querySelector(`tr[data-fields="${index}"] cnn-layer-fields`);
      fields?.shadowRoot?.querySelector<HTMLElement>('input, select')?.focus();
    } else {
      return;
    }
    event.preventDefault();
  }

  override render() {
    const { layers, analysis, fixes, extraErrors: extra, description, inputLabel, fixedRows } = this.#slice.value;
    const { byLayer, stack } = groupErrors(analysis.errors);
    const inputText = inputLabel === 'Input' ? `Input: ${analysis.inputShape.join(' × ')}${analysis.inputShape.length === 3 ? ' image' : ' values'}` : inputLabel;
    const where = this.selected === null ? 'at the end' : this.selected < 0 ? 'at the top' : `after layer ${this.selected + 1}`;
    return html`
      <div class="toolbar">${this.store ? html`<cnn-preset-picker .store=${this.store}></cnn-preset-picker>` : html`<span></span>`}<cnn-undo-controls
        .source=${this.#source} ?local=${!this.store}></cnn-undo-controls></div>
      ${description ? html`<p class="description">${description}</p>` : nothing}
      <table aria-label=${this.label}>
        <thead><tr><th>#</th><th>Layer <span class="out">→ output</span></th><th class="num">Params</th>
          <th class="num flops" title="Forward FLOPs per example">FLOPs</th><th class="num memory" title="Layer output per example (float32)">Memory</th><th><span class="sr">Actions</span></th></tr></thead>
        <tbody @keydown=${this.#handleRowKey} @focusin=${this.#handleFocusIn} @dragover=${this.#drag.over} @drop=${this.#drag.drop}
          @dragend=${this.#drag.end} @cnn-layer-edit=${(e: CustomEvent<LayerEditDetail>) => this.#actions.updateLayer(e.detail.index, e.detail.patch)}>
          <tr class="input ${this.selected === -1 ? 'selected' : ''}" data-index="-1" tabindex="0" aria-label="${inputText}; select to add layers at the top">
            <td></td><td>${inputLabel}<span class="shape">→ ${formatShape(analysis.inputShape)}</span></td><td class="num">—</td><td class="num"></td><td class="num"></td><td></td>
          </tr>
          ${analysis.layers.map((la) => this.#renderLayer(la, byLayer.get(la.index) ?? [], fixes.filter((f) => f.layerIndex === la.index)))}
          ${fixedRows.map((r) => this.#renderFixed(r))}
        </tbody>
        ${this.#renderTotals()}
      </table>
      ${[...stack, ...extra].map((e) => html`<p class="error" role="alert">${plainMessage(e)}</p>`)}
      ${this.#renderFixes(fixes.filter((f) => f.layerIndex === null))}
      <cnn-layer-palette where=${where} ?disabled=${layers.length >= MAX_LAYERS} @cnn-add-layer=${(e: CustomEvent<AddLayerDetail>) => this.#add(e.detail.kind)}></cnn-layer-palette>
      <p class="hint">Select a layer to edit it. Drag rows or press Alt+↑/↓ to reorder, Delete to remove, Ctrl+Z to undo.</p>
    `;
  }

  /** A row the app adds itself: shown with its costs, never selectable or editable. */
  #renderFixed(row: FixedRowView) {
    return html`<tr class="fixed" data-fixed aria-label="${row.label}, output ${formatShape(row.outputShape)}, ${formatNumber(row.params)} parameters">
      <td class="idx"></td><td><span class="desc">${row.label}</span><span class="shape">→ ${formatShape(row.outputShape)}</span></td>
      <td class="num params">${formatNumber(row.params)}</td><td class="num flops">${formatCompact(row.flops)}</td>
      <td class="num memory">${formatBytes(row.activationBytes)}</td><td></td></tr>`;
  }

  #renderLayer(la: LayerAnalysis, errors: SpecError[], fixes: Fix[]) {
    const layer = this.#slice.value.layers[la.index]!;
    const n = la.index + 1;
    const name = `layer ${n} (${describeLayer(layer)})`;
    const selected = this.selected === la.index;
    // A layer after an error has an unknown input, so its figures are unknown too.
    const known = la.outputShape !== null;
    const classes = ['layer', errors.length ? 'invalid' : '', selected ? 'selected' : '', this.#drag.classFor(la.index)].join(' ');
    return html`
      <tr class=${classes} data-kind=${la.kind} data-index=${la.index} tabindex="0" draggable="true" aria-current=${selected ? 'true' : 'false'}
        aria-label="Layer ${n}: ${describeLayer(layer)}, output ${formatShape(la.outputShape)}, ${formatNumber(la.params)} parameters${errors.length ? ', has a problem' : ''}"
        @dragstart=${(e: DragEvent) => this.#drag.start(e, la.index)}>
        <td class="idx"><span class="handle" aria-hidden="true" title="Drag to reorder">⠿</span>${n}</td>
        <td><span class="desc">${describeLayer(layer)}</span><span class="shape">→ ${formatShape(la.outputShape)}</span></td>
        <td class="num params">${known ? formatNumber(la.params) : UNKNOWN}</td>
        <td class="num flops">${known ? formatCompact(la.flops) : UNKNOWN}</td>
        <td class="num memory">${known ? formatBytes(la.activationBytes) : UNKNOWN}</td>
        <td class="actions">
          <button type="button" class="icon" aria-label="Duplicate ${name}" title="Duplicate" ?disabled=${this.#count >= MAX_LAYERS}
            @click=${() => this.#actions.duplicateLayer(la.index)}>${ICON_DUPLICATE}</button>
          <button type="button" class="icon" aria-label="Remove ${name}" title="Remove (Delete)" @click=${() => this.#remove(la.index)}>${ICON_REMOVE}</button>
        </td>
      </tr>
      ${selected ? this.#renderEditor(la, layer, errors) : nothing}
      ${errors.map((e) => html`<tr class="error-row" data-after=${la.index}><td></td><td colspan=${COLUMNS - 1}>
        <span role="alert">${plainMessage(e)}</span>${e === errors[0] ? this.#renderFixes(fixes) : nothing}</td></tr>`)}
    `;
  }

  #renderEditor(la: LayerAnalysis, layer: LayerSpec, errors: SpecError[]) {
    const n = la.index + 1;
    const invalid = errors.map((e) => /\.(\w+)$/.exec(e.path)?.[1]).filter((f): f is string => f !== undefined);
    return html`<tr class="fields-row" data-fields=${la.index} data-after=${la.index}
      @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && this.#focusRow(la.index)}><td></td><td colspan=${COLUMNS - 1}>
      <div class="editor">
        <cnn-layer-fields .layer=${layer} .index=${la.index} .invalidFields=${invalid} aria-label="Settings of layer ${n} (${LAYER_TABLE[la.kind].label})"></cnn-layer-fields>
        <span class="moves">
          <button type="button" class="icon" aria-label="Move layer ${n} up" title="Move up (Alt+↑)" ?disabled=${la.index === 0} @click=${() => this.#move(la.index, la.index - 1)}>↑</button>
          <button type="button" class="icon" aria-label="Move layer ${n} down" title="Move down (Alt+↓)" ?disabled=${n === this.#count} @click=${() => this.#move(la.index, la.index + 1)}>↓</button>
        </span>
      </div></td></tr>`;
  }

  #renderTotals() {
    const { analysis } = this.#slice.value;
    const known = analysis.layers.every((la) => la.outputShape !== null);
    const show = (text: string) => (known ? text : UNKNOWN);
    return html`<tfoot><tr><td></td><td>Total</td>
      <td class="num total-params" data-testid="${this.idPrefix}total-params" title="${formatNumber(analysis.trainableParams)} trainable">${show(formatNumber(analysis.totalParams))}</td>
      <td class="num flops" data-testid="${this.idPrefix}total-flops">${show(formatCompact(analysis.totalFlops))}</td>
      <td class="num memory" data-testid="${this.idPrefix}total-memory">${show(formatBytes(analysis.totalActivationBytes))}</td><td></td></tr></tfoot>`;
  }

  #renderFixes(fixes: Fix[]) {
    if (fixes.length === 0) return nothing;
    return html`<span class="fixes">${fixes.map((f) => html`<button type="button" class="fix" data-fix=${f.id}
      aria-label="Fix: ${f.label}" @click=${() => this.#actions.applyFix(f.id)}>${f.label}</button>`)}</span>`;
  }

  static override styles = stackStyles;
}

declare global {
  interface HTMLElementTagNameMap {
    'cnn-layer-stack': CnnLayerStack;
  }
}
