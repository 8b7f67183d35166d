/**
 * How worker messages change the app state: stale runs are dropped, inspector messages go to the
 * inspect slice (after the time-lapse recorder takes its own probe answers), run messages update
 * the run's figures, and the runs slice then sees every message (to keep runs when they end).
 */
import type { StoreApi } from 'zustand/vanilla';
import type { FromWorker } from '../train/protocol';
import type { AppState, RunState } from './app-store';
import { isInspectMessage, type InspectMessage, type InspectSlice } from './inspect-slice';
import type { RunsSlice } from './runs-slice';
import type { TimelapseRecorder } from './runs-timelapse';

/** Folds one worker message into the state; messages of other runs are dropped. */
export function applyMessage(store: StoreApi<AppState>, inspect: InspectSlice, runs: RunsSlice, recorder: TimelapseRecorder, message: FromWorker): void {
  const run = store.getState().run;
  if (message.runId !== run.runId) return;
  // A failed run's model can still be looked inside, so only its run figures are frozen.
  if (isInspectMessage(message)) {
    // The time-lapse takes its own probe answers and watches the filters the inspector gets too.
    if (recorder.handle(message)) return;
    return inspect.handle(message);
  }
  if (run.status === 'error') return;
  const next = runAfter(run, message);
  if (next !== run) store.setState({ run: next });
  if (message.type === 'progress') inspect.afterProgress();
  if (message.type === 'report') inspect.afterReport();
  runs.afterMessage(message, next);
}

function runAfter(run: RunState, message: Exclude<FromWorker, InspectMessage>): RunState {
  switch (message.type) {
    case 'status':
      return { ...run, status: message.phase, backend: message.backend ?? run.backend };
    case 'progress':
      return {
        ...run,
        progress: {
          epoch: message.epoch,
          epochs: run.spec?.training.epochs ?? message.epoch,
          batch: message.batch,
          batchesPerEpoch: message.batchesPerEpoch,
          examplesSeen: message.examplesSeen,
          elapsedMs: message.elapsedMs,
          examplesPerSecond: message.examplesPerSecond,
          tensors: message.tensors,
        },
        batches: message.points.length ? run.batches.concat(message.points) : run.batches,
      };
    case 'epoch':
      return { ...run, epochs: [...run.epochs, message.point] };
    case 'report':
      return { ...run, report: message.report };
    case 'prepared':
      // The backend Train will use, shown before the first run.
      return run.status === 'idle' ? { ...run, backend: message.backend, error: null, unavailableBackend: null } : run;
    case 'backend-failed':
      // The chosen backend cannot start: said before the first run, not only after Train.
      return run.status === 'idle' ? { ...run, backend: null, error: message.message, unavailableBackend: message.backend } : run;
    case 'error':
      return { ...run, status: 'error', error: message.message };
    case 'checkpoint':
    case 'model-files':
      // The runs slice keeps checkpoints with the record, exports go to who asked: no figures change.
      return run;
    default: {
      const never: never = message;
      return never;
    }
  }
}
