/**
 * The training worker's entry: wires `self` to one Trainer. All tfjs work happens here,
 * off the UI thread. Kept tiny so the trainer itself is tested in Node.
 */
import { initBackend } from './backends';
import { loadMnist, type Mnist } from './mnist';
import type { FromWorker, ToWorker } from './protocol';
import { Trainer } from './trainer';

const scope = self as unknown as DedicatedWorkerGlobalScope;
let data: Promise<Mnist> | null = null;

const trainer = new Trainer({
  post: (message: FromWorker, transfer: Transferable[] = []) => scope.postMessage(message, transfer),
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

scope.addEventListener('message', (event: MessageEvent<ToWorker>) => trainer.handle(event.data));
