/**
 * The runs slice of the app store: every run that ends (done, stopped, or failed after some
 * training) is saved as a record, with the model the worker hands over, through an injected
 * repository (runs-saver.ts); a save that fails keeps the run in memory with a message and a
 * retry. Opening a run restores its spec through the store's commit path, its curves and report,
 * and its model in the worker, where it can be continued. "Repeat with seeds" is runs-queue.ts.
 */
import type { NetworkSpec } from '../model/spec';
import type { RunRecord, RunSummary } from '../runs/record';
import { readCheckpoint, readRunRecord, readTimelapse } from '../runs/validate-record';
import type { Timelapse } from '../runs/timelapse';
import type { BackendChoice, FromWorker, ModelCheckpoint, ToWorker } from '../train/protocol';
import { isActive, type RunState } from './run-state';
import type { RunExtras, RunsRepository, StorageUse } from './runs-repository';
import { createRunSaver, describeFailure } from './runs-saver';
import { createSeedQueue } from './runs-queue';

/** What the Runs panel shows. */
export interface RunsState {
  /** List entries, newest first. */
  list: RunSummary[];
  /** The list has been read from storage at least once. */
  loaded: boolean;
  storage: StorageUse | null;
  /** A problem in plain words (storage full, a damaged record); cleared by the next success. */
  message: string | null;
  /** A run that could not be saved, kept in memory so that it can be retried. */
  unsaved: { record: RunRecord; extras: RunExtras } | null;
  /** Runs picked for comparison (at most MAX_COMPARE), in the order picked. */
  compare: string[];
  /** Seeds of queued runs still to start ("Repeat with seeds"). */
  queue: number[];
}

/** Most runs compared at once. */
export const MAX_COMPARE = 4;

/** The slice's actions, part of AppState. */
export interface RunsActions {
  /** Reads the list and the storage use again. */
  refreshRuns(): Promise<void>;
  renameRun(id: string, name: string): Promise<void>;
  deleteRun(id: string): Promise<void>;
  /** Deletes every kept run. */
  clearRuns(): Promise<void>;
  /** Deletes the oldest runs so that at most `keep` remain. */
  pruneRuns(keep: number): Promise<void>;
  /** Tries again to save the run that did not fit. */
  retrySave(): Promise<void>;
  /** Opens a kept run: its spec, curves, report and (when stored) model; false when it cannot. */
  openRun(id: string): Promise<boolean>;
  /** Continues the current run's training where it stopped (a stopped run whose model is kept). */
  continueRun(): void;
  /** Picks or unpicks a run for comparison; the oldest pick makes way past MAX_COMPARE. */
  toggleCompare(id: string): void;
  /** Reads whole records (checked); damaged ones are left out with a message. */
  loadRunRecords(ids: readonly string[]): Promise<RunRecord[]>;
  /** Trains the current network once per seed, one after another (a stop or an error ends the queue). */
  repeatWithSeeds(seeds: readonly number[]): void;
}

/** What the slice needs from the store around it. */
export interface RunsHost {
  runs(): RunsState;
  setRuns(patch: Partial<RunsState>): void;
  run(): RunState;
  /** Replaces the current run (and resets what the inspector shows). */
  installRun(run: RunState): void;
  /** The store's one commit path for specs; returns the spec now current. */
  commitSpec(spec: NetworkSpec): NetworkSpec;
  /** The store's start action (a new run of the current spec). */
  start(): void;
  /** The spec being edited. */
  currentSpec(): NetworkSpec;
  backendChoice(): BackendChoice;
  post(message: ToWorker): void;
  now(): number;
}

/** The slice's actions plus the hooks the store calls. */
export interface RunsSlice {
  actions: RunsActions;
  /** After a worker message of the current run was folded in. */
  afterMessage(message: FromWorker, run: RunState): void;
  /** Before a new run replaces `previous`: a run still going is kept as stopped. */
  beforeReplace(previous: RunState): void;
  /** The current run is an import: keep it once the worker has built it (a failed import is not kept). */
  expectImport(): void;
}

/** The slice's state before storage was read. */
export function emptyRuns(): RunsState {
  return { list: [], loaded: false, storage: null, message: null, unsaved: null, compare: [], queue: [] };
}

/** A fresh run id for a record. */
export function newRecordId(now: number): string {
  const random = globalThis.crypto?.randomUUID?.() ?? Math.random().toString(36).slice(2);
  return `run-${now.toString(36)}-${random}`;
}

/** Creates the slice around a host store and a repository. */
export function createRunsSlice(host: RunsHost, repo: RunsRepository): RunsSlice {
  const refresh = async () => {
    try {
      const [list, storage] = await Promise.all([repo.list(), repo.estimate().catch(() => null)]);
      // Picks of deleted runs go away with them.
      const compare = host.runs().compare.filter((id) => list.some((r) => r.id === id));
      host.setRuns({ list, storage, loaded: true, compare });
    } catch (error) {
      host.setRuns({ loaded: true, message: `Kept runs cannot be read in this browser (${error instanceof Error ? error.message : String(error)}). New runs stay in this tab only.` });
    }
  };
  const saver = createRunSaver(host, repo, refresh);
  const queue = createSeedQueue(host);

  const actions: RunsActions = {
    refreshRuns: refresh,
    async renameRun(id, name) {
      const trimmed = name.trim().slice(0, 200);
      if (!trimmed) return;
      await repo.rename(id, trimmed).catch((e) => host.setRuns({ message: describeFailure(e, trimmed) }));
      await refresh();
    },
    async deleteRun(id) {
      await repo.remove([id]).catch(() => host.setRuns({ message: 'The run could not be deleted; reload the page and try again.' }));
      await refresh();
    },
    async clearRuns() {
      await repo.clear().catch(() => host.setRuns({ message: 'The runs could not be deleted; reload the page and try again.' }));
      await refresh();
    },
    async pruneRuns(keep) {
      const old = host.runs().list.slice(Math.max(0, Math.floor(keep))).map((s) => s.id);
      if (old.length) await repo.remove(old).catch(() => host.setRuns({ message: 'The old runs could not be deleted; reload the page and try again.' }));
      await refresh();
    },
    async retrySave() {
      const unsaved = host.runs().unsaved;
      if (unsaved) await saver.write(unsaved.record, unsaved.extras);
    },
    async openRun(id) {
      if (isActive(host.run().status)) {
        host.setRuns({ message: 'Stop the current run before opening another one.' });
        return false;
      }
      const read = readRunRecord(await repo.get(id).catch(() => null));
      if (!read.ok) {
        host.setRuns({ message: read.message });
        return false;
      }
      const record = read.value;
      let checkpoint: ModelCheckpoint | null = null;
      if (record.hasModel) {
        const stored = readCheckpoint(await repo.getModel(id).catch(() => null));
        if (stored.ok) checkpoint = stored.value;
        else host.setRuns({ message: `${stored.message} The run opens without its model.` });
      }
      const lapse = readTimelapse(await repo.getTimelapse(id).catch(() => null));
      const timelapse: Timelapse | null = lapse.ok ? lapse.value : null;
      const spec = host.commitSpec(record.spec);
      const runId = host.run().runId + 1;
      saver.forget();
      host.installRun({
        runId, status: checkpoint ? 'loading-data' : record.end, backend: record.backend, progress: record.progress,
        batches: record.batches, epochs: record.epochs, report: record.report, error: record.error, unavailableBackend: null, spec, stale: false,
        recordId: record.id, createdAt: record.createdAt, timelapse,
      });
      if (checkpoint) {
        host.post({ type: 'restore', runId, spec, backend: host.backendChoice(), checkpoint, phase: record.end === 'done' ? 'done' : 'stopped' });
      }
      return true;
    },
    toggleCompare(id) {
      const picked = host.runs().compare;
      const compare = picked.includes(id) ? picked.filter((p) => p !== id) : [...picked, id].slice(-MAX_COMPARE);
      host.setRuns({ compare });
    },
    async loadRunRecords(ids) {
      const records: RunRecord[] = [];
      for (const id of ids) {
        const read = readRunRecord(await repo.get(id).catch(() => null));
        if (read.ok) records.push(read.value);
        else host.setRuns({ message: read.message });
      }
      return records;
    },
    repeatWithSeeds: (seeds) => queue.repeat(seeds),
    continueRun() {
      const run = host.run();
      const entry = host.runs().list.find((s) => s.id === run.recordId);
      if (run.status === 'stopped' && !run.stale && entry?.resumable) host.post({ type: 'continue', runId: run.runId });
    },
  };

  return {
    actions,
    afterMessage(message, run) {
      // A run that ended and was saved lets the seed queue go on.
      if (saver.afterMessage(message, run)) queue.advance(run);
    },
    expectImport: () => saver.expectImport(),
    beforeReplace: (previous) => saver.beforeReplace(previous),
  };
}
