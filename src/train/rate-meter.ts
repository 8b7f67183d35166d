/**
 * Counts training examples against wall time that excludes pauses, and reports the recent
 * throughput over a sliding window so the figure reacts to changes but does not flicker.
 */
const WINDOW_MS = 3000;

/** Tracks examples seen, active elapsed time and a windowed examples/s rate. */
export class RateMeter {
  examples = 0;
  #start: number;
  #pausedAt: number | null = null;
  #pausedTotal = 0;
  #lastTime: number;
  #marks: { t: number; examples: number }[] = [];

  constructor(now: number) {
    this.#start = now;
    this.#lastTime = now;
    this.#marks.push({ t: 0, examples: 0 });
  }

  /** Milliseconds of active (unpaused) time up to the last recorded batch. */
  get elapsedMs(): number {
    return this.#active(this.#lastTime);
  }

  /** Records n examples finished at time `now`. */
  add(n: number, now: number): void {
    this.examples += n;
    this.#lastTime = now;
    const t = this.#active(now);
    this.#marks.push({ t, examples: this.examples });
    while (this.#marks.length > 2 && t - this.#marks[1].t > WINDOW_MS) this.#marks.shift();
  }

  /** Examples per second over about the last three seconds of active time. */
  recentRate(): number {
    const first = this.#marks[0];
    const last = this.#marks[this.#marks.length - 1];
    const dt = last.t - first.t;
    return dt > 0 ? ((last.examples - first.examples) * 1000) / dt : 0;
  }

  /** Stops the clock (time spent paused does not count). */
  pause(now: number): void {
    if (this.#pausedAt === null) this.#pausedAt = now;
  }

  /** Restarts the clock after a pause. */
  resume(now: number): void {
    if (this.#pausedAt !== null) this.#pausedTotal += now - this.#pausedAt;
    this.#pausedAt = null;
    this.#lastTime = now;
  }

  #active(now: number): number {
    return now - this.#start - this.#pausedTotal;
  }
}
