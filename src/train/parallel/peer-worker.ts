/**
 * The gradient peer's worker entry: started by the training worker when it trains on wasm with
 * two or more cores (see src/train/worker.ts). It runs the same backend with its share of the
 * cores and answers 'prepare', 'step' and 'predict' messages in order.
 */
import { initBackend } from '../backends';
import type { FromPeer, ToPeer } from './peer-protocol';
import { Replica } from './replica';
import { UiYield } from '../ui-busy';
import { yieldBeforeKernels } from '../yield-kernels';

const scope = self as unknown as DedicatedWorkerGlobalScope;
/** The thread count arrives in the worker's name ("peer:<threads>"), before any message. */
const threads = Number(/^peer:(\d+)$/.exec(scope.name)?.[1] ?? 1);
const ready = initBackend('wasm', { wasmThreads: threads });
const replica = new Replica();
// One message at a time: a step must not start before the previous one has posted its result.
let queue: Promise<void> = Promise.resolve();

scope.addEventListener('message', (event: MessageEvent<ToPeer>) => {
  const message = event.data;
  if (message.type === 'ui-signal') {
    const uiYield = new UiYield(message.buffer);
    void ready.then(() => yieldBeforeKernels('wasm', uiYield));
    return;
  }
  queue = queue.then(() => answer(message));
});

async function answer(message: ToPeer): Promise<void> {
  const post = (reply: FromPeer, transfer: Transferable[] = []) => scope.postMessage(reply, transfer);
  try {
    await ready;
    if (message.type === 'prepare') {
      replica.prepare(message.layers, message.seed);
      post({ type: 'ready', id: message.id });
    } else if (message.type === 'predict') {
      const probabilities = await replica.predict(message);
      post({ type: 'probabilities', id: message.id, probabilities }, [probabilities.buffer]);
    } else if (message.type === 'step') {
      const result = await replica.step(message);
      post({ type: 'result', id: message.id, result }, [result.grads.buffer]);
    }
  } catch (error) {
    post({ type: 'error', id: message.id, message: error instanceof Error ? error.message : String(error) });
  }
}
