/**
 * Where kept runs live: an interface the store talks to, with an in-memory implementation (tests,
 * and browsers without IndexedDB) here and the IndexedDB one in runs-idb.ts. Records, their list
 * entries and their models are kept apart so the list loads without reading any weights.
 */
import { approximateBytes, summarize, type RunRecord, type RunSummary } from '../runs/record';
import type { Timelapse } from '../runs/timelapse';
import type { ModelCheckpoint } from '../train/protocol';

/** What is stored next to a record; undefined keeps what is stored, null removes it. */
export interface RunExtras {
  model?: ModelCheckpoint | null;
  timelapse?: Timelapse | null;
}

/** Bytes used and available, as navigator.storage.estimate() reports them. */
export interface StorageUse {
  usage: number;
  quota: number;
}

/** Kept runs: every method may reject (storage full, blocked, damaged). */
export interface RunsRepository {
  /** Every run's list entry, newest first. */
  list(): Promise<RunSummary[]>;
  /** The whole record (unchecked: the caller reads it as untrusted data), or null. */
  get(id: string): Promise<unknown>;
  /** The stored model (unchecked), or null. */
  getModel(id: string): Promise<unknown>;
  /** The stored time-lapse (unchecked), or null. */
  getTimelapse(id: string): Promise<unknown>;
  /** Writes a record with its list entry, and the extras given (see RunExtras). */
  put(record: RunRecord, extras?: RunExtras): Promise<void>;
  /** Renames a run (record and list entry). */
  rename(id: string, name: string): Promise<void>;
  /** Deletes runs with their models. */
  remove(ids: readonly string[]): Promise<void>;
  /** Deletes every run. */
  clear(): Promise<void>;
  /** Storage use of the whole origin, or null when the browser does not say. */
  estimate(): Promise<StorageUse | null>;
}

/** True when an error means the storage quota is used up. */
export function isQuotaError(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED';
}

/** Sorts list entries newest first. */
export function newestFirst(list: RunSummary[]): RunSummary[] {
  return list.sort((a, b) => b.createdAt - a.createdAt);
}

/**
 * Runs kept in this tab only. Values are cloned on the way in and out, as IndexedDB does, so
 * tests see the same isolation. `quotaBytes` makes writes beyond it fail like a full disk.
 */
export function createMemoryRunsRepository(options: { quotaBytes?: number } = {}): RunsRepository & { quotaBytes: number } {
  const records = new Map<string, RunRecord>();
  const summaries = new Map<string, RunSummary>();
  const models = new Map<string, ModelCheckpoint>();
  const timelapses = new Map<string, Timelapse>();
  const bytes = new Map<string, number>();
  const used = () => [...bytes.values()].reduce((a, b) => a + b, 0);
  const repo = {
    quotaBytes: options.quotaBytes ?? Infinity,
    async list() {
      return newestFirst([...summaries.values()].map((s) => structuredClone(s)));
    },
    async get(id: string) {
      const r = records.get(id);
      return r ? structuredClone(r) : null;
    },
    async getModel(id: string) {
      const m = models.get(id);
      return m ? structuredClone(m) : null;
    },
    async getTimelapse(id: string) {
      const t = timelapses.get(id);
      return t ? structuredClone(t) : null;
    },
    async put(record: RunRecord, extras: RunExtras = {}) {
      const keep = extras.model === undefined ? models.get(record.id) ?? null : extras.model;
      const lapse = extras.timelapse === undefined ? timelapses.get(record.id) ?? null : extras.timelapse;
      const size = approximateBytes(record) + (keep ? approximateBytes(keep) : 0) + (lapse ? approximateBytes(lapse) : 0);
      if (used() - (bytes.get(record.id) ?? 0) + size > repo.quotaBytes) {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      }
      records.set(record.id, structuredClone(record));
      summaries.set(record.id, summarize(record, size));
      if (keep) models.set(record.id, structuredClone(keep));
      else models.delete(record.id);
      if (lapse) timelapses.set(record.id, structuredClone(lapse));
      else timelapses.delete(record.id);
      bytes.set(record.id, size);
    },
    async rename(id: string, name: string) {
      const r = records.get(id);
      const s = summaries.get(id);
      if (!r || !s) return;
      records.set(id, { ...r, name, named: true });
      summaries.set(id, { ...s, name, named: true });
    },
    async remove(ids: readonly string[]) {
      for (const id of ids) {
        records.delete(id);
        summaries.delete(id);
        models.delete(id);
        timelapses.delete(id);
        bytes.delete(id);
      }
    },
    async clear() {
      await repo.remove([...records.keys()]);
    },
    async estimate() {
      return { usage: used(), quota: repo.quotaBytes };
    },
  };
  return repo;
}
