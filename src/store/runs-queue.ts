/**
 * "Repeat with seeds": the current network trained once per seed, one run after another. Each
 * seed is committed as an ordinary (undoable) edit of the settings and started; the next one
 * starts when a run finishes, and a stop or a failure ends the queue.
 */
import type { RunState } from './run-state';
import { isActive, isTerminal } from './run-state';
import type { RunsHost } from './runs-slice';

/** The queue's two moves: start one, and go on after a run ends. */
export interface SeedQueue {
  /** Starts the first seed and queues the rest; ignored while a run is in progress. */
  repeat(seeds: readonly number[]): void;
  /** After a run ended and was saved: starts the next seed if it finished, else empties the queue. */
  advance(run: RunState): void;
}

/** Creates the queue; the seeds still to start live in the host's `runs().queue`. */
export function createSeedQueue(host: Pick<RunsHost, 'runs' | 'setRuns' | 'run' | 'currentSpec' | 'commitSpec' | 'start'>): SeedQueue {
  /** Commits the edited network with another seed (an undoable edit, like any) and trains it. */
  const startWithSeed = (seed: number) => {
    const current = host.currentSpec();
    const spec = host.commitSpec({ ...current, training: { ...current.training, seed } });
    if (spec.training.seed === seed) host.start();
  };
  return {
    repeat(seeds) {
      if (seeds.length === 0 || isActive(host.run().status)) return;
      host.setRuns({ queue: seeds.slice(1) });
      startWithSeed(seeds[0]!);
    },
    advance(run) {
      const queue = host.runs().queue;
      if (queue.length === 0 || !isTerminal(run.status)) return;
      if (run.status !== 'done') return host.setRuns({ queue: [] });
      host.setRuns({ queue: queue.slice(1) });
      startWithSeed(queue[0]!);
    },
  };
}
