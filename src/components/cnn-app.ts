/**
 * The application shell: the stack and settings on the left, the run, its curves and the
 * test report on the right. Passes the store to the panels that edit or control state and
 * plain data to the charts.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { StoreApi } from 'zustand/vanilla';
import type { AppState, RunState } from '../store/app-store';
import { StoreController } from '../store/store-controller';
import './editor/cnn-layer-stack';
import './generate/cnn-generations';
import './inspect/cnn-inspector';
import './presets/cnn-preset-gallery';
import type { ConfusionSelectDetail } from './report/cnn-confusion-matrix';
import './report/cnn-test-report';
import './runs/cnn-runs-panel';
import './train/cnn-run-panel';
import './train/cnn-training-curves';
import './train/cnn-training-settings';

/** The root element; `store` is set by main.ts. */
@customElement('cnn-app')
export class CnnApp extends LitElement {
  @property({ attribute: false }) store!: StoreApi<AppState>;
  #run!: StoreController<AppState, RunState>;

  override connectedCallback(): void {
    this.#run ??= new StoreController(this, this.store, (s) => s.run);
    super.connectedCallback();
  }

  /** A confusion cell opens those test images in the inspector's gallery. */
  #handleConfusionSelect(event: CustomEvent<ConfusionSelectDetail>): void {
    const { trueClass, predicted } = event.detail;
    this.store.getState().showConfusion(trueClass, predicted);
    this.renderRoot.querySelector('#inspect')?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  }

  override render() {
    const run = this.#run.value;
    return html`
      <header>
        <div>
          <h1>CNN Playground</h1>
          <p>Build a convolutional network for handwritten digits, train it in your browser, and see what it learned.</p>
        </div>
        <!-- Extension points: main.ts adds header actions (e.g. Share) and page-level notices. -->
        <div class="actions"><slot name="actions"></slot></div>
      </header>
      <slot name="notices"></slot>
      <main>
        <section class="card stack" aria-labelledby="stack-h">
          <h2 id="stack-h">Network</h2>
          <cnn-layer-stack .store=${this.store}></cnn-layer-stack>
        </section>
        <section class="card settings" aria-labelledby="settings-h">
          <h2 id="settings-h">Training settings</h2>
          <cnn-training-settings .store=${this.store}></cnn-training-settings>
        </section>
        <section class="card run" aria-labelledby="run-h">
          <h2 id="run-h">Train</h2>
          <cnn-run-panel .store=${this.store}></cnn-run-panel>
          <div class="curves">
            <cnn-training-curves metric="loss" .metric=${'loss'} .batches=${run.batches} .epochs=${run.epochs}></cnn-training-curves>
            <cnn-training-curves metric="accuracy" .metric=${'accuracy'} .batches=${run.batches} .epochs=${run.epochs}></cnn-training-curves>
          </div>
        </section>
        <section class="card report" aria-labelledby="report-h">
          <h2 id="report-h">Test set</h2>
          <cnn-test-report .report=${run.report} @cnn-confusion-select=${this.#handleConfusionSelect}></cnn-test-report>
        </section>
        <section class="card runs" id="runs" aria-labelledby="runs-h">
          <h2 id="runs-h">Runs</h2>
          <cnn-runs-panel .store=${this.store}></cnn-runs-panel>
        </section>
        <section class="card inspect" id="inspect" aria-labelledby="inspect-h">
          <h2 id="inspect-h">Look inside</h2>
          <cnn-inspector .store=${this.store}></cnn-inspector>
        </section>
        <section class="card presets" aria-labelledby="presets-h">
          <h2 id="presets-h">Presets</h2>
          <cnn-preset-gallery .store=${this.store}></cnn-preset-gallery>
        </section>
        <section class="card generations" id="generations" aria-labelledby="generations-h">
          <h2 id="generations-h">Generations</h2>
          <cnn-generations></cnn-generations>
        </section>
      </main>
    `;
  }

  static override styles = css`
    :host { display: block; max-width: 1400px; margin: 0 auto; padding: 16px 20px 40px; }
    header { display: flex; gap: 16px; align-items: flex-start; justify-content: space-between; }
    .actions { display: flex; gap: 8px; align-items: center; padding-top: 4px; }
    header h1 { margin: 0; font-size: 22px; letter-spacing: -0.01em; }
    header p { margin: 4px 0 16px; color: var(--cnn-muted, #667); }
    main { display: grid; grid-template-columns: minmax(320px, 440px) minmax(0, 1fr); gap: 16px; align-items: start; }
    .stack { grid-column: 1; grid-row: 1; }
    .settings { grid-column: 1; grid-row: 2; }
    .run { grid-column: 2; grid-row: 1 / span 2; }
    .report, .runs, .inspect, .presets, .generations { grid-column: 1 / span 2; }
    .card { padding: 15px 17px; contain: layout style; isolation: isolate; }
    /*
     * Why the card's face is drawn by ::before instead of the card's own border and background:
     * a card with content-visibility (below) clips its content (paint containment), and with
     * rounded corners that clip makes the compositor draw everything in the card to a bitmap of
     * its own first, whenever the card holds a canvas (a layer of its own). Measured with Viz
     * traces of "Look inside" while training on a 2-core machine without GPU: 13 ms of the
     * compositor's CPU per redrawn frame with the rounded clip, 8 ms with a square one, CPU
     * that the page's main thread then waits for. The clip is square; the face keeps its corners.
     */
    .card::before { content: ''; position: absolute; inset: 0; z-index: -1; background: var(--cnn-surface, #fff); border: 1px solid var(--cnn-border, #e3e5ee); border-radius: 10px; }
    /*
     * Why: during training the page redraws several times a second while the worker keeps both
     * cores of a small machine busy, so every millisecond of style and layout on the main thread
     * stretches into a long task. Cards below the fold skip style, layout and paint until they
     * scroll near the viewport; containment keeps a change inside one card from re-laying-out
     * the others.
     */
    .report, .runs, .inspect, .presets, .generations { content-visibility: auto; contain-intrinsic-size: auto 900px; }
    /*
     * "Look inside" on a compositing layer of its own: its views redraw all through a run, and as
     * a run ends the report and runs table above it grow and scroll anchoring moves it. Measured
     * with Chrome traces of the bench-longtasks scenario on a 2-core machine without GPU (11 runs
     * each): the software compositor's (Viz) CPU over a run fell from a median of 457 ms to 334,
     * and raster, compositor-thread and Viz CPU in the 3 s after the report from 289 to 208;
     * main-thread tasks over 50 ms, 2 in 11 traced runs against 9. Only this card: every card on
     * a layer of its own measured no better (session 9).
     */
    .inspect { will-change: transform; }
    h2 { font-size: 15px; margin: 0 0 10px; }
    .curves { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 12px; margin-top: 14px; }
    @media (max-width: 860px) {
      /*
       * One column as wide as the window: with plain 1fr the widest card's content (a table, a row
       * of charts) widened the column, and every card with it, past a phone's screen. What is
       * still too wide scrolls inside its own card. Not "Look inside", which fits at 420 px:
       * as a scroll container it would hold its layer-health legend, which sticks to the window.
       */
      main { grid-template-columns: minmax(0, 1fr); }
      .card:not(.inspect) { overflow-x: auto; }
      .stack, .settings, .run, .report, .runs, .inspect, .presets, .generations { grid-column: 1; grid-row: auto; }
    }
  `;
}

declare global {
  interface HTMLElementTagNameMap {
    'cnn-app': CnnApp;
  }
}
