/**
 * The Runs panel: every training run, kept across reloads, to reopen, compare and export.
 * (Placeholder until run records land; see issue 8.)
 */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { StoreApi } from 'zustand/vanilla';
import type { AppState } from '../../store/app-store';

@customElement('cnn-runs-panel')
export class CnnRunsPanel extends LitElement {
  @property({ attribute: false }) store!: StoreApi<AppState>;

  override render() {
    return html`<p>Finished runs will be listed here.</p>`;
  }

  static override styles = css`
    :host { display: block; font-size: 13px; }
  `;
}

declare global {
  interface HTMLElementTagNameMap {
    'cnn-runs-panel': CnnRunsPanel;
  }
}
