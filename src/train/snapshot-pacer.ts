/**
 * When the next filters/health snapshot may start during training. A snapshot runs a forward and
 * backward pass of the health batch (health.ts), so what it costs depends on the model and the
 * backend, not on the clock: at a fixed one a second it took about 5% of the training time on a
 * 2-core machine. So each snapshot is timed, and the next one starts no sooner than
 * max(interval, SNAPSHOT_SPACING x its duration) after it ended: snapshots then take at most
 * 1 / (1 + SNAPSHOT_SPACING), about 2.5%, of the time however slow they are, and a fast one still
 * comes every interval.
 */

/** How many times a snapshot's own duration training runs before the next one. */
export const SNAPSHOT_SPACING = 40;

/** Paces snapshots by a minimum interval and by how long the last one took. */
export class SnapshotPacer {
  // -Infinity: the first batch of a stretch gets a snapshot, as it always has.
  #next = -Infinity;

  /** `intervalMs` is the least time between snapshots; Infinity means none while training. */
  constructor(readonly intervalMs: number) {}

  /** Whether a snapshot is due at time `now`. */
  due(now: number): boolean {
    return this.intervalMs !== Infinity && now >= this.#next;
  }

  /** Records a snapshot that ran from `started` to `ended` (both from the run's clock). */
  done(started: number, ended: number): void {
    // Counted from the end, so a slow snapshot cannot take more than its share of the time.
    this.#next = ended + Math.max(this.intervalMs, SNAPSHOT_SPACING * (ended - started));
  }
}
