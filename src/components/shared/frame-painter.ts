/**
 * Spreads canvas painting over frames. A new probe, filter snapshot or test report brings a
 * dozen fresh images at once; colouring them (the first time with cold, unoptimised code) and
 * writing their ImageData in the task that handles the worker's message lengthened that task,
 * on a 2-core machine whose cores the training worker keeps busy. The painter runs queued paints
 * in their own task after the next frame, stopping at a small time budget and going on after the
 * frame after that. (Measured with scripts/bench-longtasks.mjs: fewer tasks over 25 ms of CPU;
 * deferring whole element renders the same way cost more CPU in extra frames than it saved.)
 */

/** One queued paint: draws the canvas's image (computing it if needed). */
export type PaintJob = () => void;

/** Time one paint task may take before the rest waits for the next frame. */
export const PAINT_BUDGET_MS = 6;

/** A queue of canvas paints, run a few per frame; the latest job for a canvas replaces older ones. */
export class FramePainter {
  #jobs = new Map<HTMLCanvasElement, PaintJob>();
  #frame = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #idle: (() => void)[] = [];

  /** `beforeRun` is called at the start of each paint task (the owner asks the workers to step aside). */
  constructor(
    private readonly budgetMs = PAINT_BUDGET_MS,
    private readonly beforeRun: () => void = () => {},
  ) {}

  /** Queues a paint of `canvas`; a paint already queued for it is dropped (its image is stale). */
  paint(canvas: HTMLCanvasElement, job: PaintJob): void {
    this.#jobs.delete(canvas); // re-inserted at the end: Map keeps insertion order
    this.#jobs.set(canvas, job);
    this.#schedule();
  }

  /** Drops every queued paint (the element is going away). */
  cancel(): void {
    this.#jobs.clear();
    cancelAnimationFrame(this.#frame);
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#frame = 0;
    this.#timer = null;
    this.#settle();
  }

  /** Resolves once nothing is queued (every image is on its canvas). */
  idle(): Promise<void> {
    if (!this.#jobs.size) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #schedule(): void {
    if (this.#frame || this.#timer !== null) return;
    // After the frame, not inside it: a rAF callback shares its task with style, layout and the
    // commit of that frame, so the paint would land in the very task it should stay out of.
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      this.#timer = setTimeout(() => {
        this.#timer = null;
        this.#run();
      }, 0);
    });
  }

  #run(): void {
    this.beforeRun();
    const start = performance.now();
    for (const [canvas, job] of this.#jobs) {
      this.#jobs.delete(canvas);
      // A canvas that left the page (a re-render replaced it) needs no image.
      if (canvas.isConnected) job();
      if (performance.now() - start >= this.budgetMs) break;
    }
    if (this.#jobs.size) this.#schedule();
    else this.#settle();
  }

  #settle(): void {
    const waiting = this.#idle;
    this.#idle = [];
    for (const resolve of waiting) resolve();
  }
}
