/**
 * The Generations worker's entry: wires `self` to one GenTrainer. It is a worker of its own (not
 * the classifier's), so a generative run and a classifier run never share a model or a loop.
 */
import { initBackend } from '../backends';
import { workerMnistLoader } from '../worker-data';
import type { FromGenWorker, ToGenWorker } from './gen-protocol';
import { GenTrainer } from './gen-trainer';
import { idbKeptClassifiers } from './own-judge';
import { createGan } from './gan-model';

const scope = self as unknown as DedicatedWorkerGlobalScope;

const trainer = new GenTrainer({
  post: (message: FromGenWorker, transfer: Transferable[] = []) => scope.postMessage(message, transfer),
  loadData: workerMnistLoader(scope),
  initBackend,
  // The person's kept classifiers: the best one at >= 98% test accuracy judges the samples.
  keptClassifiers: idbKeptClassifiers(),
  // A GAN spec (kind 'cgan') arrives as a start message's spec once the store can hold one.
  createGan,
});

scope.addEventListener('message', (event: MessageEvent<ToGenWorker>) => trainer.handle(event.data));
