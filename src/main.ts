/**
 * Boot: pick the starting spec, create the store with the worker-backed trainer, mount the app.
 */
import './components/cnn-app';
import { DEFAULT_PRESET_ID, getPreset, PRESET_IDS } from './model/presets';
import { createAppStore } from './store/app-store';
import { createWorkerTrainer } from './train/client';

const initialSpec = getPreset(DEFAULT_PRESET_ID);
if (!initialSpec) throw new Error(`default preset ${DEFAULT_PRESET_ID} is missing`);

const store = createAppStore({ trainer: createWorkerTrainer(), initialSpec });
// Exposed for the benchmark script and for curious users in DevTools; the UI never reads it.
(window as unknown as { cnnPlayground: unknown }).cnnPlayground = { store, presetIds: PRESET_IDS };

const app = document.createElement('cnn-app');
app.store = store;
document.body.append(app);
