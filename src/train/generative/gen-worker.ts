/**
 * The Generations worker's entry: wires `self` to one GenTrainer. It is a worker of its own (not
 * the classifier's), so a generative run and a classifier run never share a model or a loop.
 */
import { initBackend } from '../backends';
import { workerMnistLoader } from '../worker-data';
import type { FromGenWorker, ToGenWorker } from './gen-protocol';
import { GenTrainer } from './gen-trainer';

const scope = self as unknown as DedicatedWorkerGlobalScope;

const trainer = new GenTrainer({
  post: (message: FromGenWorker, transfer: Transferable[] = []) => scope.postMessage(message, transfer),
  loadData: workerMnistLoader(scope),
  initBackend,
});

scope.addEventListener('message', (event: MessageEvent<ToGenWorker>) => trainer.handle(event.data));
