/**
 * Saving the current run as a kept record. Every run that ends (done, stopped, or failed after
 * some training) is written with the model the worker handed over; a run replaced while still
 * going is kept as stopped. A save that fails (a full quota) keeps the run in memory with a
 * message and a retry; nothing is dropped silently.
 */
import { autoName, type RunEnd, type RunRecord, RUN_RECORD_VERSION } from '../runs/record';
import type { FromWorker, ModelCheckpoint } from '../train/protocol';
import { isTerminal, type RunState } from './run-state';
import { isQuotaError, type RunExtras, type RunsRepository } from './runs-repository';
import type { RunsHost } from './runs-slice';

/** Keeps the current run's record up to date in the repository. */
export interface RunSaver {
  /** Writes a record; on failure keeps it as `unsaved` with a message and returns false. */
  write(record: RunRecord, extras: RunExtras): Promise<boolean>;
  /** After a worker message of the current run was folded in; true when it ended the run and the run was saved. */
  afterMessage(message: FromWorker, run: RunState): boolean;
  /** Before a new run replaces `previous`: a run still going is kept as stopped. */
  beforeReplace(previous: RunState): void;
  /** The current run is an import: keep it once the worker has built it (a failed import is not kept). */
  expectImport(): void;
  /** A kept run was opened: it is saved already, and no model has been handed over for it. */
  forget(): void;
}

/** A save failure in plain words, with what the user can do. */
export function describeFailure(error: unknown, name: string): string {
  if (isQuotaError(error)) {
    return `The browser's storage is full, so the run “${name}” was not saved. It stays in this tab: delete or prune old runs, then press Retry.`;
  }
  const detail = error instanceof Error && error.message ? ` (${error.message})` : '';
  return `The run “${name}” could not be saved${detail}. It stays in this tab: press Retry to try again.`;
}

/** Creates the saver; `refresh` re-reads the list after a successful write. */
export function createRunSaver(host: Pick<RunsHost, 'runs' | 'setRuns' | 'now'>, repo: RunsRepository, refresh: () => Promise<void>): RunSaver {
  // Whether the current run changed since it was last saved, and the model it handed over.
  let dirty = false;
  let model: { runId: number; checkpoint: ModelCheckpoint } | null = null;
  let importing = false;

  const write = async (record: RunRecord, extras: RunExtras): Promise<boolean> => {
    try {
      await repo.put(record, extras);
    } catch (error) {
      host.setRuns({ unsaved: { record, extras }, message: describeFailure(error, record.name) });
      return false;
    }
    host.setRuns({ unsaved: null, message: null });
    await refresh();
    return true;
  };

  const recordOf = (run: RunState, end: RunEnd, hasModel: boolean): RunRecord | null => {
    if (!run.recordId || !run.spec) return null;
    const known = host.runs().list.find((s) => s.id === run.recordId);
    const accuracy = run.report?.accuracy ?? null;
    return {
      version: RUN_RECORD_VERSION, id: run.recordId,
      name: known?.named ? known.name : autoName(run.spec, end, accuracy), named: known?.named ?? false,
      createdAt: run.createdAt, updatedAt: host.now(), spec: run.spec, backend: run.backend, end, error: run.error,
      batches: run.batches, epochs: run.epochs, report: run.report, progress: run.progress,
      durationMs: run.progress?.elapsedMs ?? 0, examplesSeen: run.progress?.examplesSeen ?? 0, hasModel,
    };
  };

  const save = (run: RunState, end: RunEnd) => {
    dirty = false;
    const unsaved = host.runs().unsaved;
    const handed = model?.runId === run.runId ? model.checkpoint : undefined;
    // undefined keeps what storage holds; a model still waiting in memory goes with its record.
    const checkpoint = handed ?? (unsaved?.record.id === run.recordId ? unsaved.extras.model : undefined);
    const known = host.runs().list.find((s) => s.id === run.recordId);
    const record = recordOf(run, end, checkpoint ? true : checkpoint === null ? false : known?.hasModel ?? false);
    if (!record) return;
    void write(record, { model: checkpoint, timelapse: run.timelapse ?? undefined }).then((ok) => {
      if (ok && model?.checkpoint === handed) model = null;
    });
  };

  return {
    write,
    afterMessage(message, run) {
      if (message.type === 'checkpoint') {
        model = { runId: message.runId, checkpoint: message.checkpoint };
        if (importing) dirty = true;
        importing = false;
      }
      if (message.type === 'error') importing = false;
      if (message.type === 'progress' || message.type === 'epoch' || message.type === 'report') dirty = true;
      if (!dirty || !isTerminal(run.status)) return false;
      save(run, run.status as RunEnd);
      return true;
    },
    beforeReplace(previous) {
      if (dirty && !isTerminal(previous.status)) save(previous, 'stopped');
    },
    expectImport() {
      importing = true;
      dirty = false;
      model = null;
    },
    forget() {
      dirty = false;
      model = null;
    },
  };
}
