/**
 * The reference judge: the seed CNN preset (presets/seed-cnn.json) built with buildModel and
 * trained here with a short loop of its own (Adam, cosine schedule peaking at 0.002, batch 64),
 * then cached in this browser's IndexedDB so it trains once per browser. A quick judge (a few
 * thousand examples, seconds) keeps end-to-end tests fast; the full one (two epochs) is the one
 * whose scores mean something. Either way the UI is told which judge it is and its test accuracy.
 *
 * Before any of that, `findOwnJudge` looks for the person's own classifier among their kept runs
 * (judge-choice.ts says which one) and re-measures it on the 10,000 test images here; when it
 * reaches 98% it judges instead of the reference.
 */
import * as tf from '@tensorflow/tfjs';
import seedCnn from '../../../presets/seed-cnn.json';
import { parseSpec } from '../../model/validate';
import { learningRateAt } from '../../model/lr-schedule';
import { buildModel } from '../build-model';
import type { MnistSplit } from '../mnist';
import { epochOrder, fillBatch } from '../split';
import type { JudgeChoice, JudgeInfo } from './gen-protocol';
import { OWN_JUDGE_MAX_TRIES, OWN_JUDGE_MIN_ACCURACY, rankOwnJudges, whyNotOwn } from './judge-choice';
import { restoreClassifier, type KeptClassifiers } from './own-judge';

/** How each judge trains: examples per epoch and epochs. */
export const JUDGE_PLANS: Readonly<Record<JudgeChoice, { examples: number; epochs: number; label: string }>> = {
  quick: { examples: 4000, epochs: 1, label: 'reference seed CNN (quick: 4,000 examples)' },
  full: { examples: 60000, epochs: 2, label: 'reference seed CNN (2 epochs)' },
};
const PEAK_RATE = 0.002;
const BATCH = 64;
/** Bump when the judge's recipe changes, so an old cached judge is not reused. */
const CACHE_VERSION = 1;

/** A trained judge and what the UI says about it. */
export interface Judge {
  model: tf.LayersModel;
  info: JudgeInfo;
  /** For the person's own classifier: the stored accuracy it was chosen with (a changed run is re-checked). */
  storedAccuracy?: number;
}

/** What training the judge needs from the trainer: cancellation, progress and a yield between batches. */
export interface JudgeHooks {
  cancelled(): boolean;
  progress(done: number, total: number): void;
  yieldToEvents(): Promise<void>;
  /** Whether to use IndexedDB (off in Node tests). */
  cache: boolean;
}

const cacheUrl = (choice: JudgeChoice) => `indexeddb://cnn-playground-judge-${choice}-v${CACHE_VERSION}`;

function seedLayers() {
  const parsed = parseSpec(seedCnn);
  if (!parsed.ok) throw new Error('presets/seed-cnn.json is not a valid spec');
  return parsed.spec.layers;
}

/** Loads the cached judge, or trains, measures and caches a new one; null when cancelled. */
export async function obtainJudge(choice: JudgeChoice, train: MnistSplit, test: MnistSplit, hooks: JudgeHooks): Promise<Judge | null> {
  if (hooks.cache) {
    const cached = await loadCached(choice);
    if (cached) return cached;
  }
  const started = performance.now();
  const model = buildModel(seedLayers(), 7).model;
  const optimizer = tf.train.adam(PEAK_RATE);
  model.compile({ optimizer, loss: 'categoricalCrossentropy' });
  const ok = await trainJudge(model, optimizer, choice, train, hooks);
  if (!ok) {
    model.dispose();
    return null;
  }
  const testAccuracy = await judgeAccuracy(model, test);
  const info: JudgeInfo = { choice, name: JUDGE_PLANS[choice].label, testAccuracy, cached: false, trainSeconds: (performance.now() - started) / 1000, source: 'reference' };
  if (hooks.cache) {
    model.setUserDefinedMetadata({ testAccuracy, trainSeconds: info.trainSeconds });
    // A failed save (private mode, quota) only costs training again next time.
    await model.save(cacheUrl(choice)).catch(() => undefined);
  }
  return { model, info };
}

/** What looking for the person's own judge needs: cancellation and a line of progress. */
export interface OwnJudgeHooks {
  cancelled(): boolean;
  progress(detail: string): void;
}

/**
 * The person's best kept classifier as a judge, re-measured on the test set (one pass over 10,000
 * images); `previous` is reused when it is still the best candidate with the same stored accuracy.
 * Returns no judge, with a sentence saying why, when none qualifies; the caller disposes `previous`
 * if another judge replaces it.
 */
export async function findOwnJudge(
  kept: KeptClassifiers, choice: JudgeChoice, test: MnistSplit, hooks: OwnJudgeHooks, previous: Judge | null,
): Promise<{ judge: Judge | null; note: string | null }> {
  let ranking: ReturnType<typeof rankOwnJudges>;
  try {
    ranking = rankOwnJudges(await kept.list());
  } catch {
    return { judge: null, note: null }; // storage unreadable: the reference judges, as with nothing kept
  }
  const rejected: string[] = [];
  for (const candidate of ranking.candidates.slice(0, OWN_JUDGE_MAX_TRIES)) {
    if (hooks.cancelled()) return { judge: null, note: null };
    if (previous?.info.runId === candidate.id && previous.storedAccuracy === candidate.testAccuracy) return { judge: previous, note: null };
    hooks.progress(`Checking your classifier "${candidate.name}" on the 10,000 test images`);
    let model: tf.LayersModel;
    try {
      model = await restoreClassifier(candidate.spec, await kept.model(candidate.id));
    } catch (error) {
      rejected.push(`"${candidate.name}": ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    const testAccuracy = await judgeAccuracy(model, test);
    if (testAccuracy >= OWN_JUDGE_MIN_ACCURACY) {
      const info: JudgeInfo = { choice, name: `your classifier "${candidate.name}"`, testAccuracy, cached: false, trainSeconds: 0, source: 'own', runId: candidate.id };
      return { judge: { model, info, storedAccuracy: candidate.testAccuracy }, note: null };
    }
    model.dispose();
    rejected.push(`"${candidate.name}" measures ${(testAccuracy * 100).toFixed(1)}% on the test images here, under ${OWN_JUDGE_MIN_ACCURACY * 100}%`);
  }
  return { judge: null, note: whyNotOwn(ranking.best, rejected) };
}

async function loadCached(choice: JudgeChoice): Promise<Judge | null> {
  try {
    const model = await tf.loadLayersModel(cacheUrl(choice));
    const meta = (model.getUserDefinedMetadata() ?? {}) as { testAccuracy?: unknown; trainSeconds?: unknown };
    if (typeof meta.testAccuracy !== 'number') {
      model.dispose();
      return null;
    }
    const trainSeconds = typeof meta.trainSeconds === 'number' ? meta.trainSeconds : 0;
    return { model, info: { choice, name: JUDGE_PLANS[choice].label, testAccuracy: meta.testAccuracy, cached: true, trainSeconds, source: 'reference' } };
  } catch {
    return null; // nothing cached yet, or IndexedDB is unavailable
  }
}

async function trainJudge(model: tf.LayersModel, optimizer: tf.Optimizer, choice: JudgeChoice, train: MnistSplit, hooks: JudgeHooks): Promise<boolean> {
  const plan = JUDGE_PLANS[choice];
  const pool = Uint32Array.from({ length: Math.min(plan.examples, train.count) }, (_, i) => i);
  const perEpoch = Math.ceil(pool.length / BATCH);
  const total = perEpoch * plan.epochs;
  const xBuf = new Float32Array(BATCH * 784);
  const yBuf = new Float32Array(BATCH * 10);
  let step = 0;
  for (let epoch = 1; epoch <= plan.epochs; epoch++) {
    const order = epochOrder(pool, 7, epoch);
    for (let b = 0; b < perEpoch; b++) {
      await hooks.yieldToEvents();
      if (hooks.cancelled()) return false;
      const n = fillBatch(train.images, train.labels, order, b * BATCH, BATCH, xBuf, yBuf);
      step += 1;
      (optimizer as unknown as { learningRate: number }).learningRate = learningRateAt('cosine', PEAK_RATE, step, total);
      const x = tf.tensor4d(xBuf.subarray(0, n * 784), [n, 28, 28, 1]);
      const y = tf.tensor2d(yBuf.subarray(0, n * 10), [n, 10]);
      try {
        await model.trainOnBatch(x, y);
      } finally {
        x.dispose();
        y.dispose();
      }
      if (step % 10 === 0 || step === total) hooks.progress(step, total);
    }
  }
  return true;
}

/** The judge's class probabilities, [n, 10] flattened, for images [n, 784] with values in [0, 1]. */
export async function judgeProbabilities(model: tf.LayersModel, images: tf.Tensor2D): Promise<Float32Array> {
  const n = images.shape[0];
  const out = new Float32Array(n * 10);
  const chunk = 500;
  for (let start = 0; start < n; start += chunk) {
    const size = Math.min(chunk, n - start);
    const probs = tf.tidy(() => model.predict(images.slice([start, 0], [size, 784]).reshape([size, 28, 28, 1])) as tf.Tensor);
    out.set(await probs.data(), start * 10);
    probs.dispose();
  }
  return out;
}

/** Accuracy on a whole split (the 10,000 test images). */
export async function judgeAccuracy(model: tf.LayersModel, split: MnistSplit): Promise<number> {
  let hits = 0;
  const chunk = 1000;
  for (let start = 0; start < split.count; start += chunk) {
    const size = Math.min(chunk, split.count - start);
    const pixels = new Float32Array(size * 784);
    for (let i = 0; i < pixels.length; i++) pixels[i] = split.images[start * 784 + i] / 255;
    const predicted = tf.tidy(() => (model.predict(tf.tensor4d(pixels, [size, 28, 28, 1])) as tf.Tensor).argMax(-1));
    const labels = await predicted.data();
    predicted.dispose();
    for (let i = 0; i < size; i++) if (labels[i] === split.labels[start + i]) hits += 1;
  }
  return hits / split.count;
}
