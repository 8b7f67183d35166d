/**
 * The training worker's entry: wires `self` to one Trainer. All tfjs work happens here,
 * off the UI thread. Kept tiny so the trainer itself is tested in Node.
 */
import { initBackend } from './backends';
import { workerMnistLoader } from './worker-data';
import type { FromWorker, ToWorker } from './protocol';
import { Trainer } from './trainer';

const scope = self as unknown as DedicatedWorkerGlobalScope;

const trainer = new Trainer({
  post: (message: FromWorker, transfer: Transferable[] = []) => scope.postMessage(message, transfer),
  loadData: workerMnistLoader(scope),
  initBackend,
});

scope.addEventListener('message', (event: MessageEvent<ToWorker>) => trainer.handle(event.data));
