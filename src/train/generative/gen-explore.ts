/**
 * Answers the explore requests (decode a point, walk between two test digits or two drawn ones,
 * the 2-D latent map) from the current run's VAE, between training batches. A failure is
 * answered with an `explore-error` message: an explore request never ends a run.
 */
import * as tf from '@tensorflow/tfjs';
import type { GenerativeSpec } from '../../model/generative/spec';
import type { FromGenWorker, JudgeReading, ToGenWorker } from './gen-protocol';
import { decodePoint, judgeRead, latentMap, latentWalk, walkBetween } from './gen-samples';
import { exportDecoderFiles, exportGeneratorFiles } from './gen-export';
import type { GenRun } from './gen-trainer';

type ExploreRequest = Extract<ToGenWorker, { type: 'decode' | 'walk' | 'walk-drawn' | 'latent-map' | 'export-decoder' }>;

/** Most steps in a walk and cells per side of the map: bounded so one answer stays small. */
const MAX_WALK_STEPS = 32;
const MAX_MAP_CELLS = 30;
const MAX_MAP_POINTS = 5000;

const clampInt = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, Math.round(Number.isFinite(v) ? v : lo)));

/** Posts the answer to one explore request, or an error message when there is no model yet. */
export async function answerExplore(message: ExploreRequest, run: GenRun | null, post: (m: FromGenWorker, t?: Transferable[]) => void): Promise<void> {
  const { runId } = message;
  if (run?.gan) {
    await answerGan(message, run, post);
    return;
  }
  const vae = run?.vae;
  const test = run?.data?.test;
  if (!vae || !test) {
    post({ type: 'explore-error', runId, requestId: message.requestId, message: 'Train a model first: there is nothing to decode yet.' });
    return;
  }
  try {
    switch (message.type) {
      case 'decode': {
        const pixels = await decodePoint(vae, message.z.map((v) => (Number.isFinite(v) ? v : 0)), clampInt(message.label, 0, 9));
        post({ type: 'decoded', runId, requestId: message.requestId, pixels }, [pixels.buffer as ArrayBuffer]);
        return;
      }
      case 'walk': {
        const from = clampInt(message.from, 0, test.count - 1);
        const to = clampInt(message.to, 0, test.count - 1);
        const steps = clampInt(message.steps, 2, MAX_WALK_STEPS);
        const label = message.label === null ? null : clampInt(message.label, 0, 9);
        const pixels = await latentWalk(vae, test, from, to, steps, label);
        post({ type: 'walk', runId, requestId: message.requestId, steps, pixels, fromLabel: test.labels[from], toLabel: test.labels[to] }, [pixels.buffer as ArrayBuffer]);
        return;
      }
      case 'walk-drawn': {
        const steps = clampInt(message.steps, 2, MAX_WALK_STEPS);
        const { pixels, fromLabel, toLabel, read } = await drawnWalk(run!, message.from, message.to, steps, message.labels);
        post({ type: 'walk', runId, requestId: message.requestId, steps, pixels, fromLabel, toLabel, ends: 'drawn', read }, [pixels.buffer as ArrayBuffer]);
        return;
      }
      case 'export-decoder': {
        // Only a VAE run gets here (a GAN is answered by answerGan), so its spec is a VAE's.
        const files = await exportDecoderFiles(vae, run!.spec as GenerativeSpec);
        post({ type: 'decoder', runId, requestId: message.requestId, ...files }, [files.weights]);
        return;
      }
      case 'latent-map': {
        const cells = clampInt(message.cells, 2, MAX_MAP_CELLS);
        const extent = Number.isFinite(message.extent) && message.extent > 0 ? Math.min(message.extent, 10) : 3;
        const label = clampInt(message.label, 0, 9);
        const map = await latentMap(vae, test, cells, extent, clampInt(message.points, 0, MAX_MAP_POINTS), label);
        post({ type: 'latent-map', runId, requestId: message.requestId, cells, extent, label, ...map }, [map.pixels.buffer as ArrayBuffer, map.codes.buffer as ArrayBuffer]);
        return;
      }
    }
  } catch (error) {
    post({ type: 'explore-error', runId, requestId: message.requestId, message: error instanceof Error ? error.message : String(error) });
  }
}

/**
 * The walk between two drawn digits. Each end's label (which a conditional model is encoded and
 * decoded with) is the person's pick, else the judge's reading of the drawing: the judge is the
 * run's trained classifier, so it reads a drawing the way it reads the samples.
 */
async function drawnWalk(run: GenRun, from: Uint8Array, to: Uint8Array, steps: number, labels: [number | null, number | null]) {
  const drawn = [from, to];
  if (!drawn.every((d) => d instanceof Uint8Array && d.length === 784)) throw new Error('A drawn digit must be 28x28 grey levels: draw both digits again.');
  const pixels = new Float32Array(2 * 784);
  drawn.forEach((d, i) => d.forEach((v, p) => (pixels[i * 784 + p] = v / 255)));
  const ends = tf.tensor2d(pixels, [2, 784]);
  try {
    const picked = labels.map((l) => (l === null || l === undefined ? null : clampInt(l, 0, 9)));
    const judged = run.judge && picked.some((l) => l === null) ? await judgeRead(run.judge.model, ends) : null;
    const read = picked.map((l, i) => (l === null && judged ? judged[i]! : null)) as [JudgeReading | null, JudgeReading | null];
    const endLabels = picked.map((l, i) => l ?? read[i]?.digit ?? 0) as [number, number];
    const images = await walkBetween(run.vae!, ends, endLabels, steps, null);
    return { pixels: images, fromLabel: endLabels[0], toLabel: endLabels[1], read };
  } finally {
    ends.dispose();
  }
}

/** A GAN decodes points from its generator; it has no encoder, so walks and the latent map need a VAE. */
async function answerGan(message: ExploreRequest, run: GenRun, post: (m: FromGenWorker, t?: Transferable[]) => void): Promise<void> {
  const { runId, requestId } = message;
  if (message.type === 'export-decoder') {
    const generator = run.gan!.gan.exportGenerator?.();
    if (!generator) {
      post({ type: 'explore-error', runId, requestId, message: 'This GAN cannot be exported as a tfjs model.' });
      return;
    }
    try {
      const files = await exportGeneratorFiles(generator, run.spec);
      post({ type: 'decoder', runId, requestId, ...files }, [files.weights]);
    } catch (error) {
      post({ type: 'explore-error', runId, requestId, message: error instanceof Error ? error.message : String(error) });
    }
    return;
  }
  if (message.type !== 'decode') {
    post({ type: 'explore-error', runId, requestId, message: 'A GAN has no encoder, so it cannot place a digit in its latent space: walks and the latent map need a VAE preset.' });
    return;
  }
  try {
    const pixels = await decodePoint(run.gan!.sampler, message.z.map((v) => (Number.isFinite(v) ? v : 0)), clampInt(message.label, 0, 9));
    post({ type: 'decoded', runId, requestId, pixels }, [pixels.buffer as ArrayBuffer]);
  } catch (error) {
    post({ type: 'explore-error', runId, requestId, message: error instanceof Error ? error.message : String(error) });
  }
}
