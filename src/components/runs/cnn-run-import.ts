/**
 * Import a tfjs Layers model: choose model.json and its weight files together. Everything is
 * checked from the names and sizes first (a file claiming 2 GB is refused without being read),
 * then the weights are read and handed to the worker. A refusal is one sentence, and the stack,
 * settings and current run stay as they were.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { StoreApi } from 'zustand/vanilla';
import { MAX_MODEL_JSON_CHARS } from '../../model/export/model-files';
import { planImport } from '../../runs/import-plan';
import type { AppState } from '../../store/app-store';
import type { WeightGroupData } from '../../train/protocol';

/** Joins a group's files in manifest order. */
async function groupBytes(files: readonly File[]): Promise<ArrayBuffer> {
  const parts = await Promise.all(files.map((f) => f.arrayBuffer()));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(new Uint8Array(p), at);
    at += p.byteLength;
  }
  return out.buffer;
}

@customElement('cnn-run-import')
export class CnnRunImport extends LitElement {
  @property({ attribute: false }) store!: StoreApi<AppState>;
  @state() private note = '';
  @state() private failed = false;

  async #handleFiles(event: Event): Promise<void> {
    const input = event.target as HTMLInputElement;
    const files = [...(input.files ?? [])];
    input.value = '';
    try {
      this.#show(await this.#import(files), false);
    } catch (error) {
      this.#show(error instanceof Error ? error.message : String(error), true);
    }
  }

  #show(note: string, failed: boolean): void {
    this.note = note;
    this.failed = failed;
  }

  async #import(files: File[]): Promise<string> {
    const jsons = files.filter((f) => f.name.toLowerCase().endsWith('.json'));
    if (jsons.length !== 1) throw new Error('Choose one model.json together with its weight files (.bin). Your current work is unchanged.');
    const json = jsons[0]!;
    if (json.size > MAX_MODEL_JSON_CHARS) throw new Error(`${json.name} is ${json.size.toLocaleString('en-US')} bytes, far more than a model.json needs; choose the model.json that tfjs wrote. Your current work is unchanged.`);
    const weightFiles = files.filter((f) => f !== json);
    const plan = planImport(await json.text(), weightFiles.map((f) => ({ name: f.name, byteLength: f.size })));
    if (!plan.ok) throw new Error(plan.message);
    const byName = new Map(weightFiles.map((f) => [f.name, f]));
    const groups: WeightGroupData[] = await Promise.all(
      plan.groups.map(async (g) => ({
        data: await groupBytes(g.files.map((name) => byName.get(name)!)),
        weights: g.weights.map(({ name, shape, dtype, quantization }) => ({ name, shape, dtype, ...(quantization ? { quantization } : {}) })),
      })),
    );
    const name = `Imported ${json.name.replace(/\.json$/i, '')}`;
    if (!this.store.getState().importModel(name, plan.layers, groups, plan.names)) {
      throw new Error('Stop the current run before importing a model. Your current work is unchanged.');
    }
    const notes = plan.notes.length ? ` Notes: ${plan.notes.join(' ')}` : '';
    return `Imported ${json.name}: ${plan.layers.length} layers with their weights, kept as a run you can look inside, evaluate or train further.${notes}`;
  }

  override render() {
    return html`
      <label class="pick">Import a tfjs model
        <input type="file" multiple accept=".json,.bin,application/json,application/octet-stream" aria-label="Import model files"
          @change=${(e: Event) => void this.#handleFiles(e)} />
      </label>
      <span class="hint">model.json with its weight files</span>
      ${this.note ? html`<p class=${this.failed ? 'note bad' : 'note'} role=${this.failed ? 'alert' : 'status'} data-testid="import-note">${this.note}</p>` : nothing}
    `;
  }

  static override styles = css`
    :host { display: block; margin: 10px 0; }
    .pick { font-weight: 600; display: inline-flex; gap: 8px; align-items: center; }
    .hint { color: var(--cnn-muted, #667); margin-left: 8px; }
    .note { margin: 6px 0 0; color: var(--cnn-muted, #667); }
    .note.bad { color: var(--cnn-bad, #c22); }
  `;
}

declare global {
  interface HTMLElementTagNameMap {
    'cnn-run-import': CnnRunImport;
  }
}
