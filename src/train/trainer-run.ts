/**
 * One training run as the worker holds it: its phase and stop/cancel flags, the model with its
 * optimizer and composite view, the data, the fixed health batch and where training stands.
 * Built and disposed here, so the trainer only decides when.
 */
import * as tf from '@tensorflow/tfjs';
import type { NetworkSpec, TrainingSettings } from '../model/spec';
import { buildModel } from './build-model';
import { healthBatch, type HealthBatch } from './health';
import type { Mnist } from './mnist';
import { ModelInside } from './probe';
import type { RunPhase, TrainPosition } from './protocol';
import { planSplit } from './split';
import { startPosition } from './train-loop';

/** A run's state in the worker; the trainer holds at most one. */
export interface Run {
  runId: number;
  spec: NetworkSpec;
  phase: RunPhase;
  stopRequested: boolean;
  cancelled: boolean;
  resume: (() => void) | null;
  model: tf.LayersModel | null;
  /** The model's composite view for probes and snapshots; built with the model. */
  inside: ModelInside | null;
  optimizer: tf.Optimizer | null;
  data: Mnist | null;
  /** Fixed images the snapshots measure health on; null before training and after a snapshot failed. */
  health: HealthBatch | null;
  /** Where training stands: for snapshots, checkpoints and continuing. */
  position: TrainPosition;
}

/** A run that has loaded nothing yet and stands at step 0. */
export function newRun(runId: number, spec: NetworkSpec): Run {
  return {
    runId, spec, phase: 'loading-data', stopRequested: false, cancelled: false, resume: null,
    model: null, inside: null, optimizer: null, data: null, health: null, position: startPosition(),
  };
}

/** Builds and compiles the run's model, its optimizer, composite view and health batch (needs `run.data`). */
export function buildRun(run: Run): void {
  const settings = run.spec.training;
  const built = buildModel(run.spec.layers, settings.seed);
  run.model = built.model;
  run.inside = new ModelInside(built.model, built.outputLayerNames, run.spec.layers);
  run.optimizer = makeOptimizer(settings);
  run.model.compile({ optimizer: run.optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  run.health = probeBatch(settings, run.data!);
}

/** Frees the run's model and optimizer. */
export function disposeRun(run: Run): void {
  // The composite view owns no tensors of its own: disposing the model frees the shared weights.
  run.model?.dispose();
  run.optimizer?.dispose();
  run.model = null;
  run.inside = null;
  run.optimizer = null;
}

/** An error as the sentence the page shows. */
export function describeError(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text || 'Training failed for an unknown reason.';
}

/** The fixed probe batch: validation images when there are any (the model never trains on them). */
function probeBatch(settings: TrainingSettings, data: Mnist): HealthBatch {
  const split = planSplit(settings, data.train.count);
  return healthBatch(data.train.images, data.train.labels, split.validation.length ? split.validation : split.train);
}

function makeOptimizer(settings: TrainingSettings): tf.Optimizer {
  switch (settings.optimizer) {
    case 'adam':
      return tf.train.adam(settings.learningRate);
    case 'sgd':
      return tf.train.sgd(settings.learningRate);
    case 'rmsprop':
      return tf.train.rmsprop(settings.learningRate);
  }
}
