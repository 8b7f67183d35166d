/**
 * The list of kept runs: name, test accuracy, training time, examples and date, with open,
 * rename (in place: Enter saves, Escape cancels) and delete. Property-driven: the panel passes
 * the list and listens for `cnn-run-open`, `cnn-run-rename`, `cnn-run-delete` and `cnn-run-pick`
 * (the compare checkbox).
 */
import { css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { RunSummary } from '../../runs/record';
import { formatDuration, formatNumber, formatPercent } from '../../views/format';
import { TurnTakingElement } from '../shared/frame-turns';

/** Detail of the row events. */
export interface RunRowDetail {
  id: string;
  name?: string;
}

const END_TEXT: Record<RunSummary['end'], string> = { done: 'done', stopped: 'stopped', error: 'failed' };

@customElement('cnn-runs-table')
export class CnnRunsTable extends TurnTakingElement {
  @property({ attribute: false }) runs: RunSummary[] = [];
  /** The record the current run belongs to (highlighted). */
  @property({ attribute: false }) currentId: string | null = null;
  /** Runs ticked for comparison. */
  @property({ attribute: false }) picked: string[] = [];
  /** Opening is refused while a run trains. */
  @property({ type: Boolean }) busy = false;
  @state() private editing: string | null = null;

  #emit(type: string, detail: RunRowDetail): void {
    this.dispatchEvent(new CustomEvent<RunRowDetail>(type, { detail, bubbles: true, composed: true }));
  }

  #handleKey(event: KeyboardEvent, id: string): void {
    const input = event.target as HTMLInputElement;
    if (event.key === 'Enter') {
      this.#emit('cnn-run-rename', { id, name: input.value });
      this.editing = null;
    } else if (event.key === 'Escape') {
      this.editing = null;
    }
  }

  override updated(): void {
    // Focus the name being edited so typing goes straight into it.
    this.renderRoot.querySelector<HTMLInputElement>('input.rename')?.focus();
  }

  #renderName(run: RunSummary) {
    if (this.editing === run.id) {
      return html`<input class="rename" aria-label="New name" .value=${run.name} maxlength="200"
        @keydown=${(e: KeyboardEvent) => this.#handleKey(e, run.id)} @blur=${() => (this.editing = null)} />`;
    }
    return html`<span class="name">${run.name}</span>${run.end !== 'done' ? html` <small class="end">${END_TEXT[run.end]}</small>` : nothing}`;
  }

  override render() {
    if (this.runs.length === 0) return html`<p class="empty">No kept runs yet: every run you train is kept here when it ends.</p>`;
    return html`
      <table>
        <thead><tr><th>Compare</th><th>Run</th><th>Test accuracy</th><th>Training time</th><th>Examples</th><th>Date</th><th><span class="sr">Actions</span></th></tr></thead>
        <tbody>
          ${this.runs.map(
            (run) => html`
              <tr data-run-id=${run.id} class=${run.id === this.currentId ? 'current' : ''}>
                <td><input type="checkbox" aria-label=${`Compare ${run.name}`} .checked=${this.picked.includes(run.id)}
                  @change=${() => this.#emit('cnn-run-pick', { id: run.id })} /></td>
                <td>${this.#renderName(run)}</td>
                <td class="num" data-testid="run-accuracy">${run.testAccuracy === null ? '–' : formatPercent(run.testAccuracy)}</td>
                <td class="num">${formatDuration(run.durationMs)}</td>
                <td class="num">${formatNumber(run.examplesSeen)}</td>
                <td><time datetime=${new Date(run.createdAt).toISOString()}>${new Date(run.createdAt).toLocaleString()}</time></td>
                <td class="actions">
                  <button @click=${() => this.#emit('cnn-run-open', { id: run.id })} ?disabled=${this.busy} title=${this.busy ? 'Stop the current run first' : 'Open this run'}>Open</button>
                  <button @click=${() => (this.editing = run.id)}>Rename</button>
                  <button @click=${() => this.#emit('cnn-run-delete', { id: run.id })} aria-label=${`Delete ${run.name}`}>Delete</button>
                </td>
              </tr>
            `,
          )}
        </tbody>
      </table>
    `;
  }

  static override styles = css`
    :host { display: block; overflow-x: auto; }
    table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
    th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--cnn-border, #e3e5ee); white-space: nowrap; }
    th { font-weight: 600; font-size: 12px; color: var(--cnn-muted, #667); }
    td.num { text-align: right; }
    tr.current td { background: var(--cnn-highlight, #eef2ff); }
    .end { color: var(--cnn-muted, #778); }
    .actions { display: flex; gap: 4px; }
    button { font: inherit; font-size: 12px; padding: 2px 8px; border-radius: 5px; border: 1px solid var(--cnn-border, #ccd); background: var(--cnn-surface, #fff); color: inherit; cursor: pointer; }
    button:disabled { opacity: 0.45; cursor: default; }
    input.rename { font: inherit; width: 22em; }
    .empty { color: var(--cnn-muted, #667); margin: 0; }
    .sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  `;
}

declare global {
  interface HTMLElementTagNameMap {
    'cnn-runs-table': CnnRunsTable;
  }
}
