/**
 * What a run posts about its model: filters and health snapshots, the test-set report and the
 * exported tfjs Layers files. Each reads the run and posts through the trainer's `post`; none
 * changes the run's phase (the trainer does that around them).
 */
import { evaluateModel, SAMPLE_INDICES } from './evaluate';
import type { GradientPeer } from './parallel/gradient-peer';
import { splitPredictor } from './parallel/split-predict';
import { postSnapshot } from './health';
import { exportLayersModel } from './model-io/export-layers';
import type { Post } from './probe';
import type { ToWorker } from './protocol';
import { describeError, type Run } from './trainer-run';

/** Why a question about the model cannot be answered before any run. */
export const NO_MODEL = 'Train the model first: there is no model to look inside yet.';
/** Why a question about the model cannot be answered while the run is still loading or building. */
export const NOT_BUILT = 'The model is still being built: it can be looked inside once training starts.';

const MISTAKES_SHOWN = 16;

/** Posts the conv kernels and the layers' health on the fixed probe batch; a failure only ends the snapshots. */
export async function postRunSnapshot(post: Post, run: Run): Promise<void> {
  if (!run.inside || !run.health) return;
  try {
    await postSnapshot(post, run.runId, run.inside, run.health, { step: run.position.step, examplesSeen: run.position.examplesSeen });
  } catch (error) {
    // Watching must never stop the training it watches (e.g. a backend without some gradient).
    console.warn('Layer snapshots stopped:', error);
    run.health = null;
  }
}

/** Evaluates on the 10,000 test images and posts the report, pixels transferred (nothing once cancelled). */
export async function postRunReport(post: Post, run: Run, yieldFn: () => Promise<void>, peer: GradientPeer | null = null): Promise<void> {
  const test = run.data!.test;
  const report = await evaluateModel(run.model!, {
    predict: splitPredictor(run.model!, peer),
    images: test.images,
    labels: test.labels,
    mistakes: MISTAKES_SHOWN,
    sampleIndices: SAMPLE_INDICES,
    yieldFn,
  });
  if (run.cancelled) return;
  const arrays = [...report.samples, ...report.mistakes].map((s) => s.pixels) as ArrayBufferView[];
  for (const extra of [report.predictions, report.confidences, report.labels]) if (extra) arrays.push(extra);
  const transfer = arrays.map((a) => a.buffer as ArrayBuffer);
  post({ type: 'report', runId: run.runId, report }, transfer);
}

/** Answers 'export-model' with the model's tfjs Layers files, or a sentence saying why not. */
export async function exportRunModel(post: Post, run: Run | null, request: Extract<ToWorker, { type: 'export-model' }>): Promise<void> {
  const answer = (files: Awaited<ReturnType<typeof exportLayersModel>>, error: string | null) =>
    post({ type: 'model-files', runId: request.runId, requestId: request.requestId, files, error }, files.map((f) => f.data));
  if (!run?.model) return answer([], NO_MODEL);
  if (run.phase === 'training') return answer([], 'Pause or stop the run first: the weights change with every batch.');
  try {
    answer(await exportLayersModel(run.model, request.baseName), null);
  } catch (error) {
    answer([], `The model could not be exported: ${describeError(error)}`);
  }
}
