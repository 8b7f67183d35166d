/**
 * Replays a run's time-lapse: a slider over the recorded frames shows each conv layer's kernels
 * and its feature maps for the fixed probe digit as they were at that step, and Play steps
 * through them (from the first frame when at the last, as a video player does). While training,
 * the slider follows the newest frame until it is moved or played; "Latest" follows again.
 * Property-driven.
 */
import { css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { timelapseBytes, type Timelapse } from '../../runs/timelapse';
import { formatNumber } from '../../views/format';
import { kernelImage, mapImage, playNext, playStart, type TileImage } from '../../views/runs-timelapse';
import { TurnTakingElement } from '../shared/frame-turns';

/** Time per frame while playing: a 60-frame lapse plays in about 9 s. */
const PLAY_FRAME_MS = 150;

function formatKb(bytes: number): string {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.round(bytes / 1e3)} kB`;
}

@customElement('cnn-timelapse')
export class CnnTimelapse extends TurnTakingElement {
  @property({ attribute: false }) timelapse: Timelapse | null = null;
  /** The frame shown; null follows the newest. */
  @state() private picked: number | null = null;
  @state() private playing = false;
  #timer: ReturnType<typeof setInterval> | null = null;

  override disconnectedCallback(): void {
    this.#stop();
    super.disconnectedCallback();
  }

  #play(): void {
    const start = playStart(this.#index(), this.timelapse?.frames.length ?? 0);
    if (start === null) return;
    this.picked = start;
    this.playing = true;
    this.#timer = setInterval(() => {
      const next = playNext(this.#index(), this.timelapse?.frames.length ?? 0);
      if (next === null) this.#stop();
      else this.picked = next;
    }, PLAY_FRAME_MS);
  }

  #stop(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    this.playing = false;
  }

  #index(): number {
    const count = this.timelapse?.frames.length ?? 0;
    return this.picked === null ? count - 1 : Math.min(this.picked, count - 1);
  }

  override updated(): void {
    const frame = this.timelapse?.frames[this.#index()];
    if (!frame) return;
    const paint = (selector: string, image: TileImage) => {
      const canvas = this.renderRoot.querySelector<HTMLCanvasElement>(selector);
      if (!canvas) return;
      canvas.width = image.width;
      canvas.height = image.height;
      canvas.getContext('2d')?.putImageData(new ImageData(image.rgba, image.width, image.height), 0, 0);
    };
    for (const f of frame.filters) paint(`canvas[data-kernels="${f.index}"]`, kernelImage(f.kernel));
    for (const m of frame.maps) paint(`canvas[data-maps="${m.index}"]`, mapImage(m.map));
  }

  override render() {
    const t = this.timelapse;
    if (!t || t.frames.length === 0) return html`<p class="empty">The time-lapse of kernels and feature maps is recorded while a run trains.</p>`;
    const index = this.#index();
    const frame = t.frames[index]!;
    return html`
      <div class="bar">
        <input type="range" min="0" max=${t.frames.length - 1} .value=${String(index)} aria-label="Time-lapse frame"
          @input=${(e: Event) => {
            this.#stop();
            this.picked = Number((e.target as HTMLInputElement).value);
          }} />
        <button aria-label=${this.playing ? 'Pause the time-lapse' : 'Play the time-lapse'} ?disabled=${t.frames.length < 2}
          @click=${() => (this.playing ? this.#stop() : this.#play())}>${this.playing ? 'Pause' : 'Play'}</button>
        <span data-testid="timelapse-at">frame ${index + 1} of ${t.frames.length} · step ${formatNumber(frame.step)} · ${formatNumber(frame.examplesSeen)} examples</span>
        ${this.picked !== null ? html`<button @click=${() => {
          this.#stop();
          this.picked = null;
        }}>Latest</button>` : nothing}
      </div>
      <p class="cap">${formatKb(timelapseBytes(t))} of at most ${formatKb(t.capBytes)} kept; probe digit: test image ${t.probeIndex}.</p>
      ${frame.filters.map((f) => html`
        <figure>
          <figcaption>Layer ${f.index + 1}: ${f.kernel.shape.at(-1)} kernels ${f.kernel.shape[0]}×${f.kernel.shape[1]}, and their feature maps</figcaption>
          <canvas data-kernels=${f.index} aria-label=${`layer ${f.index + 1} kernels at step ${frame.step}`}></canvas>
          ${frame.maps.some((m) => m.index === f.index) ? html`<canvas data-maps=${f.index} aria-label=${`layer ${f.index + 1} feature maps at step ${frame.step}`}></canvas>` : nothing}
        </figure>`)}
    `;
  }

  static override styles = css`
    :host { display: block; margin-top: 12px; }
    .bar { display: flex; gap: 10px; align-items: center; }
    input[type='range'] { flex: 1; max-width: 420px; }
    .cap, .empty { color: var(--cnn-muted, #667); margin: 4px 0; }
    figure { margin: 8px 0; }
    figcaption { font-size: 12px; color: var(--cnn-muted, #667); margin-bottom: 4px; }
    canvas { display: block; image-rendering: pixelated; margin-bottom: 4px; width: auto; max-width: 100%; }
    button { font: inherit; font-size: 12px; padding: 2px 8px; border-radius: 5px; border: 1px solid var(--cnn-border, #ccd); background: var(--cnn-surface, #fff); cursor: pointer; }
    button:disabled { opacity: 0.45; cursor: default; }
  `;
}

declare global {
  interface HTMLElementTagNameMap {
    'cnn-timelapse': CnnTimelapse;
  }
}
