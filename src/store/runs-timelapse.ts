/**
 * Records the current run's time-lapse from what the worker already sends: each 'filters'
 * snapshot (about one a second while training) is paired with a probe of the fixed probe digit,
 * asked with request ids of its own so the inspector never sees the answers. One probe in
 * flight at most, and the recorder's step gap (runs/timelapse.ts) bound the rate and the size.
 * The maps come from the model a batch or two after its kernels, when the answer arrives; the
 * frame carries the kernels' step.
 */
import { addFrame, emptyTimelapse, quantize, type TimelapseFrame } from '../runs/timelapse';
import type { FilterSnapshot, ToWorker } from '../train/protocol';
import type { RunState } from './app-store';
import type { InspectMessage } from './inspect-slice';

/** Request ids from here up are the recorder's (the inspector counts up from 1). */
export const TIMELAPSE_REQUEST_BASE = 1_000_000_000;

/** The recorder's hook: true when it took the message for itself. */
export interface TimelapseRecorder {
  handle(message: InspectMessage): boolean;
}

/** Creates the recorder around the store's current run. */
export function createTimelapseRecorder(host: { run(): RunState; patchRun(patch: Partial<RunState>): void; post(message: ToWorker): void }): TimelapseRecorder {
  let nextId = TIMELAPSE_REQUEST_BASE;
  let pending: { requestId: number; runId: number; snapshot: FilterSnapshot } | null = null;

  const onFilters = (snapshot: FilterSnapshot) => {
    const run = host.run();
    if (!run.spec || snapshot.layers.length === 0) return;
    // An answer lost with an earlier run must not block this one.
    if (pending && pending.runId === run.runId) return;
    const lapse = run.timelapse ?? emptyTimelapse();
    const last = lapse.frames[lapse.frames.length - 1];
    if (last && snapshot.step - last.step < lapse.stepGap) return;
    pending = { requestId: ++nextId, runId: run.runId, snapshot };
    host.post({ type: 'probe', runId: run.runId, requestId: pending.requestId, input: { source: 'test', index: lapse.probeIndex }, saliencyClass: null, smoothGrad: false });
  };

  return {
    handle(message) {
      if (message.type === 'filters') {
        onFilters(message.snapshot);
        return false;
      }
      const requestId = message.type === 'probe' ? message.result.requestId : message.type === 'probe-error' ? message.requestId : null;
      if (requestId === null || requestId < TIMELAPSE_REQUEST_BASE) return false;
      const asked = pending;
      if (asked?.requestId === requestId) pending = null;
      if (message.type !== 'probe' || asked?.requestId !== requestId) return true;
      const run = host.run();
      const activations = message.result.activations;
      const frame: TimelapseFrame = {
        step: asked.snapshot.step,
        examplesSeen: asked.snapshot.examplesSeen,
        filters: asked.snapshot.layers.map((l) => ({ index: l.index, kernel: quantize(l.kernel.values, l.kernel.shape) })),
        maps: asked.snapshot.layers.filter((l) => activations[l.index]).map((l) => ({ index: l.index, map: quantize(activations[l.index]!.values, activations[l.index]!.shape) })),
      };
      const next = addFrame(run.timelapse ?? emptyTimelapse(), frame);
      if (next !== run.timelapse) host.patchRun({ timelapse: next });
      return true;
    },
  };
}
