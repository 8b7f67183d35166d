/**
 * The Generations store: a separate zustand vanilla store, on purpose. Generations has its own
 * worker (train/generative/gen-worker.ts) with its own lifecycle, its own spec type and runs that
 * must not disturb the classifier's, so it does not share the application store; only the
 * <cnn-generations> element creates and reads it. The trainer port is injected, so tests use a fake.
 *
 * Spec edits go through `parseGenerativeSpec`; the analysis is derived in the same `set`, never
 * on its own. Worker messages of stale runs (another runId) are dropped here.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { analyzeGenerative, type GenAnalysis } from '../model/generative/analyze';
import { DEFAULT_GEN_PRESET_ID, genPresetById } from '../model/generative/presets';
import type { GenSpecError, GenTrainingSettings, GenerativeSpec } from '../model/generative/spec';
import { parseGenerativeSpec } from '../model/generative/validate';
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
  /** The spec the run trains (edits are locked while it runs). */
  spec: GenerativeSpec | null;
}

/** Fields the person edits, each checked by parseGenerativeSpec. */
export type GenField = 'latentSize' | 'hiddenSize' | keyof GenTrainingSettings;

/** The Generations state with its actions. */
export interface GenerationsState {
  presetId: string | null;
  spec: GenerativeSpec;
  analysis: GenAnalysis;
  /** Why the last edit was refused (the spec keeps its previous value). */
  fieldErrors: GenSpecError[];
  judgeChoice: JudgeChoice;
  run: GenRunState;
  explore: ExploreState;
  loadPreset(id: string): void;
  setField(field: GenField, value: number): void;
  setJudgeChoice(choice: JudgeChoice): void;
  start(): void;
  pause(): void;
  resume(): void;
  stop(): void;
  /** Scores the samples now. */
  score(): void;
  decode(z: number[], label: number): void;
  walk(from: number, to: number, steps: number, label: number | null): void;
  requestMap(cells: number, extent: number, points: number, label: number): void;
  /** Asks the worker for the decoder as tfjs model files (they arrive in `explore.decoderFiles`). */
  exportDecoder(): void;
}

/** Whether a run is under way (edits and a new start wait for it). */
export const isActive = (status: GenStatus): boolean => ['loading-data', 'judge', 'building', 'training', 'paused'].includes(status);

const emptyRun = (runId: number, spec: GenerativeSpec | null): GenRunState => ({
  runId, status: 'idle', detail: null, error: null, backend: null, judge: null, progress: null,
  batches: [], epochs: [], scores: [], grid: null, recon: null, spec,
});

/** Creates the store; nothing reaches the worker until `start` (the port starts it lazily). */
export function createGenerationsStore(deps: { trainer: GenTrainerPort }): StoreApi<GenerationsState> {
  const initial = genPresetById(DEFAULT_GEN_PRESET_ID)!;
  let requestId = 0;
  const store = createStore<GenerationsState>()((set, get) => {
    const post = deps.trainer.post.bind(deps.trainer);
    const runId = () => get().run.runId;
    return {
      presetId: initial.id,
      spec: initial.spec,
      analysis: analyzeGenerative(initial.spec),
      fieldErrors: [],
      judgeChoice: 'quick',
      run: emptyRun(0, null),
      explore: emptyExplore(),
      loadPreset(id) {
        const preset = genPresetById(id);
        if (!preset || isActive(get().run.status)) return;
        set({ presetId: id, spec: preset.spec, analysis: analyzeGenerative(preset.spec), fieldErrors: [] });
      },
      setField(field, value) {
        if (isActive(get().run.status)) return;
        const { spec } = get();
        const raw = field === 'latentSize' || field === 'hiddenSize' ? { ...spec, [field]: value } : { ...spec, training: { ...spec.training, [field]: value } };
        const parsed = parseGenerativeSpec(raw);
        if (!parsed.ok) set({ fieldErrors: parsed.errors });
        else set({ spec: parsed.spec, analysis: analyzeGenerative(parsed.spec), fieldErrors: [], presetId: null });
      },
      setJudgeChoice(choice) {
        set({ judgeChoice: choice });
      },
      start() {
        const { spec, judgeChoice, run } = get();
        const next = run.runId + 1;
        set({ run: { ...emptyRun(next, spec), status: 'loading-data' }, explore: emptyExplore() });
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
