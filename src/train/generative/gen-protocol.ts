/**
 * Typed messages between the Generations UI and its own worker (gen-worker.ts), plus the plain
 * data they carry. Types only: nothing is imported at run time, so the UI may import it freely.
 * Every message carries the `runId` it belongs to; the store drops messages of stale runs.
 */
import type { GenerativeSpec } from '../../model/generative/spec';
import type { BackendChoice, BackendInfo } from '../protocol';

/** Which reference judge scores the samples: a few thousand examples (seconds) or two full epochs. */
export type JudgeChoice = 'quick' | 'full';

/** The judge a run uses and how good it is. */
export interface JudgeInfo {
  choice: JudgeChoice;
  /** Plain words, e.g. "reference seed CNN (quick: 4,000 examples)". */
  name: string;
  /** Accuracy on the 10,000 MNIST test images. */
  testAccuracy: number;
  /** Whether it came from this browser's IndexedDB instead of being trained now. */
  cached: boolean;
  trainSeconds: number;
}

/** Where a generative run stands. */
export type GenPhase = 'loading-data' | 'judge' | 'building' | 'training' | 'paused' | 'done' | 'stopped';

/** One training batch's loss terms (per image, mean over the batch). */
export interface GenBatchPoint {
  step: number;
  examplesSeen: number;
  reconstruction: number;
  kl: number;
}

/** Loss terms on held-out test images at the end of an epoch. */
export interface GenEpochPoint {
  epoch: number;
  examplesSeen: number;
  elapsedMs: number;
  testReconstruction: number;
  testKl: number;
}

/** The judge's scores of 100 samples per digit. */
export interface ScorePoint {
  /** Epoch the scores were taken after (fractional for on-demand scores mid-epoch). */
  epoch: number;
  examplesSeen: number;
  /** Share of samples asked for digit k that the judge reads as k; null for an unconditional model. */
  conditionalAccuracy: number | null;
  /** Per digit, the same share (empty for an unconditional model). */
  perClass: number[];
  /** exp(mean KL(p(y|x) || p(y))) over the samples, 1 to 10. */
  mnistScore: number;
  samples: number;
}

/** UI -> worker. */
export type ToGenWorker =
  | { type: 'start'; runId: number; spec: GenerativeSpec; judge: JudgeChoice; backend: BackendChoice }
  | { type: 'pause'; runId: number }
  | { type: 'resume'; runId: number }
  | { type: 'stop'; runId: number }
  /** Score the samples now (between batches, or after the run). */
  | { type: 'score'; runId: number }
  /** Decode one latent point (the latent map, the sliders); `label` is ignored by an unconditional model. */
  | { type: 'decode'; runId: number; requestId: number; z: number[]; label: number }
  /** Encode two test images, interpolate their codes in `steps` steps and decode each. */
  | { type: 'walk'; runId: number; requestId: number; from: number; to: number; steps: number; label: number | null }
  /** Decode a grid of points over the latent plane and encode test digits (2-D latent only). */
  /** The decoder as tfjs model files (model.json + weights), for the person to download. */
  | { type: 'export-decoder'; runId: number; requestId: number }
  /** For a conditional model, every cell is decoded as digit `label` (a map of that digit's styles). */
  | { type: 'latent-map'; runId: number; requestId: number; cells: number; extent: number; points: number; label: number };

/** worker -> UI. */
export type FromGenWorker =
  | { type: 'phase'; runId: number; phase: GenPhase; detail?: string }
  | { type: 'backend'; runId: number; backend: BackendInfo }
  | { type: 'judge'; runId: number; judge: JudgeInfo }
  | {
      type: 'progress'; runId: number; epoch: number; batch: number; batchesPerEpoch: number; examplesSeen: number;
      examplesPerSecond: number; elapsedMs: number; tensors: number; points: GenBatchPoint[];
    }
  | { type: 'epoch'; runId: number; point: GenEpochPoint }
  /** 100 decoded samples (row = digit for a conditional model), 784 grey levels each, and the judge's reading of each. */
  | { type: 'grid'; runId: number; examplesSeen: number; pixels: Uint8Array; judged: Int8Array | null }
  /** Test digits and their reconstructions, `count` x 784 grey levels each. */
  | { type: 'reconstructions'; runId: number; count: number; labels: number[]; originals: Uint8Array; decoded: Uint8Array }
  | { type: 'scores'; runId: number; point: ScorePoint }
  | { type: 'decoded'; runId: number; requestId: number; pixels: Uint8Array }
  | { type: 'walk'; runId: number; requestId: number; steps: number; pixels: Uint8Array; fromLabel: number; toLabel: number }
  | {
      type: 'latent-map'; runId: number; requestId: number; cells: number; extent: number; label: number; pixels: Uint8Array;
      codes: Float32Array; labels: Uint8Array;
    }
  | { type: 'decoder'; runId: number; requestId: number; modelJson: string; weights: ArrayBuffer }
  /** An explore request could not be answered; the run goes on. */
  | { type: 'explore-error'; runId: number; requestId: number; message: string }
  | { type: 'error'; runId: number; message: string };
