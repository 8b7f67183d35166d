/**
 * Answers the explore requests (decode a point, walk between two test digits, the 2-D latent
 * map) from the current run's VAE, between training batches. A failure is answered with an
 * `explore-error` message: an explore request never ends a run.
 */
import type { FromGenWorker, ToGenWorker } from './gen-protocol';
import { decodePoint, latentMap, latentWalk } from './gen-samples';
import { exportDecoderFiles } from './gen-export';
import type { GenRun } from './gen-trainer';

type ExploreRequest = Extract<ToGenWorker, { type: 'decode' | 'walk' | 'latent-map' | 'export-decoder' }>;

/** Most steps in a walk and cells per side of the map: bounded so one answer stays small. */
const MAX_WALK_STEPS = 32;
const MAX_MAP_CELLS = 30;
const MAX_MAP_POINTS = 5000;

const clampInt = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, Math.round(Number.isFinite(v) ? v : lo)));

/** Posts the answer to one explore request, or an error message when there is no model yet. */
export async function answerExplore(message: ExploreRequest, run: GenRun | null, post: (m: FromGenWorker, t?: Transferable[]) => void): Promise<void> {
  const { runId } = message;
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
      case 'export-decoder': {
        const files = await exportDecoderFiles(vae, run!.spec);
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
