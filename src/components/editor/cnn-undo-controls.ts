/**
 * Undo and redo buttons plus the page-wide shortcuts: Ctrl/Cmd+Z undoes, Shift+Ctrl/Cmd+Z and
 * Ctrl+Y redo. Shortcut scope: anywhere on the page except inside a text field that has its own
 * undo (a text or number input, a textarea, editable text). The editor's layer fields are the
 * exception: they are marked `data-app-undo` because each keystroke there is already an app edit,
 * so the app's history (which merges a burst of typing into one step) is the one to use.
 *
 * Bound to the app store (`store`) or to any stack source (`source`); with `local` set it draws
 * only the buttons, and the stack it sits in takes the shortcuts pressed inside it.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { StoreApi } from 'zustand/vanilla';
import type { AppState } from '../../store/app-store';
import { appStackSource } from './app-stack-source';
import { StackController, type StackSource } from './stack-source';

/** Input types whose text the browser edits (and undoes) itself. */
const NON_TEXT_INPUTS = new Set(['button', 'checkbox', 'color', 'file', 'hidden', 'image', 'radio', 'range', 'reset', 'submit']);

/** True when a key press in `target` belongs to the field's own undo rather than the app's. */
export function ownsUndo(target: EventTarget | undefined): boolean {
  if (!(target instanceof HTMLElement) || target.hasAttribute('data-app-undo')) return false;
  if (target instanceof HTMLTextAreaElement || target.isContentEditable) return true;
  return target instanceof HTMLInputElement && !NON_TEXT_INPUTS.has(target.type);
}

/** Which history command a key press asks for, if any. */
export function shortcutOf(event: KeyboardEvent): 'undo' | 'redo' | null {
  const mod = event.ctrlKey || event.metaKey;
  if (!mod || event.altKey) return null;
  const key = event.key.toLowerCase();
  if (key === 'z') return event.shiftKey ? 'redo' : 'undo';
  return key === 'y' && event.ctrlKey && !event.shiftKey ? 'redo' : null;
}

/** Undo/redo buttons bound to the store, and the keyboard shortcuts while connected. */
@customElement('cnn-undo-controls')
export class CnnUndoControls extends LitElement {
  @property({ attribute: false }) store?: StoreApi<AppState>;
  /** The stack whose history the buttons step through, when there is no `store`. */
  @property({ attribute: false }) source?: StackSource;
  /** Buttons only: no page-wide shortcuts (the surrounding editor handles its own). */
  @property({ type: Boolean }) local = false;
  #slice!: StackController;

  get #source(): StackSource {
    if (this.source) return this.source;
    if (!this.store) throw new Error('<cnn-undo-controls> needs a store or a source');
    return appStackSource(this.store);
  }

  override connectedCallback(): void {
    this.#slice ??= new StackController(this, this.#source);
    super.connectedCallback();
    window.addEventListener('keydown', this.#handleKey);
  }

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('store') || changed.has('source')) this.#slice.setSource(this.#source);
  }

  override disconnectedCallback(): void {
    window.removeEventListener('keydown', this.#handleKey);
    super.disconnectedCallback();
  }

  readonly #handleKey = (event: KeyboardEvent): void => {
    const command = shortcutOf(event);
    if (this.local || !command || event.defaultPrevented || ownsUndo(event.composedPath()[0])) return;
    event.preventDefault();
    this.#source.actions[command]();
  };

  override render() {
    const { canUndo, canRedo } = this.#slice.value;
    const actions = this.#source.actions;
    // Local (a Generations network): its own names, so the page's "Undo" stays the classifier's alone.
    const [undo, redo] = this.local ? ['↶ Revert', '↷ Reapply'] : ['↶ Undo', '↷ Redo'];
    const scope = this.local ? ', pressed inside this editor' : '';
    return html`
      <button type="button" ?disabled=${!canUndo} @click=${() => actions.undo()} title="Undo (Ctrl+Z${scope})" aria-keyshortcuts="Control+Z Meta+Z">${undo}</button>
      <button type="button" ?disabled=${!canRedo} @click=${() => actions.redo()} title="Redo (Shift+Ctrl+Z${scope})" aria-keyshortcuts="Control+Shift+Z Meta+Shift+Z Control+Y">${redo}</button>
    `;
  }

  static override styles = css`
    :host { display: inline-flex; gap: 4px; }
    button { font: inherit; font-size: 12px; padding: 3px 8px; border-radius: 6px; border: 1px solid var(--cnn-border, #ccd);
      background: var(--cnn-surface, #fff); color: var(--cnn-fg, #1d2130); cursor: pointer; }
    button:disabled { opacity: 0.45; cursor: default; }
  `;
}

declare global {
  interface HTMLElementTagNameMap {
    'cnn-undo-controls': CnnUndoControls;
  }
}
