/**
 * The UI side of the Generations worker: one Worker, started only when first needed, one
 * message listener, and a typed port the Generations store uses. No tfjs is imported here.
 */
import type { FromGenWorker, ToGenWorker } from './gen-protocol';

/** What the Generations store needs from a trainer: send commands, receive messages. Tests pass a fake. */
export interface GenTrainerPort {
  post(message: ToGenWorker): void;
  /** Registers the single listener for worker messages. */
  listen(listener: (message: FromGenWorker) => void): void;
}

/** A port whose worker starts on the first post, so opening the page costs no second tfjs. */
export function createGenWorkerTrainer(): GenTrainerPort {
  return workerPort();
}

function workerPort(): GenTrainerPort {
  let worker: Worker | null = null;
  let listener: (message: FromGenWorker) => void = () => {};
  let lastRunId = 0;
  const start = (): Worker => {
    const w = new Worker(new URL('./gen-worker.ts', import.meta.url), { type: 'module', name: 'cnn-generations' });
    w.addEventListener('message', (event: MessageEvent<FromGenWorker>) => listener(event.data));
    w.addEventListener('error', (event) => {
      event.preventDefault();
      const detail = event.message || 'the script failed to load';
      listener({ type: 'error', runId: lastRunId, message: `The Generations worker crashed: ${detail}. Reload the page to try again.` });
    });
    return w;
  };
  return {
    post(message) {
      lastRunId = message.runId;
      worker ??= start();
      worker.postMessage(message);
    },
    listen(next) {
      listener = next;
    },
  };
}
