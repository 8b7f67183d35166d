/**
 * Typed messages between the Generations UI and its own worker (gen-worker.ts), plus the plain
 * data they carry. Types only: nothing is imported at run time, so the UI may import it freely.
 * Every message carries the `runId` it belongs to; the store drops messages of stale runs.
 * (The one run-time export, RUNS_DB_LAYOUT, is a constant with no imports.)
 */
import type { GanSpec } from '../../model/generative/gan-spec';
import type { GenerativeSpec } from '../../model/generative/spec';
import type { BackendChoice, BackendInfo } from '../protocol';

/** Which reference judge scores the samples: a few thousand examples (seconds) or two full epochs. */
export type JudgeChoice = 'quick' | 'full';

/**
 * Where the page keeps runs in IndexedDB (store/runs-idb.ts writes it): shared here because the
 * Generations worker reads the person's kept classifiers itself to judge with one of them, and
 * src/train may not import src/store. Change the version only with the object stores.
 */
export const RUNS_DB_LAYOUT = {
  name: 'cnn-playground-runs',
  version: 2,
  records: 'records',
  summaries: 'summaries',
  models: 'models',
  timelapses: 'timelapses',
} as const;

/** The judge a run uses and how good it is. */
export interface JudgeInfo {
  /** The reference judge asked for; when `source` is 'own' it was not needed. */
  choice: JudgeChoice;
  /** Plain words, e.g. "reference seed CNN (quick: 4,000 examples)" or 'your classifier "Run 3"'. */
  name: string;
  /** Accuracy on the 10,000 MNIST test images (measured in the worker, for the person's own too). */
  testAccuracy: number;
  /** Whose classifier judges: the person's kept run ('own') or the reference seed CNN (absent in older messages). */
  source?: 'own' | 'reference';
  /** The kept run's id when the person's own classifier judges. */
  runId?: string;
  /** Why the person's own classifier does not judge (e.g. its test accuracy is under 98%), when they keep any. */
  note?: string;
  /** Whether it came from this browser's IndexedDB instead of being trained now. */
  cached: boolean;
  trainSeconds: number;
}

/** The judge's reading of one image: the most likely digit and its probability. */
export interface JudgeReading {
  digit: number;
  probability: number;
}

/** Where a generative run stands. */
export type GenPhase = 'loading-data' | 'judge' | 'building' | 'training' | 'paused' | 'done' | 'stopped';

/**
 * One training batch's loss terms (per image, mean over the batch). A VAE has reconstruction and
 * KL; a GAN has discriminator and generator losses instead, and NaN in the two VAE terms (so
 * older readers of `reconstruction`/`kl` skip its points rather than misread them).
 */
export interface GenBatchPoint {
  step: number;
  examplesSeen: number;
  reconstruction: number;
  kl: number;
  /** GAN only: softplus(-D(x)) + softplus(D(G(z))), mean over the batch. */
  discriminator?: number;
  /** GAN only: the non-saturating generator loss softplus(-D(G(z))). */
  generator?: number;
}

/** Loss terms on held-out test images at the end of an epoch. */
export interface GenEpochPoint {
  epoch: number;
  examplesSeen: number;
  elapsedMs: number;
  testReconstruction: number;
  testKl: number;
  /** GAN only (its testReconstruction and testKl are NaN): both losses on held-out test digits. */
  testDiscriminator?: number;
  testGenerator?: number;
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
  /** A VAE spec, or a conditional GAN's (kind 'cgan': trained through gan-loop.ts). */
  | { type: 'start'; runId: number; spec: GenerativeSpec | GanSpec; judge: JudgeChoice; backend: BackendChoice }
  | { type: 'pause'; runId: number }
  | { type: 'resume'; runId: number }
  | { type: 'stop'; runId: number }
  /** Score the samples now (between batches, or after the run). */
  | { type: 'score'; runId: number }
  /** Decode one latent point (the latent map, the sliders); `label` is ignored by an unconditional model. */
  | { type: 'decode'; runId: number; requestId: number; z: number[]; label: number }
  /** Encode two test images, interpolate their codes in `steps` steps and decode each. */
  | { type: 'walk'; runId: number; requestId: number; from: number; to: number; steps: number; label: number | null }
  /**
   * The same walk between two digits the person drew (784 grey levels each, MNIST-style
   * preprocessed). For a conditional model each end is encoded as `labels[i]`, or as the judge
   * reads the drawing when that is null. Answered with a 'walk' message whose `ends` is 'drawn'.
   */
  | { type: 'walk-drawn'; runId: number; requestId: number; from: Uint8Array; to: Uint8Array; steps: number; labels: [number | null, number | null] }
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
  | {
      type: 'walk'; runId: number; requestId: number; steps: number; pixels: Uint8Array; fromLabel: number; toLabel: number;
      /** Between test images (absent in older messages) or drawn digits. */
      ends?: 'test' | 'drawn';
      /** For drawn ends: the judge's reading of each drawing (digit and probability); null where the person picked the label. */
      read?: [JudgeReading | null, JudgeReading | null];
    }
  | {
      type: 'latent-map'; runId: number; requestId: number; cells: number; extent: number; label: number; pixels: Uint8Array;
      codes: Float32Array; labels: Uint8Array;
    }
  | { type: 'decoder'; runId: number; requestId: number; modelJson: string; weights: ArrayBuffer }
  /** An explore request could not be answered; the run goes on. */
  | { type: 'explore-error'; runId: number; requestId: number; message: string }
  | { type: 'error'; runId: number; message: string };
