/**
 * Big views take turns: at most one of them updates per animation frame.
 *
 * On a small machine whose cores the training workers keep busy, the page's long tasks came when
 * many views changed at once: the first look inside at the start of a run (input, probabilities,
 * saliency, feature maps, filters, layer health and the curves all appear together) and the test
 * report at its end (matrix, class bars, digit grids, the saved run's row). Each of those frames
 * did 20-40 ms of script, style, layout and paint, and a busy core stretched that past 50 ms.
 * One view per frame keeps every frame small; the views still all update within a few frames.
 *
 * A turn is given in a task of its own after a frame has been drawn (rAF, then a timer): inside a
 * rAF callback the update would share the task with that frame's style, layout and paint.
 * A listener hears of every turn of a view within the viewport, so the page can ask the training
 * workers to step aside while it draws (ui-busy.ts).
 */
import { LitElement } from 'lit';
import { isOnScreen, unwatchOnScreen, watchOnScreen } from './on-screen';

/** Calls `run` in a new task once the next frame has been drawn. */
export type AfterFrame = (run: () => void) => void;

const afterNextFrame: AfterFrame = (run) => {
  // A hidden page draws no frames: rAF would wait until it is shown, holding every update back.
  if (globalThis.document?.hidden) setTimeout(run, 0);
  else requestAnimationFrame(() => setTimeout(run, 0));
};

/** A queue of views waiting to update, one let through per frame. */
export class FrameTurns {
  #waiting: { resolve: () => void; onScreen: boolean }[] = [];
  #scheduled = false;
  #listener: () => void = () => {};

  constructor(private readonly afterFrame: AfterFrame = afterNextFrame) {}

  /**
   * Resolves when it is the caller's turn: after the frame that drew the turn before it.
   * `onScreen` says whether that turn draws something the person sees: only such turns are
   * told to the listener (a view off screen costs the frame little, and pausing the workers for
   * it would slow training for nothing).
   */
  next(onScreen = true): Promise<void> {
    return new Promise((resolve) => {
      this.#waiting.push({ resolve, onScreen });
      this.#schedule();
    });
  }

  /** How many are waiting for a turn. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /** Hears of each on-screen turn just before it is given (one listener: the page's busy signal). */
  onTurn(listener: () => void): void {
    this.#listener = listener;
  }

  /** Tells the listener now, outside a turn: for work a view does in a task of its own (frame-painter.ts). */
  drawing(onScreen = true): void {
    if (onScreen) this.#listener();
  }

  #schedule(): void {
    if (this.#scheduled || !this.#waiting.length) return;
    this.#scheduled = true;
    this.afterFrame(() => {
      this.#scheduled = false;
      const turn = this.#waiting.shift();
      if (!turn) return;
      if (turn.onScreen) this.#listener();
      turn.resolve();
      this.#schedule();
    });
  }
}

/** The page's one queue. */
export const frameTurns = new FrameTurns();

/**
 * A Lit element whose updates wait for a turn (Lit's documented way to defer an update: await in
 * `scheduleUpdate`). Updates asked for while waiting are batched into that one update, as usual.
 */
export class TurnTakingElement extends LitElement {
  /** Whether this view's turns ask the training workers to step aside (false for light, frequent updates). */
  protected readonly pausesTraining: boolean = true;

  override connectedCallback(): void {
    super.connectedCallback();
    watchOnScreen(this);
  }

  override disconnectedCallback(): void {
    unwatchOnScreen(this);
    super.disconnectedCallback();
  }

  protected override async scheduleUpdate(): Promise<void> {
    await frameTurns.next(this.pausesTraining && isOnScreen(this));
    super.scheduleUpdate();
  }
}
