/**
 * The header's Share button: asks for a link to the current spec (main.ts passes the sync's
 * `shareLink`, which also puts it in the address bar), copies it, and says so. Where the
 * clipboard is missing or refused, the link appears in a small popover, selected, to copy by hand.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { ShareResult } from '../../store/url-sync';

/** How long "Link copied" stays visible. */
const CONFIRM_MS = 2500;

/** Copies text; false where the Clipboard API is missing or the browser refuses. */
async function copyText(text: string): Promise<boolean> {
  try {
    if (!navigator.clipboard?.writeText) return false;
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** A Share button that copies a link reproducing the current network and settings. */
@customElement('cnn-share-button')
export class CnnShareButton extends LitElement {
  /** Makes the link to share (and writes it to the address bar), or says why not; set by main.ts. */
  @property({ attribute: false }) link: (() => Promise<ShareResult>) | null = null;
  @state() private status = '';
  @state() private manualUrl = '';
  @state() private problem = false;
  @query('input') private input!: HTMLInputElement | null;
  #timer: number | undefined;

  async #share(): Promise<void> {
    if (!this.link) return;
    this.manualUrl = '';
    let result: ShareResult;
    try {
      result = await this.link();
    } catch {
      result = { ok: false, message: 'Could not make a link.' };
    }
    if (!result.ok) this.#say(result.message, true);
    else if (await copyText(result.url)) this.#say('Link copied');
    else void this.#showManual(result.url);
  }

  #say(text: string, problem = false): void {
    this.status = text;
    this.problem = problem;
    window.clearTimeout(this.#timer);
    // A problem stays twice as long: it is a sentence to read, not a confirmation.
    this.#timer = window.setTimeout(() => (this.status = ''), problem ? 2 * CONFIRM_MS : CONFIRM_MS);
  }

  async #showManual(url: string): Promise<void> {
    this.status = '';
    this.manualUrl = url;
    await this.updateComplete;
    this.input?.focus();
    this.input?.select();
  }

  #close(): void {
    this.manualUrl = '';
  }

  #onKeydown(event: KeyboardEvent): void {
    if (event.key === 'Escape') this.#close();
  }

  override disconnectedCallback(): void {
    window.clearTimeout(this.#timer);
    super.disconnectedCallback();
  }

  override render() {
    return html`
      <button class="share" @click=${() => void this.#share()} ?disabled=${!this.link} title="Copy a link that opens this network and its settings">Share</button>
      <span class="status ${this.problem ? 'problem' : ''}" role="status" aria-live="polite">${this.status}</span>
      ${this.manualUrl
        ? html`<div class="popover" role="dialog" aria-label="Share link" @keydown=${this.#onKeydown}>
            <label>Copying was blocked; copy this link by hand:
              <input readonly .value=${this.manualUrl} @focus=${(e: FocusEvent) => (e.target as HTMLInputElement).select()} />
            </label>
            <button @click=${this.#close}>Close</button>
          </div>`
        : nothing}
    `;
  }

  static override styles = css`
    :host { position: relative; display: inline-flex; gap: 8px; align-items: center; font-size: 13px; }
    button { font: inherit; padding: 6px 14px; border-radius: 6px; border: 1px solid var(--cnn-border, #ccd); background: var(--cnn-surface, #fff); color: inherit; cursor: pointer; }
    button.share { border-color: var(--cnn-accent, #3b5bdb); color: var(--cnn-accent, #3b5bdb); font-weight: 600; }
    button:disabled { opacity: 0.45; cursor: default; }
    .status { color: var(--cnn-muted, #667); min-width: 1px; max-width: 320px; }
    .status.problem { color: var(--cnn-bad, #c22); }
    .popover {
      position: absolute; top: calc(100% + 6px); right: 0; z-index: 10; width: min(460px, 90vw);
      display: flex; gap: 8px; align-items: flex-end; padding: 10px 12px; border-radius: 8px;
      background: var(--cnn-surface, #fff); border: 1px solid var(--cnn-border, #ccd); box-shadow: 0 6px 24px rgb(0 0 0 / 0.12);
    }
    label { flex: 1; display: flex; flex-direction: column; gap: 4px; }
    input { font: 12px ui-monospace, monospace; padding: 4px 6px; border: 1px solid var(--cnn-border, #ccd); border-radius: 4px; width: 100%; box-sizing: border-box; }
  `;
}

declare global {
  interface HTMLElementTagNameMap {
    'cnn-share-button': CnnShareButton;
  }
}
