/**
 * Runs a callback at the start of every frame while a condition holds. The page uses it for the
 * second after each act of the person (recent-acts.ts): every frame it draws then raises the
 * training workers' busy flag with a fresh allowance (ui-busy.ts `raiseForFrame`), so the
 * frames that answer the act go first, not only the frames that draw a big view.
 *
 * Why every frame and not only the flagged ones: traced on a 2-core machine without GPU (the
 * bench-longtasks scenario, 6 runs), 7 of the 14 main-thread tasks over 30 ms in the first
 * 1.5 s of a run came with the flag down (frames that no big message, view turn or act had
 * flagged), and the training worker ran through them. With this rule, all 8 such tasks in 8
 * runs came with the flag up. Untraced, the rate of tasks over 50 ms stayed about the same
 * (README, "Measured speed"): what is left there is raster and V8's background compiles.
 */

/** The frame clock (the page's requestAnimationFrame, or a test's). */
export type FrameClock = (run: () => void) => unknown;

const pageFrames: FrameClock = (run) => requestAnimationFrame(() => run());

/** Calls `atFrame` at the start of each frame from a `wake()` on, for as long as `holds()` is true. */
export class EveryFrameWhile {
  #running = false;

  constructor(
    private readonly holds: () => boolean,
    private readonly atFrame: () => void,
    private readonly frames: FrameClock = pageFrames,
  ) {}

  /** Whether a frame is awaited (the loop runs). */
  get running(): boolean {
    return this.#running;
  }

  /** Starts the loop unless it runs already; it stops by itself at the first frame where `holds()` is false. */
  wake(): void {
    if (this.#running) return;
    this.#running = true;
    this.frames(() => this.#frame());
  }

  #frame(): void {
    if (!this.holds()) {
      this.#running = false;
      return;
    }
    this.atFrame();
    this.frames(() => this.#frame());
  }
}
