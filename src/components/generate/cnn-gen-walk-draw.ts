/**
 * `<cnn-gen-walk-draw>`: two drawing pads (the inspector's own <cnn-draw-pad>, with its
 * MNIST-style preprocessing and 28x28 preview) for a latent walk between two digits the person
 * draws. Once both are drawn, each change walks again (debounced); the strip and the animation
 * are drawn by <cnn-gen-explore> like a walk between test digits. For a conditional model each
 * end is the digit the judge reads in the drawing, unless the person picks one.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { isConditional } from '../../model/generative/spec';
import type { GenerationsState } from '../../store/generations-store';
import type { JudgeReading } from '../../train/generative/gen-protocol';
import { formatPercent } from '../../views/format';
import type { DrawingChangeDetail } from '../inspect/cnn-draw-pad';
import '../inspect/cnn-draw-pad';
import { controlStyles } from '../shared/control-styles';

/** Milliseconds after the last stroke before walking again. */
const DEBOUNCE_MS = 250;

/** One end's reading as words: "a 3 (97%)" from the judge, or "a 3 (your pick)". */
function readingText(label: number, read: JudgeReading | null): string {
  return read ? `a ${label} (the judge reads it at ${formatPercent(read.probability, 0)})` : `a ${label} (your pick)`;
}

@customElement('cnn-gen-walk-draw')
export class CnnGenWalkDraw extends LitElement {
  @property({ attribute: false }) gen: GenerationsState | null = null;
  @property({ type: Number }) steps = 10;
  @state() private drawn: [Uint8Array | null, Uint8Array | null] = [null, null];
  /** Per end: null = as the judge reads it, else the digit the person picked. */
  @state() private picked: [number | null, number | null] = [null, null];
  #timer: ReturnType<typeof setTimeout> | null = null;

  static override styles = [controlStyles, css`
    :host { display: block; font-size: 12px; }
    .pads { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
    fieldset { padding: 6px 10px 8px; margin: 0; }
    label { display: inline-flex; gap: 4px; align-items: center; margin-top: 4px; }
    p { margin: 4px 0; }
    .error { color: var(--cnn-bad, #b91c1c); }
  `];

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  override render() {
    const spec = this.gen?.run.spec;
    const conditional = spec ? isConditional(spec) : false;
    const both = this.drawn[0] !== null && this.drawn[1] !== null;
    const walk = this.gen?.explore.walk;
    return html`
      <div class="pads">
        ${([0, 1] as const).map((i) => html`
          <fieldset data-testid=${`gen-walk-pad-${i + 1}`}>
            <legend>${i === 0 ? 'From' : 'To'}: draw a digit</legend>
            <cnn-draw-pad @cnn-drawing-change=${(e: CustomEvent<DrawingChangeDetail>) => this.#drawn(i, e.detail.image)}></cnn-draw-pad>
            ${conditional
              ? html`<label>Digit
                  <select aria-label=${`Digit of the ${i === 0 ? 'first' : 'second'} drawing`} @change=${(e: Event) => this.#pick(i, (e.target as HTMLSelectElement).value)}>
                    <option value="" ?selected=${this.picked[i] === null}>as the judge reads it</option>
                    ${Array.from({ length: 10 }, (_, k) => html`<option value=${k} ?selected=${this.picked[i] === k}>${k}</option>`)}
                  </select></label>`
              : nothing}
          </fieldset>`)}
      </div>
      <button type="button" ?disabled=${!both} @click=${() => this.#walk()}>Walk between the drawings</button>
      ${both ? nothing : html`<p>Draw a digit on each pad; the walk follows every change.</p>`}
      ${walk?.ends === 'drawn'
        ? html`<p data-testid="gen-walk-read">From ${readingText(walk.fromLabel, walk.read?.[0] ?? null)} to ${readingText(walk.toLabel, walk.read?.[1] ?? null)}.</p>`
        : nothing}
    `;
  }

  #drawn(i: 0 | 1, image: Uint8Array | null): void {
    const next: [Uint8Array | null, Uint8Array | null] = [...this.drawn];
    next[i] = image;
    this.drawn = next;
    this.#schedule();
  }

  #pick(i: 0 | 1, value: string): void {
    const next: [number | null, number | null] = [...this.picked];
    next[i] = value === '' ? null : Number(value);
    this.picked = next;
    this.#schedule();
  }

  /** Walks again shortly after the last change (a pad reports once a frame while drawing). */
  #schedule(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#walk();
    }, DEBOUNCE_MS);
  }

  #walk(): void {
    const [from, to] = this.drawn;
    const gen = this.gen;
    if (!from || !to || !gen?.run.grid) return;
    gen.walkDrawn(from, to, this.steps, [...this.picked]);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cnn-gen-walk-draw': CnnGenWalkDraw;
  }
}
