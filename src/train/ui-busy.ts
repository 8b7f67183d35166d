/**
 * Training workers that step aside while the page draws. Data-parallel training keeps every core
 * busy, and the page's main thread then shares them with the workers: measured during training
 * with the inspector open, a canvas's first getContext took 15-35 ms of wall time against 0.1 ms
 * on a quiet page: the page's thread waited for a core while the call itself was cheap. The page raises a
 * flag in shared memory when it starts handling a big message (a look inside, filters, layer
 * health, a test report), when an on-screen view takes its turn to draw (frame-turns.ts), when
 * the person scrolls, clicks or types, and at the start of every frame for a second after that
 * (every-frame.ts); it lowers the flag once the frame has been drawn. The workers check the flag
 * before every kernel (yield-kernels.ts) and sleep while it is up.
 *
 * Measured with scripts/bench-longtasks.mjs, 4 runs each, alternating, quiet 2-core machine:
 * 4.25 main-thread tasks over 50 ms per run without it, 1.75 with it; training speed unchanged
 * within the noise (1,156 and 1,249 examples/s against 1,110 and 1,166).
 *
 * Bounded, so that a page which never lowers the flag (a hidden tab draws no frames) cannot
 * stall training: a worker sleeps at most `maxMs` for each raise, counted by the raise number.
 * Needs SharedArrayBuffer, so only a cross-origin isolated page has it (as it has data parallelism).
 */

/**
 * Int32 slots of the shared signal: the flag, how many times it has been raised, and whether the
 * page asks for a core of its own (see `UiBusySignal.askForCore`).
 */
const BUSY = 0;
const RAISES = 1;
const CORE = 2;
/** Bytes of the shared buffer behind the signal. */
export const UI_SIGNAL_BYTES = 12;
/** The longest a worker sleeps for one raise of the flag. */
export const MAX_YIELD_MS = 40;

/** Runs `lower` once the next frame has been drawn: rAF runs before the frame's style, layout, paint and commit; a task queued from it runs after. */
const afterNextFrame = (lower: () => void): void => {
  requestAnimationFrame(() => setTimeout(lower, 0));
};

/** Runs `lower` once the frame now starting has been drawn: for a call from a rAF callback. */
const afterThisFrame = (lower: () => void): void => {
  setTimeout(lower, 0);
};

/** The page's side: raise the flag now, lower it after the next frame (or, from a rAF callback, after this one). */
export class UiBusySignal {
  readonly #view: Int32Array;
  readonly #afterFrame: (lower: () => void) => void;
  readonly #afterThisFrame: (lower: () => void) => void;
  #lowering = false;

  constructor(readonly buffer: SharedArrayBuffer, afterFrame = afterNextFrame, afterCurrent = afterThisFrame) {
    this.#view = new Int32Array(buffer);
    this.#afterFrame = afterFrame;
    this.#afterThisFrame = afterCurrent;
  }

  raise(): void {
    if (Atomics.load(this.#view, BUSY) === 0) Atomics.add(this.#view, RAISES, 1);
    Atomics.store(this.#view, BUSY, 1);
    if (this.#lowering) return;
    this.#lowering = true;
    this.#afterFrame(() => this.lower());
  }

  /**
   * For the start of a frame (a rAF callback): raises the flag with a fresh allowance, even if
   * it is up already, and lowers it once this frame has been drawn (or when an earlier raise
   * lowers it). Why a fresh allowance: a raise before the frame may have spent its allowance
   * while the page waited for the frame; traced, a 47 ms frame came 40 ms after the raise that
   * flagged it, and the worker, its 40 ms slept, ran all through it. The page calls this at
   * every frame for a second after each act (every-frame.ts): the worker then sleeps at most
   * 40 ms per frame.
   */
  raiseForFrame(): void {
    Atomics.add(this.#view, RAISES, 1);
    Atomics.store(this.#view, BUSY, 1);
    if (this.#lowering) return;
    this.#lowering = true;
    this.#afterThisFrame(() => this.lower());
  }

  lower(): void {
    this.#lowering = false;
    Atomics.store(this.#view, BUSY, 0);
    Atomics.notify(this.#view, BUSY);
  }

  /**
   * Asks the training workers to leave a core to the page (true) or gives it back (false): the
   * page asks while views that update all through a run are on screen (the look inside) and
   * for a second after each act of the person (core-ask.ts). The leader then computes its
   * peer's half of each batch itself, so one worker trains and the page gets a core of its own
   * (gradient-peer.ts `CoreSharingPeer`). Stepping aside for one frame at a time cannot do that:
   * a kernel already running finishes first.
   */
  askForCore(wanted: boolean): void {
    Atomics.store(this.#view, CORE, wanted ? 1 : 0);
  }
}

/** Whether the page asks for a core of its own (`UiBusySignal.askForCore`); read by the leader before each step. */
export function pageAsksForCore(buffer: SharedArrayBuffer): boolean {
  return Atomics.load(new Int32Array(buffer), CORE) === 1;
}

/** A worker's side: sleeps while the flag is up, at most `maxMs` per raise. */
export class UiYield {
  readonly #view: Int32Array;
  #raise = 0;
  #slept = 0;

  constructor(buffer: SharedArrayBuffer, private readonly maxMs = MAX_YIELD_MS) {
    this.#view = new Int32Array(buffer);
  }

  wait(): void {
    if (Atomics.load(this.#view, BUSY) === 0) return;
    const raise = Atomics.load(this.#view, RAISES);
    if (raise !== this.#raise) {
      this.#raise = raise;
      this.#slept = 0;
    }
    const left = this.maxMs - this.#slept;
    if (left <= 0) return;
    const t0 = performance.now();
    Atomics.wait(this.#view, BUSY, 1, left);
    this.#slept += performance.now() - t0;
  }
}
