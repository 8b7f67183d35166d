/**
 * Typed messages between the UI thread and the training worker, plus the plain data they carry.
 * Types only: this file imports nothing at run time, so the UI may import it freely.
 * Every message carries the `runId` it belongs to; the client drops messages of stale runs.
 */
import type { NetworkSpec } from '../model/spec';

/** Backends tfjs can train on, fastest first. */
export const BACKEND_NAMES = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
/** A backend name. */
export type BackendName = (typeof BACKEND_NAMES)[number];
/** What the user asked for: a named backend or the fastest that works. */
export type BackendChoice = BackendName | 'auto';

/** The backend a run actually uses. */
export interface BackendInfo {
  name: BackendName;
  /** wasm only: threads in the wasm thread pool (1 when the page is not cross-origin isolated). */
  threads?: number;
  /** wasm only: whether the SIMD build runs. */
  simd?: boolean;
  /**
   * Workers that train together (wasm: 2 when the batch's gradient is split between the training
   * worker and a peer worker, each with `threads` threads); absent or 1: one worker.
   */
  workers?: number;
  /** Why the preferred backends were skipped, in plain words (empty when none were). */
  notes: string[];
}

/** One training batch's figures. */
export interface BatchPoint {
  /** Global batch index from the start of the run, 1-based. */
  step: number;
  examplesSeen: number;
  loss: number;
  accuracy: number;
  elapsedMs: number;
}

/** Figures at the end of one epoch. */
export interface EpochPoint {
  epoch: number;
  examplesSeen: number;
  elapsedMs: number;
  trainLoss: number;
  trainAccuracy: number;
  /** NaN when the validation split is 0. */
  valLoss: number;
  valAccuracy: number;
}

/** One test image with the model's answer. */
export interface PredictionSample {
  /** Index into the 10,000-image test set. */
  index: number;
  label: number;
  predicted: number;
  /** Ten class probabilities. */
  probabilities: number[];
  /** 28x28 grey levels 0-255, row major. */
  pixels: Uint8Array;
}

/** A tensor posted from the worker: its shape without the batch axis and its values (transferred). */
export interface TensorData {
  shape: number[];
  values: Float32Array;
}

/**
 * What to look inside the network with: a test image by index, a random test image (of one
 * digit, or any), or pixels (a drawn digit, already MNIST-preprocessed).
 */
export type ProbeInput =
  | { source: 'test'; index: number }
  | { source: 'random-test'; digit: number | null; seed: number }
  | { source: 'pixels'; pixels: Uint8Array };

/** Every layer's output for one input, the class probabilities and an optional saliency map. */
export interface ProbeResult {
  requestId: number;
  /** The 28x28 grey levels that were probed. */
  pixels: Uint8Array;
  /** True label for a test image; null for a drawing. */
  label: number | null;
  /** Index in the test set when the input is a test image (random ones included); else null. */
  testIndex: number | null;
  probabilities: number[];
  /** One entry per spec layer: that layer's output for this input. */
  activations: TensorData[];
  /** d(class score)/d(input pixels), 28x28, for the class asked for (or the predicted one). */
  saliency: { classIndex: number; values: Float32Array; smoothGrad: boolean } | null;
}

/** Conv kernels at one moment of training, per conv layer of the spec. */
export interface FilterSnapshot {
  step: number;
  examplesSeen: number;
  /** Kernel of spec layer `index`, shape [kernel, kernel, inChannels, outChannels]. */
  layers: { index: number; kernel: TensorData }[];
}

/** One layer's health on a fixed probe batch. */
export interface LayerHealth {
  index: number;
  /** 5th, 25th, 50th, 75th and 95th percentiles of the layer's outputs. */
  quantiles: number[];
  /** Share of units (channels for conv) that output 0 for every probe example; null if no ReLU. */
  deadFraction: number | null;
  /** L2 norm of the layer's weights and of their gradient on the probe batch; null without weights. */
  weightNorm: number | null;
  gradNorm: number | null;
}

/** Health of every layer at one moment of training. */
export interface HealthSnapshot {
  step: number;
  examplesSeen: number;
  layers: LayerHealth[];
}

/** A test image with its label (for galleries and the input picker). */
export interface TestImage {
  index: number;
  label: number;
  pixels: Uint8Array;
}

/** Evaluation on the standard MNIST test set. */
export interface TestReport {
  examples: number;
  loss: number;
  accuracy: number;
  /** 10x10 counts, row = true class, column = predicted class, row major. */
  confusion: number[];
  /** Accuracy per true class (NaN for a class with no examples). */
  perClassAccuracy: number[];
  /** A fixed sample of test images (the same indices every run) with predictions. */
  samples: PredictionSample[];
  /** The most confident mistakes, most confident first. */
  mistakes: PredictionSample[];
  /** Predicted class of every evaluated image, in evaluation order (test index order). */
  predictions?: Uint8Array;
  /** Probability of the predicted class for every evaluated image. */
  confidences?: Float32Array;
  /** True class of every evaluated image, in the same order (so a confusion cell's images can be found). */
  labels?: Uint8Array;
}

/** A tensor by name with its shape and values, for checkpoints (int32 for the optimizer's step counter). */
export interface NamedArray {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  values: Float32Array | Int32Array;
}

/**
 * Where training stands, so that a run can continue exactly: global steps done (counted from 1
 * across epochs, as the learning-rate schedule counts), examples seen, active time, and the
 * running sums of the unfinished epoch (so its epoch point averages all of its batches).
 */
export interface TrainPosition {
  step: number;
  examplesSeen: number;
  elapsedMs: number;
  epochLossSum: number;
  epochAccuracySum: number;
  epochSeen: number;
}

/** Everything needed to look inside a trained model again and to continue training it exactly. */
export interface ModelCheckpoint {
  /** model.getWeights() in order (trainable and not, e.g. batch-norm moving statistics). */
  weights: NamedArray[];
  /** optimizer.getWeights() in order (the step counter first, then its slots, e.g. Adam's moments). */
  optimizer: NamedArray[];
  /** Optimizer state getWeights() leaves out but a bit-exact continuation needs (Adam's running beta powers). */
  optimizerExtra: Record<string, number>;
  position: TrainPosition;
}

/** A file made in the worker for the page to download (e.g. tfjs Layers model.json and weights). */
export interface ExportFile {
  name: string;
  mime: string;
  data: ArrayBuffer;
}

/**
 * One group of an imported model's weights: its files' bytes joined in manifest order, and the
 * manifest entries stored in them (already checked in the page; see model/export/model-files.ts).
 */
export interface WeightGroupData {
  data: ArrayBuffer;
  weights: { name: string; shape: number[]; dtype: 'float32'; quantization?: { dtype: 'uint8' | 'uint16' | 'float16'; scale: number; min: number } }[];
}

/** Lifecycle phases of a run as the worker reports them. */
export type RunPhase = 'loading-data' | 'building' | 'training' | 'paused' | 'evaluating' | 'done' | 'stopped';

/** Messages from the UI thread to the worker. */
export type ToWorker =
  | { type: 'start'; runId: number; spec: NetworkSpec; backend: BackendChoice }
  | { type: 'pause'; runId: number }
  | { type: 'resume'; runId: number }
  | { type: 'stop'; runId: number }
  | { type: 'evaluate'; runId: number }
  /** Look inside the current model; `saliencyClass` null = the predicted class. */
  | { type: 'probe'; runId: number; requestId: number; input: ProbeInput; saliencyClass: number | null; smoothGrad: boolean }
  | { type: 'test-images'; runId: number; requestId: number; indices: number[] }
  /** Builds the spec's model with a stored checkpoint's weights, so it can be looked inside, evaluated and continued. */
  | { type: 'restore'; runId: number; spec: NetworkSpec; backend: BackendChoice; checkpoint: ModelCheckpoint; phase: 'stopped' | 'done' }
  /** Continues a stopped run (live or restored) from its position: same data order, optimizer state and schedule step. */
  | { type: 'continue'; runId: number }
  /** Builds an imported stack with the weights of its files (`names`: file weight name -> app weight name, in model order). */
  | { type: 'import-model'; runId: number; spec: NetworkSpec; backend: BackendChoice; groups: WeightGroupData[]; names: { file: string; spec: string }[] }
  /** Saves the current model as tfjs Layers files named `${baseName}.json` and `${baseName}.weights.bin`. */
  | { type: 'export-model'; runId: number; requestId: number; baseName: string }
  /**
   * Before the first run: load the data and start the backend (and the gradient peer) now, so
   * that Train starts at once; with a spec, also take one throwaway training step of it
   * (warm-up.ts). Ignored once a run exists.
   */
  | { type: 'prepare'; runId: number; backend: BackendChoice; spec?: NetworkSpec }
  /** Shared memory through which the page asks the workers to pause while it draws (ui-busy.ts). */
  | { type: 'ui-signal'; runId: number; buffer: SharedArrayBuffer };

/** Progress since the last progress message: only new points (deltas, never the history). */
export interface ProgressMessage {
  type: 'progress';
  runId: number;
  epoch: number;
  /** Batch within the epoch, 1-based. */
  batch: number;
  batchesPerEpoch: number;
  examplesSeen: number;
  elapsedMs: number;
  examplesPerSecond: number;
  /** tf.memory().numTensors after the last batch: flat across a healthy run. */
  tensors: number;
  points: BatchPoint[];
}

/** Messages from the worker to the UI thread. */
export type FromWorker =
  | { type: 'status'; runId: number; phase: RunPhase; backend?: BackendInfo; detail?: string }
  /** The answer to 'prepare': data loaded and this backend started, before any run. */
  | { type: 'prepared'; runId: number; backend: BackendInfo }
  /** The other answer to 'prepare': the chosen backend cannot start here (the plain reason). */
  | { type: 'backend-failed'; runId: number; backend: BackendChoice; message: string }
  | ProgressMessage
  | { type: 'epoch'; runId: number; point: EpochPoint }
  | { type: 'report'; runId: number; report: TestReport }
  | { type: 'probe'; runId: number; result: ProbeResult }
  | { type: 'probe-error'; runId: number; requestId: number; message: string }
  | { type: 'filters'; runId: number; snapshot: FilterSnapshot }
  | { type: 'health'; runId: number; snapshot: HealthSnapshot }
  | { type: 'test-images'; runId: number; requestId: number; images: TestImage[] }
  | { type: 'error'; runId: number; message: string }
  /** The model's weights, optimizer state and position as the run leaves them (posted before the final status). */
  | { type: 'checkpoint'; runId: number; checkpoint: ModelCheckpoint }
  /** The answer to 'export-model': the files, or why there are none. */
  | { type: 'model-files'; runId: number; requestId: number; files: ExportFile[]; error: string | null };
