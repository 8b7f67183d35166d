/**
 * A dismissible page notice for refused links and storage problems. The message may quote a
 * stranger's link, so it is only ever rendered as text through a Lit binding.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';

/** Shows one sentence (the latest) with a Dismiss button; renders nothing while empty. */
@customElement('cnn-link-notice')
export class CnnLinkNotice extends LitElement {
  /** The sentence to show; empty hides the notice. */
  @property() message = '';

  #dismiss(): void {
    this.message = '';
    this.dispatchEvent(new Event('dismiss', { bubbles: true, composed: true }));
  }

  override render() {
    if (!this.message) return nothing;
    return html`
      <div class="notice" role="alert">
        <p data-testid="link-notice">${this.message}</p>
        <button @click=${this.#dismiss} aria-label="Dismiss this notice">Dismiss</button>
      </div>
    `;
  }

  static override styles = css`
    :host { display: block; }
    .notice {
      display: flex; gap: 12px; align-items: flex-start; justify-content: space-between; margin: 0 0 16px; padding: 10px 14px;
      border-radius: 8px; border: 1px solid color-mix(in srgb, var(--cnn-warn, #a35b00) 40%, transparent);
      background: color-mix(in srgb, var(--cnn-warn, #a35b00) 8%, var(--cnn-surface, #fff)); font-size: 13px;
    }
    p { margin: 0; overflow-wrap: anywhere; }
    button { font: inherit; padding: 3px 10px; border-radius: 6px; border: 1px solid var(--cnn-border, #ccd); background: var(--cnn-surface, #fff); color: inherit; cursor: pointer; flex: none; }
  `;
}

declare global {
  interface HTMLElementTagNameMap {
    'cnn-link-notice': CnnLinkNotice;
  }
}
