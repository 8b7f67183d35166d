/**
 * The UI side of the worker: one Worker, one message listener, and a typed port the store uses.
 * Stale-run filtering happens in the store, which knows the current run id.
 */
import type { FromWorker, ToWorker } from './protocol';

/** What the store needs from a trainer: send commands, receive messages. Tests pass a fake. */
export interface TrainerPort {
  post(message: ToWorker): void;
  /** Registers the single listener for worker messages. */
  listen(listener: (message: FromWorker) => void): void;
}

/** Starts the training worker and returns its port; worker crashes arrive as error messages. */
export function createWorkerTrainer(): TrainerPort {
  // `?workers=1` in the page's address trains in one worker (no gradient peer), for comparison.
  const single = new URLSearchParams(globalThis.location?.search ?? '').get('workers') === '1';
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: single ? 'cnn-trainer:single' : 'cnn-trainer' });
  let listener: (message: FromWorker) => void = () => {};
  let lastRunId = 0;
  worker.addEventListener('message', (event: MessageEvent<FromWorker>) => listener(event.data));
  worker.addEventListener('error', (event) => {
    event.preventDefault();
    const detail = event.message || 'the script failed to load';
    listener({ type: 'error', runId: lastRunId, message: `The training worker crashed: ${detail}. Reload the page to try again.` });
  });
  return {
    post(message) {
      lastRunId = message.runId;
      worker.postMessage(message);
    },
    listen(next) {
      listener = next;
    },
  };
}
