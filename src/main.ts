/**
 * Boot: read the hash and the saved work to pick the starting spec, create the store with the
 * worker-backed trainer, start the address-bar and storage sync, and mount the app with its
 * Share button and notice.
 */
import './components/cnn-app';
import './components/share/cnn-link-notice';
import './components/share/cnn-share-button';
import { frameTurns } from './components/shared/frame-turns';
import { EveryFrameWhile } from './components/shared/every-frame';
import { liveViewsOnScreen } from './components/shared/on-screen';
import { RecentActs } from './components/shared/recent-acts';
import { PRESET_IDS } from './model/presets';
import { createAppStore } from './store/app-store';
import { linkCoreAsk } from './store/core-ask';
import { loadSmoothInspector, saveSmoothInspector } from './store/preferences';
import { browserSyncDeps, chooseInitialSpec, localStorageOrNull, startUrlSync } from './store/url-sync';
import { createWorkerTrainer } from './train/client';

const notice = document.createElement('cnn-link-notice');
notice.slot = 'notices';
const deps = browserSyncDeps((message) => (notice.message = message));

// Decoding a link is async (DecompressionStream) and capped, so this wait is a few milliseconds.
const initial = await chooseInitialSpec(deps);
const trainer = createWorkerTrainer();
const storage = localStorageOrNull();
const store = createAppStore({ trainer, initialSpec: initial.spec, smoothInspector: loadSmoothInspector(storage) });
store.subscribe((s, before) => {
  if (s.smoothInspector !== before.smoothInspector) saveSmoothInspector(storage, s.smoothInspector);
});
// While a view takes its turn to draw, the training workers step aside until that frame is drawn.
frameTurns.onTurn(() => trainer.pageBusy?.());
// So does a person scrolling, clicking or typing (keys, or text that arrives without them: paste,
// dictation, autofill): the frame that answers them comes first.
// And for a second after each such act, training leaves the page a core (recent-acts.ts), and
// every frame the page draws goes first (every-frame.ts), unless the person chose speed.
const acts = new RecentActs();
const actFrames = new EveryFrameWhile(() => acts.any && store.getState().smoothInspector, () => {
  exposed.framesFirst++;
  trainer.pageFrame?.();
});
for (const type of ['scroll', 'pointerdown', 'keydown', 'input']) {
  addEventListener(type, () => {
    trainer.pageBusy?.();
    acts.act();
    actFrames.wake();
  }, { capture: true, passive: true });
}
// Exposed for the benchmark scripts, the end-to-end tests and curious users in DevTools; the UI
// never reads it. `coreAsked`: whether the page is asking the workers for a core right now;
// `framesFirst`: how many frames have gone first so far (every-frame.ts).
const exposed = { store, presetIds: PRESET_IDS, coreAsked: false, framesFirst: 0 };
(window as unknown as { cnnPlayground: unknown }).cnnPlayground = exposed;
// While the look inside is on screen or the person has just acted, training leaves the page a
// core (one worker trains), unless the person chose speed.
linkCoreAsk(
  [liveViewsOnScreen, acts],
  { get: () => store.getState().smoothInspector, subscribe: (listener) => store.subscribe(listener) },
  (wanted) => {
    exposed.coreAsked = wanted;
    trainer.wantCore?.(wanted);
  },
);

const sync = startUrlSync(store, deps, initial.source);
if (initial.notice) notice.message = initial.notice;

const share = document.createElement('cnn-share-button');
share.slot = 'actions';
share.link = () => sync.shareLink();

const app = document.createElement('cnn-app');
app.store = store;
app.append(share, notice);
document.body.append(app);

// Load the data and start the training backend while the page is idle, so that Train begins at
// once: otherwise the first seconds of the first run compete with the page for the cores
// (decoding 60,000 images, compiling wasm and a second worker's script).
const prepare = () => store.getState().prepareTraining();
if ('requestIdleCallback' in window) requestIdleCallback(prepare, { timeout: 3000 });
else setTimeout(prepare, 500);
