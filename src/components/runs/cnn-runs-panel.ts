/**
 * The Runs panel: every training run, kept across reloads (IndexedDB), to reopen and continue.
 * Shows the storage use, prunes the oldest runs, clears all (after a second click to confirm)
 * and says plainly when a run could not be saved, with a Retry.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { StoreApi } from 'zustand/vanilla';
import { shallow } from 'zustand/vanilla/shallow';
import { isActive, type AppState, type RunState } from '../../store/app-store';
import type { RunsState } from '../../store/runs-slice';
import { StoreController } from '../../store/store-controller';
import { stepsOf } from '../../runs/record';
import { formatNumber } from '../../views/format';
import type { RunRowDetail } from './cnn-runs-table';
import './cnn-runs-table';
import './cnn-run-export';
import './cnn-runs-compare';
import './cnn-timelapse';
import './cnn-run-import';

type Slice = { runs: RunsState; run: RunState };

/** Bytes as "1.2 MB" (decimal units, as browsers report storage). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '–';
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

@customElement('cnn-runs-panel')
export class CnnRunsPanel extends LitElement {
  @property({ attribute: false }) store!: StoreApi<AppState>;
  @state() private confirmClear = false;
  @state() private keep = 10;
  #slice!: StoreController<AppState, Slice>;

  override connectedCallback(): void {
    this.#slice ??= new StoreController(this, this.store, (s): Slice => ({ runs: s.runs, run: s.run }), shallow);
    super.connectedCallback();
  }

  #actions(): AppState {
    return this.store.getState();
  }

  #renderStorage(runs: RunsState) {
    const used = runs.list.reduce((sum, r) => sum + r.bytes, 0);
    const origin = runs.storage ? `; this site uses ${formatBytes(runs.storage.usage)} of ${formatBytes(runs.storage.quota)} available` : '';
    return html`<p class="storage" data-testid="runs-storage">${formatNumber(runs.list.length)} kept run${runs.list.length === 1 ? '' : 's'}, about ${formatBytes(used)}${origin}.</p>`;
  }

  #renderCurrent(run: RunState, runs: RunsState) {
    const entry = runs.list.find((r) => r.id === run.recordId);
    if (!entry || run.status !== 'stopped' || run.stale || !entry.resumable) return nothing;
    const steps = stepsOf(run.progress);
    return html`
      <div class="current">
        <span>The current run stopped after step ${formatNumber(steps?.done ?? 0)} of ${formatNumber(steps?.total ?? 0)}.</span>
        <button class="primary" data-testid="continue-run" @click=${() => this.#actions().continueRun()}>Continue training</button>
      </div>
    `;
  }

  #renderTools(runs: RunsState) {
    if (runs.list.length === 0) return nothing;
    const clear = this.confirmClear
      ? html`<span class="confirm" role="group" aria-label="Confirm">Delete all ${runs.list.length} runs?
          <button class="danger" @click=${() => { this.confirmClear = false; void this.#actions().clearRuns(); }}>Yes, delete all</button>
          <button @click=${() => (this.confirmClear = false)}>No</button></span>`
      : html`<button @click=${() => (this.confirmClear = true)}>Clear all…</button>`;
    return html`
      <div class="tools">
        <label>Keep the newest <input type="number" name="keep" min="0" max="1000" .value=${String(this.keep)}
          @change=${(e: Event) => (this.keep = Math.max(0, Math.floor(Number((e.target as HTMLInputElement).value) || 0)))} /></label>
        <button @click=${() => void this.#actions().pruneRuns(this.keep)} ?disabled=${runs.list.length <= this.keep}>Prune oldest</button>
        ${clear}
      </div>
    `;
  }

  override render() {
    const { runs, run } = this.#slice.value;
    const actions = this.#actions();
    return html`
      ${runs.message
        ? html`<p class="message" role="alert" data-testid="runs-message">${runs.message}
            ${runs.unsaved ? html`<button @click=${() => void actions.retrySave()}>Retry</button>` : nothing}</p>`
        : nothing}
      ${this.#renderCurrent(run, runs)}
      <cnn-run-export .store=${this.store}></cnn-run-export>
      <cnn-run-import .store=${this.store}></cnn-run-import>
      <details class="timelapse" open>
        <summary>Time-lapse of the current run</summary>
        <cnn-timelapse .timelapse=${run.timelapse}></cnn-timelapse>
      </details>
      ${runs.loaded ? this.#renderStorage(runs) : html`<p class="storage">Reading kept runs…</p>`}
      <cnn-runs-table
        .runs=${runs.list}
        .currentId=${run.recordId}
        .picked=${runs.compare}
        ?busy=${isActive(run.status)}
        @cnn-run-open=${(e: CustomEvent<RunRowDetail>) => void actions.openRun(e.detail.id)}
        @cnn-run-rename=${(e: CustomEvent<RunRowDetail>) => void actions.renameRun(e.detail.id, e.detail.name ?? '')}
        @cnn-run-delete=${(e: CustomEvent<RunRowDetail>) => void actions.deleteRun(e.detail.id)}
        @cnn-run-pick=${(e: CustomEvent<RunRowDetail>) => actions.toggleCompare(e.detail.id)}
      ></cnn-runs-table>
      ${this.#renderTools(runs)}
      <div class="repeat">
        <button @click=${() => actions.repeatWithSeeds([1, 2, 3])} ?disabled=${isActive(run.status) || runs.queue.length > 0}>Repeat with seeds 1–3</button>
        <span>${runs.queue.length
          ? `${runs.queue.length} more run${runs.queue.length === 1 ? '' : 's'} queued (seed ${runs.queue.join(', ')}); Stop ends the queue.`
          : 'Trains the network three times, changing only the seed: the spread is what chance alone gives.'}</span>
      </div>
      <cnn-runs-compare .store=${this.store}></cnn-runs-compare>
    `;
  }

  static override styles = css`
    :host { display: block; font-size: 13px; }
    .storage { color: var(--cnn-muted, #667); margin: 0 0 8px; }
    .message { color: var(--cnn-bad, #c22); margin: 0 0 8px; }
    .current { display: flex; gap: 10px; align-items: center; margin: 0 0 10px; }
    .tools { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin-top: 10px; }
    .tools input { width: 4em; font: inherit; }
    .repeat { display: flex; gap: 8px; align-items: center; margin-top: 10px; color: var(--cnn-muted, #667); }
    button { font: inherit; padding: 4px 10px; border-radius: 6px; border: 1px solid var(--cnn-border, #ccd); background: var(--cnn-surface, #fff); color: inherit; cursor: pointer; }
    button.primary { background: var(--cnn-accent, #3b5bdb); border-color: var(--cnn-accent, #3b5bdb); color: #fff; font-weight: 600; }
    button.danger { border-color: var(--cnn-bad, #c22); color: var(--cnn-bad, #c22); }
    button:disabled { opacity: 0.45; cursor: default; }
  `;
}

declare global {
  interface HTMLElementTagNameMap {
    'cnn-runs-panel': CnnRunsPanel;
  }
}
