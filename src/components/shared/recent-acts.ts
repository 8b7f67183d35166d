/**
 * Whether the person acted on the page (clicked, typed, scrolled) within the last moment. The
 * frames that answer an act are a page's heaviest: a click on Train switches the run panel,
 * starts the curves and the first look inside, and a scroll brings a section in to be laid out
 * and painted. On a 2-core machine whose two training workers were both in a step then, 10 of
 * the 11 main-thread tasks over 50 ms in 18 runs of scripts/bench-longtasks.mjs came within a
 * second of the click on Train. So while the person has just acted, the page asks for a core of
 * its own (core-ask.ts), as it does while "Look inside" is on screen: 3 such tasks in 18 runs.
 */

/** How long after an act the page keeps asking: the click's answer and the first messages of a run it started. */
export const ACT_HOLD_MS = 1000;

/** The clock and timer it runs on (the page's, or a test's). */
export interface ActClock {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
}

const pageClock: ActClock = {
  now: () => performance.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
};

/** "The person acted within `holdMs`", told to one listener when it turns true or false. */
export class RecentActs {
  #until = -Infinity;
  #timerSet = false;
  #any = false;
  #listener: (any: boolean) => void = () => {};

  constructor(private readonly holdMs = ACT_HOLD_MS, private readonly clock: ActClock = pageClock) {}

  get any(): boolean {
    return this.#any;
  }

  /** Sets the one listener and tells it the present answer at once. */
  onChange(listener: (any: boolean) => void): void {
    this.#listener = listener;
    listener(this.#any);
  }

  /** The person acted now: true until `holdMs` passes with no further act. */
  act(): void {
    this.#until = this.clock.now() + this.holdMs;
    if (!this.#any) {
      this.#any = true;
      this.#listener(true);
    }
    // One timer at a time, re-armed for what is left when it fires: scroll events come every
    // frame while a page scrolls, and setting a timer for each would be waste.
    if (!this.#timerSet) this.#arm(this.holdMs);
  }

  #arm(ms: number): void {
    this.#timerSet = true;
    this.clock.setTimeout(() => this.#check(), ms);
  }

  #check(): void {
    this.#timerSet = false;
    const left = this.#until - this.clock.now();
    if (left > 0) {
      this.#arm(left);
      return;
    }
    this.#any = false;
    this.#listener(false);
  }
}
