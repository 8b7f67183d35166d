/**
 * The UI side of the worker: one Worker, one message listener, and a typed port the store uses.
 * Stale-run filtering happens in the store, which knows the current run id.
 */
import type { FromWorker, ToWorker } from './protocol';
import { UI_SIGNAL_BYTES, UiBusySignal } from './ui-busy';

/**
 * Messages whose handling draws a lot at once (a dozen images, grids of digits): the workers step
 * aside until the frame after (ui-busy.ts). Progress and status come often and draw little.
 */
const HEAVY: ReadonlySet<FromWorker['type']> = new Set(['probe', 'filters', 'health', 'report', 'test-images']);

/** The busy flag, where the page can share memory with its workers (cross-origin isolated). */
function createBusySignal(): UiBusySignal | null {
  if (!globalThis.crossOriginIsolated || typeof SharedArrayBuffer === 'undefined' || typeof requestAnimationFrame === 'undefined') return null;
  return new UiBusySignal(new SharedArrayBuffer(UI_SIGNAL_BYTES));
}

/** What the store needs from a trainer: send commands, receive messages. Tests pass a fake. */
export interface TrainerPort {
  post(message: ToWorker): void;
  /** Registers the single listener for worker messages. */
  listen(listener: (message: FromWorker) => void): void;
  /** The page is about to draw a view: the workers step aside until that frame is drawn (ui-busy.ts). */
  pageBusy?(): void;
  /** The page starts a frame that should go first (called from rAF): the workers step aside until it is drawn. */
  pageFrame?(): void;
  /**
   * The page wants a core of its own (true: live views are on screen or the person just acted,
   * and they chose smoothness, core-ask.ts) or gives it back (false): training leaves it one
   * meanwhile (ui-busy.ts).
   */
  wantCore?(wanted: boolean): void;
}

/** Starts the training worker and returns its port; worker crashes arrive as error messages. */
export function createWorkerTrainer(): TrainerPort {
  // `?workers=1` in the page's address trains in one worker (no gradient peer), for comparison.
  const single = new URLSearchParams(globalThis.location?.search ?? '').get('workers') === '1';
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: single ? 'cnn-trainer:single' : 'cnn-trainer' });
  let listener: (message: FromWorker) => void = () => {};
  let lastRunId = 0;
  const busy = createBusySignal();
  if (busy) worker.postMessage({ type: 'ui-signal', runId: 0, buffer: busy.buffer } satisfies ToWorker);
  // A hidden page draws nothing, so there is nothing to step aside for.
  const pageBusy = () => {
    if (busy && !globalThis.document?.hidden) busy.raise();
  };
  // Nor a core to leave it: training gets every core back while the tab is hidden.
  let wanted = false;
  const askForCore = () => busy?.askForCore(wanted && !globalThis.document?.hidden);
  globalThis.document?.addEventListener('visibilitychange', askForCore);
  worker.addEventListener('message', (event: MessageEvent<FromWorker>) => {
    if (HEAVY.has(event.data.type)) pageBusy();
    listener(event.data);
  });
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
    pageBusy,
    pageFrame() {
      if (busy && !globalThis.document?.hidden) busy.raiseForFrame();
    },
    wantCore(want) {
      wanted = want;
      askForCore();
    },
  };
}
