/**
 * The Generations worker's entry: wires `self` to one GenTrainer. It is a worker of its own (not
 * the classifier's), so a generative run and a classifier run never share a model or a loop.
 */
import { initBackend } from '../backends';
import { loadMnist, type Mnist } from '../mnist';
import type { FromGenWorker, ToGenWorker } from './gen-protocol';
import { GenTrainer } from './gen-trainer';

const scope = self as unknown as DedicatedWorkerGlobalScope;
let data: Promise<Mnist> | null = null;

const trainer = new GenTrainer({
  post: (message: FromGenWorker, transfer: Transferable[] = []) => scope.postMessage(message, transfer),
  // Load once per worker; a failed load is retried on the next run instead of being cached.
  loadData: () => {
    data ??= loadMnist(new URL(import.meta.env.BASE_URL, scope.location.origin).href).catch((error) => {
      data = null;
      throw error;
    });
    return data;
  },
  initBackend,
});

scope.addEventListener('message', (event: MessageEvent<ToGenWorker>) => trainer.handle(event.data));
