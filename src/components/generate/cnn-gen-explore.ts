/**
 * `<cnn-gen-explore>`: explore what a trained VAE learned. For a 2-D latent, a map of decoded
 * digits over the plane with test digits' codes scattered on it (coloured by class): press or
 * drag anywhere to decode that point. For any latent size: a walk between two test digits or
 * two digits the person draws (<cnn-gen-walk-draw>), shown as a strip and an animation, and one
 * slider per latent dimension with a digit picker (a conditional model keeps the style and
 * changes the digit).
 */
import { LitElement, css, html, nothing, svg, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { schemeCategory10 } from 'd3';
import { isConditional } from '../../model/generative/spec';
import type { GenerationsState } from '../../store/generations-store';
import { tileDigits } from '../../views/gen-grid';
import './cnn-gen-walk-draw';
import { controlStyles } from '../shared/control-styles';

const MAP_CELLS = 16;
const MAP_EXTENT = 3;
const MAP_POINTS = 1000;
const MAP_SIZE = 320;
const WALK_STEPS = 10;

/** Draws `count` digits tiled into `cols` columns on a canvas. */
function paint(canvas: HTMLCanvasElement | undefined | null, pixels: Uint8Array, count: number, cols: number, gap: number): void {
  if (!canvas) return;
  const t = tileDigits(pixels, count, cols, gap);
  canvas.width = t.width;
  canvas.height = t.height;
  canvas.getContext('2d')?.putImageData(new ImageData(t.rgba, t.width, t.height), 0, 0);
}

@customElement('cnn-gen-explore')
export class CnnGenExplore extends LitElement {
  @property({ attribute: false }) gen: GenerationsState | null = null;
  @state() private sliders: number[] = [];
  @state() private digit = 0;
  @state() private from = 0;
  @state() private to = 1;
  @query('canvas.map') private mapCanvas?: HTMLCanvasElement;
  @query('canvas.decoded') private decodedCanvas?: HTMLCanvasElement;
  @query('canvas.strip') private stripCanvas?: HTMLCanvasElement;
  @query('canvas.frame') private frameCanvas?: HTMLCanvasElement;
  #timer: ReturnType<typeof setInterval> | null = null;
  /** The walk animation's position (not rendered: each tick paints its canvas directly). */
  #frame = 0;
  #pending: number[] | null = null;

  static override styles = [controlStyles, css`
    :host { display: block; font-size: 12px; }
    .row { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
    h3 { font-size: 13px; margin: 8px 0 4px; }
    .map { position: relative; width: ${MAP_SIZE}px; height: ${MAP_SIZE}px; touch-action: none; cursor: crosshair; }
    .map canvas, .map svg { position: absolute; inset: 0; width: 100%; height: 100%; image-rendering: pixelated; }
    canvas.decoded { width: 140px; height: 140px; image-rendering: pixelated; background: #000; }
    canvas.strip { width: 100%; max-width: 560px; image-rendering: pixelated; display: block; }
    canvas.frame { width: 84px; height: 84px; image-rendering: pixelated; background: #000; }
    label { display: inline-flex; gap: 4px; align-items: center; margin: 0 8px 4px 0; }
    input[type='number'] { width: 70px; }
    fieldset { padding: 6px 10px 8px; }
    .error { color: var(--cnn-bad, #b91c1c); }
  `];

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stopAnimation();
  }

  override render() {
    const g = this.gen;
    const spec = g?.run.spec;
    if (!g || !spec || !g.run.grid) return html`<h3>Explore the latent space</h3><p>Train a model first; then explore its latent space here.</p>`;
    const latent = spec.latentSize;
    const conditional = isConditional(spec);
    const ex = g.explore;
    return html`
      <h3>Explore the latent space</h3>
      ${ex.error ? html`<p class="error" role="alert">${ex.error}</p>` : nothing}
      <div class="row">
        ${latent === 2 ? this.#map(g) : html`<p>The latent map needs a 2-D code (the "VAE with a 2-D latent" preset, or latent size 2).</p>`}
        <figure>
          <canvas class="decoded" role="img" data-testid="gen-decoded" data-request=${ex.decoded?.requestId ?? 0}
            aria-label=${ex.decoded ? `The digit decoded from the chosen code (${this.sliders.map((v) => v.toFixed(1)).join(', ')})` : 'No point decoded yet'}></canvas>
          <figcaption>Decoded point</figcaption>
        </figure>
        <fieldset>
          <legend>One sample, dimension by dimension</legend>
          ${conditional
            ? html`<label>Digit <select data-testid="gen-digit" @change=${(e: Event) => this.#pickDigit(Number((e.target as HTMLSelectElement).value))}>
                ${Array.from({ length: 10 }, (_, k) => html`<option value=${k} ?selected=${k === this.digit}>${k}</option>`)}</select></label>`
            : nothing}
          ${this.sliders.map((v, i) => html`<label>z${i + 1}
            <input type="range" min="-3" max="3" step="0.1" .value=${String(v)} aria-label=${`latent dimension ${i + 1}`}
              @input=${(e: Event) => this.#decodeAt(this.sliders.map((s, j) => (j === i ? Number((e.target as HTMLInputElement).value) : s)), this.digit)} /></label>`)}
        </fieldset>
      </div>
      ${this.#walk(g, conditional)}
    `;
  }

  #map(g: GenerationsState) {
    const map = g.explore.map;
    const toPx = (v: number) => ((v + MAP_EXTENT) / (2 * MAP_EXTENT)) * MAP_SIZE;
    const dots = map ? Array.from(map.labels, (label, i) => ({ x: toPx(map.codes[i * 2]), y: MAP_SIZE - toPx(map.codes[i * 2 + 1]), label })) : [];
    return html`
      <figure>
        <div class="map" data-testid="gen-latent-map" role="img"
          aria-label=${map ? `Decoded ${isConditional(g.run.spec!) ? `${map.label}s` : 'digits'} over the latent plane from -${MAP_EXTENT} to ${MAP_EXTENT}, with ${dots.length} test digits' codes coloured by class. Press or drag to decode a point.` : 'The latent map is loading.'}
          @pointerdown=${this.#onPointer} @pointermove=${this.#onPointer}>
          <canvas class="map"></canvas>
          <svg viewBox="0 0 ${MAP_SIZE} ${MAP_SIZE}" aria-hidden="true">
            ${dots.map((d) => svg`<circle cx=${d.x.toFixed(1)} cy=${d.y.toFixed(1)} r="2" fill=${schemeCategory10[d.label]} fill-opacity="0.7"></circle>`)}
          </svg>
        </div>
        <figcaption>Latent map (colours: ${schemeCategory10.map((c, k) => html`<span style="color:${c}">${k}</span> `)}) <button type="button" @click=${() => this.#requestMap()}>Redraw</button></figcaption>
      </figure>
    `;
  }

  #walk(g: GenerationsState, conditional: boolean) {
    const w = g.explore.walk;
    const what = w?.ends === 'drawn' ? `your drawn ${w.fromLabel} to the code of your drawn ${w.toLabel}` : `a ${w?.fromLabel} to the code of a ${w?.toLabel}`;
    return html`
      <h3>Walk between two test digits</h3>
      <label>From test image <input type="number" min="0" max="9999" name="walk-from" .value=${String(this.from)} @change=${(e: Event) => (this.from = Number((e.target as HTMLInputElement).value))} /></label>
      <label>to <input type="number" min="0" max="9999" name="walk-to" .value=${String(this.to)} @change=${(e: Event) => (this.to = Number((e.target as HTMLInputElement).value))} /></label>
      <button type="button" @click=${() => g.walk(this.from, this.to, WALK_STEPS, null)}>Walk</button>
      <h3>… or between two digits you draw</h3>
      <cnn-gen-walk-draw .gen=${g} .steps=${WALK_STEPS}></cnn-gen-walk-draw>
      ${w
        ? html`<div class="row">
            <canvas class="strip" role="img" data-testid="gen-walk" data-ends=${w.ends}
              aria-label=${`${w.steps} digits decoded along a straight line from the code of ${what}${conditional && w.fromLabel !== w.toLabel ? ' (the label switches halfway)' : ''}.`}></canvas>
            <canvas class="frame" role="img" aria-label="The same walk as an animation"></canvas>
          </div>`
        : nothing}
    `;
  }

  protected override willUpdate(): void {
    const latent = this.gen?.run.spec?.latentSize ?? 0;
    if (this.sliders.length !== latent) this.sliders = new Array(latent).fill(0);
  }

  protected override updated(changed: PropertyValues<this>): void {
    const ex = this.gen?.explore;
    const spec = this.gen?.run.spec;
    // Only new state from the store draws: an update of this element's own state (a slider, the
    // digit) must not repaint, nor restart the walk's animation.
    if (!ex || !spec || !changed.has('gen')) return;
    const oldGen = changed.get('gen') as GenerationsState | null | undefined;
    const old = oldGen?.explore;
    if (ex.map && ex.map !== old?.map) paint(this.mapCanvas, ex.map.pixels, ex.map.cells * ex.map.cells, ex.map.cells, 0);
    if (ex.decoded && ex.decoded !== old?.decoded) paint(this.decodedCanvas, ex.decoded.pixels, 1, 1, 0);
    if (ex.walk && ex.walk !== old?.walk) {
      paint(this.stripCanvas, ex.walk.pixels, ex.walk.steps, ex.walk.steps, 1);
      this.#animate(ex.walk.pixels, ex.walk.steps);
    }
    // The decoded point shows the sliders' code (the origin at first) as soon as there is a model,
    // not a black square until the person moves something, and follows the model as it learns
    // (each new grid of samples is a newer model).
    const grid = this.gen?.run.grid;
    if (grid && grid !== oldGen?.run.grid) this.gen!.decode(this.sliders, this.digit);
    // A 2-D model's map is drawn once there is a model, and again when a run ends.
    const status = this.gen?.run.status;
    const oldStatus = oldGen?.run.status;
    if (spec.latentSize === 2 && this.gen?.run.grid && (!ex.map && !this.#mapAsked || (status !== oldStatus && (status === 'done' || status === 'stopped' || status === 'paused')))) this.#requestMap();
  }

  #mapAsked = false;
  #requestMap(): void {
    this.#mapAsked = true;
    this.gen?.requestMap(MAP_CELLS, MAP_EXTENT, MAP_POINTS, this.digit);
  }

  /** Keeps the code (the style) and changes the digit; a 2-D map is redrawn as that digit. */
  #pickDigit(digit: number): void {
    this.#decodeAt(this.sliders, digit);
    if (this.gen?.run.spec?.latentSize === 2) this.#requestMap();
  }

  #onPointer = (e: PointerEvent): void => {
    if (e.type === 'pointermove' && e.buttons === 0) return;
    const box = (e.currentTarget as HTMLElement).getBoundingClientRect();
    const zx = ((e.clientX - box.left) / box.width) * 2 * MAP_EXTENT - MAP_EXTENT;
    const zy = MAP_EXTENT - ((e.clientY - box.top) / box.height) * 2 * MAP_EXTENT;
    this.#decodeAt([zx, zy], this.digit);
  };

  /** Decodes a code, at most once per animation frame while dragging. */
  #decodeAt(z: number[], digit: number): void {
    this.sliders = z.slice(0, this.sliders.length);
    this.digit = digit;
    const first = this.#pending === null;
    this.#pending = z;
    if (!first) return;
    requestAnimationFrame(() => {
      const next = this.#pending;
      this.#pending = null;
      if (next) this.gen?.decode(next, this.digit);
    });
  }

  #animate(pixels: Uint8Array, steps: number): void {
    this.#stopAnimation();
    this.#frame = 0;
    // Forth and back, so the morph reads as a loop.
    const order = [...Array(steps).keys(), ...Array.from({ length: steps - 2 }, (_, i) => steps - 2 - i)];
    this.#timer = setInterval(() => {
      this.#frame = (this.#frame + 1) % order.length;
      const k = order[this.#frame];
      paint(this.frameCanvas, pixels.subarray(k * 784, k * 784 + 784), 1, 1, 0);
    }, 120);
  }

  #stopAnimation(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cnn-gen-explore': CnnGenExplore;
  }
}
