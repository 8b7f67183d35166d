/**
 * The current run as the store holds it: its status, live figures, curves, report and the kept
 * record it is saved into, with the status groups the store and the runs slice decide by.
 */
import type { BackendChoice, BackendInfo, BatchPoint, EpochPoint, RunPhase, TestReport } from '../train/protocol';
import type { NetworkSpec } from '../model/spec';
import type { RunFigures } from '../runs/record';
import type { Timelapse } from '../runs/timelapse';

/** Where a run stands, as the UI shows it. */
export type RunStatus = 'idle' | RunPhase | 'error';

/** Live figures of the run, from the latest progress message. */
export type RunProgress = RunFigures;

/** Everything about the current (or last) run. */
export interface RunState {
  runId: number;
  status: RunStatus;
  backend: BackendInfo | null;
  progress: RunProgress | null;
  batches: BatchPoint[];
  epochs: EpochPoint[];
  report: TestReport | null;
  error: string | null;
  /**
   * The backend choice that could not start when the worker tried it before a run (its reason is
   * `error`): Train waits for another choice rather than fail the same way.
   */
  unavailableBackend: BackendChoice | null;
  /** The spec the run trains; the edited spec may have moved on. */
  spec: NetworkSpec | null;
  /** True when the stack or settings were edited after the run started. */
  stale: boolean;
  /** The kept record this run is saved into (null for a run that is not kept). */
  recordId: string | null;
  /** When the run (or the kept run it continues) was started. */
  createdAt: number;
  /** Kernels and probe-digit feature maps recorded while training (see runs/timelapse.ts). */
  timelapse: Timelapse | null;
}

/** An empty run record. */
export function idleRun(): RunState {
  return { runId: 0, status: 'idle', backend: null, progress: null, batches: [], epochs: [], report: null, error: null, unavailableBackend: null, spec: null, stale: false, recordId: null, createdAt: 0, timelapse: null };
}

const ACTIVE: ReadonlySet<RunStatus> = new Set(['loading-data', 'building', 'training', 'paused', 'evaluating']);
const TERMINAL: ReadonlySet<RunStatus> = new Set(['done', 'stopped', 'error']);

/** True while a run is in progress (including paused). */
export function isActive(status: RunStatus): boolean {
  return ACTIVE.has(status);
}

/** True when the chosen backend is the one that could not start before this run: Train would fail the same way. */
export function backendUnavailable(run: RunState, choice: BackendChoice): boolean {
  return run.status === 'idle' && run.unavailableBackend === choice;
}

/** True once a run has ended: done, stopped or failed. */
export function isTerminal(status: RunStatus): boolean {
  return TERMINAL.has(status);
}
