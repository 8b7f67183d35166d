/**
 * The Generations section: train a generative model of digits in the browser and explore it.
 * (Placeholder until the generative worker lands; see issue 7.)
 */
import { LitElement, css, html } from 'lit';
import { customElement } from 'lit/decorators.js';

@customElement('cnn-generations')
export class CnnGenerations extends LitElement {
  override render() {
    return html`<p>Generative models of digits are coming to this section.</p>`;
  }

  static override styles = css`
    :host { display: block; font-size: 13px; }
  `;
}

declare global {
  interface HTMLElementTagNameMap {
    'cnn-generations': CnnGenerations;
  }
}
