/**
 * The point between two batches where a run yields to messages and waits while paused. Shared by
 * the classifier's and the generative trainer: both hold a run with the same phase and flags.
 */
import type { RateMeter } from './rate-meter';

/** What the gate reads and writes on a run. */
export interface PausableRun {
  phase: string;
  stopRequested: boolean;
  cancelled: boolean;
  /** Set while paused; calling it resumes the run. */
  resume: (() => void) | null;
}

/** Ways the gate reaches its trainer: the yield, the clock, and the phase change on resuming. */
export interface GateDeps {
  yieldFn: () => Promise<void>;
  now: () => number;
  resumed: () => void;
  /**
   * Called once when the run stops at the gate for a pause, before it waits: the classifier's
   * trainer posts the step's last progress and only then the 'paused' status, so the page's
   * counters stand still from the moment it shows "Paused" (a step in flight when the pause was
   * asked for finishes first).
   */
  paused?: () => void;
}

/**
 * Yields to the event loop, then waits while the run is paused (the clock stops meanwhile, so
 * examples per second count training time only); returns false when the loop must end.
 */
export async function passGate(run: PausableRun, clock: RateMeter, deps: GateDeps): Promise<boolean> {
  await deps.yieldFn();
  if (run.phase === 'paused' && !run.stopRequested && !run.cancelled) {
    clock.pause(deps.now());
    deps.paused?.();
    await new Promise<void>((resolve) => (run.resume = resolve));
    run.resume = null;
    clock.resume(deps.now());
    if (!run.stopRequested && !run.cancelled) deps.resumed();
  }
  return !run.stopRequested && !run.cancelled;
}
