/**
 * Run controls and live progress: Train / Pause / Resume / Stop / Evaluate, the backend in use,
 * and epoch, batch, examples, elapsed time and throughput. Errors appear here in plain words.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { StoreApi } from 'zustand/vanilla';
import { shallow } from 'zustand/vanilla/shallow';
import { backendUnavailable, isActive, type AppState, type RunState } from '../../store/app-store';
import { StoreController } from '../../store/store-controller';
import { BACKEND_NAMES, type BackendChoice, type BackendInfo } from '../../train/protocol';
import { formatDuration, formatNumber } from '../../views/format';

type Slice = Pick<AppState, 'backendChoice'> & { run: RunState; valid: boolean };

const STATUS_TEXT: Record<RunState['status'], string> = {
  idle: 'Ready',
  'loading-data': 'Loading MNIST…',
  building: 'Building the model…',
  training: 'Training',
  paused: 'Paused',
  evaluating: 'Evaluating on the test set…',
  done: 'Done',
  stopped: 'Stopped',
  error: 'Stopped by an error',
};

/** How two training workers leave the page a core (gradient-peer.ts `CoreSharingPeer`). */
const SHARING_NOTE =
  'Two workers each train on half of every batch. While “Look inside” is on screen, and for a second after you click, type or scroll, one of them rests and the other does both halves, so the page keeps a core and stays smooth; the numbers come out the same. For full speed instead, untick “Keep the page smooth” at the top of “Look inside”.';

/** Describes a backend as "wasm · 2 threads · SIMD" or "wasm · 2 workers × 1 thread · SIMD". */
export function describeBackend(b: BackendInfo | null): string {
  if (!b) return '—';
  const parts: string[] = [b.name];
  const threads = b.threads !== undefined ? `${b.threads} thread${b.threads === 1 ? '' : 's'}` : null;
  if (b.workers && b.workers > 1) parts.push(threads ? `${b.workers} workers × ${threads}` : `${b.workers} workers`);
  else if (threads) parts.push(threads);
  if (b.simd !== undefined) parts.push(b.simd ? 'SIMD' : 'no SIMD');
  return parts.join(' · ');
}

/** Starts, pauses, resumes, stops and evaluates runs and shows how the current one is going. */
@customElement('cnn-run-panel')
export class CnnRunPanel extends LitElement {
  @property({ attribute: false }) store!: StoreApi<AppState>;
  #slice!: StoreController<AppState, Slice>;

  override connectedCallback(): void {
    this.#slice ??= new StoreController(
      this,
      this.store,
      (s): Slice => ({ backendChoice: s.backendChoice, run: s.run, valid: s.analysis.valid }),
      shallow,
    );
    super.connectedCallback();
  }

  override render() {
    const { run, valid, backendChoice } = this.#slice.value;
    const actions = this.store.getState();
    const active = isActive(run.status);
    const unavailable = backendUnavailable(run, backendChoice);
    const p = run.progress;
    const total = p ? p.batchesPerEpoch * p.epochs : 0;
    const done = p ? (p.epoch - 1) * p.batchesPerEpoch + p.batch : 0;
    return html`
      <div class="controls">
        <button class="primary" @click=${() => actions.start()} ?disabled=${!valid || unavailable || (active && run.status !== 'paused')}>
          ${run.status === 'idle' ? 'Train' : 'Train again'}
        </button>
        ${run.status === 'paused'
          ? html`<button @click=${() => actions.resume()}>Resume</button>`
          : html`<button @click=${() => actions.pause()} ?disabled=${run.status !== 'training'}>Pause</button>`}
        <button @click=${() => actions.stop()} ?disabled=${!active}>Stop</button>
        <button @click=${() => actions.evaluate()} ?disabled=${!['paused', 'stopped', 'done'].includes(run.status)}>Evaluate</button>
        <label class="backend">Backend
          <select aria-label="Backend" .value=${backendChoice} @change=${(e: Event) => actions.setBackendChoice((e.target as HTMLSelectElement).value as BackendChoice)}>
            <option value="auto">auto (fastest)</option>
            ${BACKEND_NAMES.map((b) => html`<option value=${b}>${b}</option>`)}
          </select>
        </label>
      </div>
      ${valid ? nothing : html`<p class="error" role="alert">Fix the layer stack before training.</p>`}
      <div class="status" role="status" aria-live="polite">
        <strong data-testid="run-status">${run.status === 'idle' && run.error ? 'Not ready' : STATUS_TEXT[run.status]}</strong>
        ${run.backend ? html`<span data-testid="backend">on ${describeBackend(run.backend)}</span>` : nothing}
      </div>
      ${p ? this.#renderProgress(run, done, total) : nothing}
      ${run.stale ? html`<p class="stale">The stack or settings changed after this run started, so the run no longer matches them. Press “Train again” to train the edited network.</p>` : nothing}
      ${run.error ? html`<p class="error" role="alert" data-testid="run-error">${run.error}</p>` : nothing}
      ${unavailable ? html`<p class="hint" data-testid="backend-hint">${backendChoice === 'auto'
        ? 'Reload the page to try again.'
        : 'Choose another backend to train; “auto” picks the fastest one this browser can start.'}</p>` : nothing}
      ${this.#renderWhy(run.backend)}
    `;
  }

  /** The backend's notes, and how its workers share the cores with the page. */
  #renderWhy(b: BackendInfo | null) {
    const notes = [...(b?.notes ?? [])];
    if (b?.workers && b.workers > 1) notes.push(SHARING_NOTE);
    if (!notes.length) return nothing;
    return html`<details><summary>Why this backend</summary><ul>${notes.map((n) => html`<li>${n}</li>`)}</ul></details>`;
  }

  #renderProgress(run: RunState, done: number, total: number) {
    const p = run.progress!;
    return html`
      <progress max=${total} .value=${done} aria-label="Training progress"></progress>
      <dl class="figures" data-testid="progress">
        <div><dt>Epoch</dt><dd>${p.epoch} / ${p.epochs}</dd></div>
        <div><dt>Batch</dt><dd>${formatNumber(p.batch)} / ${formatNumber(p.batchesPerEpoch)}</dd></div>
        <div><dt>Examples seen</dt><dd data-testid="examples-seen">${formatNumber(p.examplesSeen)}</dd></div>
        <div><dt>Elapsed</dt><dd>${formatDuration(p.elapsedMs)}</dd></div>
        <div><dt>Examples / s</dt><dd data-testid="examples-per-second">${formatNumber(p.examplesPerSecond)}</dd></div>
        <div><dt>Tensors</dt><dd data-testid="tensors">${formatNumber(p.tensors)}</dd></div>
      </dl>
    `;
  }

  static override styles = css`
    :host { display: block; font-size: 13px; }
    .controls { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
    button { font: inherit; padding: 6px 14px; border-radius: 6px; border: 1px solid var(--cnn-border, #ccd); background: var(--cnn-surface, #fff); color: inherit; cursor: pointer; }
    button.primary { background: var(--cnn-accent, #3b5bdb); border-color: var(--cnn-accent, #3b5bdb); color: #fff; font-weight: 600; }
    button:disabled { opacity: 0.45; cursor: default; }
    .backend { margin-left: auto; display: flex; gap: 6px; align-items: center; color: var(--cnn-muted, #667); }
    select { font: inherit; padding: 4px 6px; border-radius: 6px; border: 1px solid var(--cnn-border, #ccd); background: var(--cnn-surface, #fff); color: inherit; }
    .status { margin: 10px 0 6px; display: flex; gap: 8px; align-items: baseline; }
    .status span { color: var(--cnn-muted, #667); }
    progress { width: 100%; height: 8px; }
    .figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(100px, 1fr)); gap: 6px 12px; margin: 8px 0 0; }
    .figures div { display: flex; flex-direction: column; }
    dt { font-size: 11px; color: var(--cnn-muted, #778); }
    dd { margin: 0; font-weight: 600; font-variant-numeric: tabular-nums; }
    .error { color: var(--cnn-bad, #c22); }
    .stale { color: var(--cnn-warn, #a60); }
    .hint { color: var(--cnn-muted, #667); margin: 4px 0 0; }
    details { color: var(--cnn-muted, #667); margin-top: 6px; }
  `;
}

declare global {
  interface HTMLElementTagNameMap {
    'cnn-run-panel': CnnRunPanel;
  }
}
