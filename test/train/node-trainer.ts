/**
 * A Trainer run in Node, as the worker runs it in the browser: on fake data and the cpu backend,
 * posting into an array. Shared by the tests that drive whole runs (trainer, data-parallel, probe,
 * resume).
 */
import * as tf from '@tensorflow/tfjs';
import type { Mnist } from '../../src/train/mnist';
import type { FromWorker } from '../../src/train/protocol';
import { Trainer, type TrainerDeps } from '../../src/train/trainer';

/**
 * A trainer whose messages are collected in `messages`. Progress goes out with every step and
 * filters/health only at the end, unless `deps` says otherwise; `onMessage` hears each message
 * after it is collected (e.g. to stop the run at a given step).
 */
export function nodeTrainer(
  data: Mnist,
  deps: Partial<TrainerDeps> = {},
  onMessage?: (message: FromWorker, trainer: Trainer) => void,
): { trainer: Trainer; messages: FromWorker[] } {
  const messages: FromWorker[] = [];
  const trainer: Trainer = new Trainer({
    post: (m) => {
      messages.push(m);
      onMessage?.(m, trainer);
    },
    loadData: async () => data,
    initBackend: async () => {
      await tf.setBackend('cpu');
      return { name: 'cpu', notes: [] };
    },
    progressIntervalMs: 0,
    snapshotIntervalMs: Infinity,
    ...deps,
  });
  return { trainer, messages };
}

/** Waits until the trainer's work has ended (`idle` is replaced when a run starts: wait until it stops changing). */
export async function settle(trainer: Trainer): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setTimeout(r, 0));
    await trainer.idle;
  }
}
