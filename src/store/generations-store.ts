/**
 * The Generations store: a separate zustand vanilla store, on purpose. Generations has its own
 * worker (train/generative/gen-worker.ts) with its own lifecycle, its own spec type and runs that
 * must not disturb the classifier's, so it does not share the application store; only the
 * <cnn-generations> element creates and reads it. The trainer port is injected, so tests use a fake.
 *
 * The spec is a VAE's or a conditional GAN's (`GenModelSpec`); the 'start' message carries either.
 * Spec edits (both networks' layers, fields, presets, undo/redo) go through one commit path
 * (gen-network-edits.ts) that derives the analysis in the same `set`, never on its own; an edit
 * while a run is going pauses it and marks it stale, as the classifier does. Worker messages of
 * stale runs (another runId) are dropped here.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { DEFAULT_GEN_PRESET_ID, genPresetById } from '../model/generative/presets';
import type { GenModelSpec } from '../model/generative/gan-spec';
import { createGenSpecActions, initialGenSpecState, type GenSpecActions, type GenSpecState } from './gen-network-edits';
import type { GenTrainerPort } from '../train/generative/gen-client';
import type { BackendInfo } from '../train/protocol';
import type { FromGenWorker, GenBatchPoint, GenEpochPoint, GenPhase, JudgeChoice, JudgeInfo, ScorePoint } from '../train/generative/gen-protocol';
import { emptyExplore, exploreReducer, type ExploreState } from './generations-explore';

/** Where a generative run stands. */
export type GenStatus = 'idle' | GenPhase | 'error';

/** The latest grid the worker decoded from the fixed noise. */
export interface GridState {
  pixels: Uint8Array;
  judged: Int8Array | null;
  examplesSeen: number;
  /** Counts refreshes, so views can tell a new grid from the same one. */
  version: number;
}

/** Test digits beside their reconstructions. */
export interface ReconState {
  count: number;
  labels: number[];
  originals: Uint8Array;
  decoded: Uint8Array;
}

/** Everything about the current (or last) generative run. */
export interface GenRunState {
  runId: number;
  status: GenStatus;
  detail: string | null;
  error: string | null;
  backend: BackendInfo | null;
  judge: JudgeInfo | null;
  progress: { epoch: number; epochs: number; batch: number; batchesPerEpoch: number; examplesSeen: number; examplesPerSecond: number; elapsedMs: number; tensors: number } | null;
  batches: GenBatchPoint[];
  epochs: GenEpochPoint[];
  scores: ScorePoint[];
  grid: GridState | null;
  recon: ReconState | null;
  /** The spec the run trains (a VAE or a conditional GAN). */
  spec: GenModelSpec | null;
  /** The spec was edited after the run started, so the run no longer matches it. */
  stale: boolean;
}

export type { GenField } from './gen-network-edits';
export { networkFixes } from './gen-network-edits';

/** The Generations state with its actions. */
export interface GenerationsState extends GenSpecState, GenSpecActions {
  judgeChoice: JudgeChoice;
  run: GenRunState;
  explore: ExploreState;
  /** Why the last Train was refused, or null. */
  startError: string | null;
  setJudgeChoice(choice: JudgeChoice): void;
  /** Starts a new run of the current spec (a paused one is replaced); refused with `startError` while the spec is invalid. */
  start(): void;
  pause(): void;
  resume(): void;
  stop(): void;
  /** Scores the samples now. */
  score(): void;
  decode(z: number[], label: number): void;
  walk(from: number, to: number, steps: number, label: number | null): void;
  /** Walks between two drawn digits (preprocessed 28x28 grey levels); a null label: the judge's reading. */
  walkDrawn(from: Uint8Array, to: Uint8Array, steps: number, labels: [number | null, number | null]): void;
  requestMap(cells: number, extent: number, points: number, label: number): void;
  /** Asks the worker for the decoder as tfjs model files (they arrive in `explore.decoderFiles`). */
  exportDecoder(): void;
}

/** Whether a run is under way (edits and a new start wait for it). */
export const isActive = (status: GenStatus): boolean => ['loading-data', 'judge', 'building', 'training', 'paused'].includes(status);

const emptyRun = (runId: number, spec: GenModelSpec | null): GenRunState => ({
  runId, status: 'idle', detail: null, error: null, backend: null, judge: null, progress: null,
  batches: [], epochs: [], scores: [], grid: null, recon: null, spec, stale: false,
});

/** Creates the store; nothing reaches the worker until `start` (the port starts it lazily). */
export function createGenerationsStore(deps: { trainer: GenTrainerPort; now?: () => number }): StoreApi<GenerationsState> {
  const initial = genPresetById(DEFAULT_GEN_PRESET_ID)!;
  let requestId = 0;
  const store = createStore<GenerationsState>()((set, get) => {
    const post = deps.trainer.post.bind(deps.trainer);
    const runId = () => get().run.runId;
    const specActions = createGenSpecActions({
      state: get,
      setState: set,
      now: deps.now ?? Date.now,
      changed(spec) {
        const { run } = get();
        if (!isActive(run.status)) return;
        if (run.status === 'training') post({ type: 'pause', runId: run.runId });
        set({ run: { ...run, stale: spec !== run.spec } });
      },
    });
    return {
      ...initialGenSpecState(initial.id, initial.spec),
      ...specActions,
      judgeChoice: 'quick',
      run: emptyRun(0, null),
      explore: emptyExplore(),
      startError: null,
      setJudgeChoice(choice) {
        set({ judgeChoice: choice });
      },
      start() {
        const { spec, judgeChoice, run, trainBlock } = get();
        // An invalid network never reaches tfjs; the Train button is disabled too, this is the guard.
        if (trainBlock) return set({ startError: trainBlock });
        if (isActive(run.status) && run.status !== 'paused') return;
        const next = run.runId + 1;
        set({ run: { ...emptyRun(next, spec), status: 'loading-data' }, explore: emptyExplore(), startError: null });
        post({ type: 'start', runId: next, spec, judge: judgeChoice, backend: 'auto' });
      },
      pause: () => post({ type: 'pause', runId: runId() }),
      resume: () => post({ type: 'resume', runId: runId() }),
      stop: () => post({ type: 'stop', runId: runId() }),
      score: () => post({ type: 'score', runId: runId() }),
      decode(z, label) {
        requestId += 1;
        set({ explore: { ...get().explore, pendingDecode: requestId } });
        post({ type: 'decode', runId: runId(), requestId, z, label });
      },
      walk(from, to, steps, label) {
        requestId += 1;
        post({ type: 'walk', runId: runId(), requestId, from, to, steps, label });
      },
      walkDrawn(from, to, steps, labels) {
        requestId += 1;
        post({ type: 'walk-drawn', runId: runId(), requestId, from, to, steps, labels });
      },
      exportDecoder() {
        requestId += 1;
        post({ type: 'export-decoder', runId: runId(), requestId });
      },
      requestMap(cells, extent, points, label) {
        requestId += 1;
        post({ type: 'latent-map', runId: runId(), requestId, cells, extent, points, label });
      },
    };
  });
  deps.trainer.listen((message) => receive(store, message));
  return store;
}

/** Applies one worker message to the run (or the explore state); stale runs are ignored. */
function receive(store: StoreApi<GenerationsState>, message: FromGenWorker): void {
  const { run, explore } = store.getState();
  if (message.runId !== run.runId) return;
  const patch = (p: Partial<GenRunState>) => store.setState({ run: { ...store.getState().run, ...p } });
  switch (message.type) {
    case 'phase':
      return patch({ status: message.phase, detail: message.detail ?? null });
    case 'backend':
      return patch({ backend: message.backend });
    case 'judge':
      return patch({ judge: message.judge });
    case 'progress':
      return patch({
        progress: {
          epoch: message.epoch, epochs: run.spec?.training.epochs ?? 0, batch: message.batch, batchesPerEpoch: message.batchesPerEpoch,
          examplesSeen: message.examplesSeen, examplesPerSecond: message.examplesPerSecond, elapsedMs: message.elapsedMs, tensors: message.tensors,
        },
        batches: message.points.length ? [...run.batches, ...message.points] : run.batches,
      });
    case 'epoch':
      return patch({ epochs: [...run.epochs, message.point] });
    case 'scores':
      return patch({ scores: [...run.scores, message.point] });
    case 'grid':
      return patch({ grid: { pixels: message.pixels, judged: message.judged, examplesSeen: message.examplesSeen, version: (run.grid?.version ?? 0) + 1 } });
    case 'reconstructions':
      return patch({ recon: { count: message.count, labels: message.labels, originals: message.originals, decoded: message.decoded } });
    case 'error':
      return patch({ status: 'error', error: message.message });
    case 'decoded':
    case 'walk':
    case 'latent-map':
    case 'decoder':
    case 'explore-error':
      store.setState({ explore: exploreReducer(explore, message) });
      return;
    default: {
      const never: never = message;
      throw new Error(`unknown message ${JSON.stringify(never)}`);
    }
  }
}
