/**
 * The training worker's entry: wires `self` to one Trainer. All tfjs work happens here,
 * off the UI thread. Kept tiny so the trainer itself is tested in Node.
 *
 * On wasm with two or more cores (and a cross-origin isolated page, so workers can run wasm
 * threads), training is data-parallel: this worker starts a gradient peer worker, and each takes
 * half the cores and half of every batch (src/train/parallel/). Measured on a 2-core machine:
 * two one-thread workers on half batches beat one two-thread worker on whole batches, because
 * most of our own kernels (src/train/kernels) run on one thread. The worker name
 * "cnn-trainer:single" (the page's `?workers=1`) turns this off.
 */
import { initBackend } from './backends';
import { workerMnistLoader } from './worker-data';
import type { FromWorker, ToWorker } from './protocol';
import { Trainer } from './trainer';
import { WorkerPeer } from './parallel/gradient-peer';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const cores = navigator.hardwareConcurrency || 1;
const split = scope.name !== 'cnn-trainer:single' && globalThis.crossOriginIsolated && cores >= 2 && typeof Worker !== 'undefined';
const wasmThreads = split ? Math.floor(cores / 2) : cores;

const trainer = new Trainer({
  post: (message: FromWorker, transfer: Transferable[] = []) => scope.postMessage(message, transfer),
  loadData: workerMnistLoader(scope),
  initBackend: (choice) => initBackend(choice, { wasmThreads }),
  createPeer: (backend) =>
    split && backend.name === 'wasm'
      ? new WorkerPeer(new Worker(new URL('./parallel/peer-worker.ts', import.meta.url), { type: 'module', name: `peer:${wasmThreads}` }))
      : null,
});

scope.addEventListener('message', (event: MessageEvent<ToWorker>) => trainer.handle(event.data));
