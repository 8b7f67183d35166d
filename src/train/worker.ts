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
import { CoreSharingPeer, LocalPeer, WorkerPeer } from './parallel/gradient-peer';
import { pageAsksForCore, UiYield } from './ui-busy';
import { yieldBeforeKernels } from './yield-kernels';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const cores = navigator.hardwareConcurrency || 1;
const split = scope.name !== 'cnn-trainer:single' && globalThis.crossOriginIsolated && cores >= 2 && typeof Worker !== 'undefined';
const wasmThreads = split ? Math.floor(cores / 2) : cores;

/** The page's busy flag (ui-busy.ts), once it has sent one: the kernels here and in the peer wait on it. */
let uiSignal: SharedArrayBuffer | null = null;
let uiYield: UiYield | null = null;
let backendName: string | null = null;

const trainer = new Trainer({
  post: (message: FromWorker, transfer: Transferable[] = []) => scope.postMessage(message, transfer),
  loadData: workerMnistLoader(scope),
  initBackend: async (choice) => {
    const info = await initBackend(choice, { wasmThreads });
    backendName = info.name;
    // Initialising registers our wasm kernels afresh: put the yield check back in front of them.
    if (uiYield) yieldBeforeKernels(backendName, uiYield);
    return info;
  },
  createPeer: (backend) => {
    if (!split || backend.name !== 'wasm') return null;
    const worker = new Worker(new URL('./parallel/peer-worker.ts', import.meta.url), { type: 'module', name: `peer:${wasmThreads}` });
    if (uiSignal) worker.postMessage({ type: 'ui-signal', id: 0, buffer: uiSignal });
    // While the page asks for a core (the look inside on screen or a recent act, smoothness chosen), this worker does the peer's half.
    return new CoreSharingPeer(new WorkerPeer(worker), new LocalPeer(), () => uiSignal !== null && pageAsksForCore(uiSignal));
  },
});

scope.addEventListener('message', (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  if (message.type !== 'ui-signal') {
    trainer.handle(message);
    return;
  }
  uiSignal = message.buffer;
  uiYield = new UiYield(message.buffer);
  if (backendName) yieldBeforeKernels(backendName, uiYield);
});
