/**
 * Kept runs in IndexedDB: four object stores keyed by run id (records, list entries, models, time-lapses),
 * written together in one transaction so a run is saved whole or not at all. Typed arrays
 * (weights, report pixels) are stored as they are, by structured clone.
 */
import { approximateBytes, summarize, type RunRecord, type RunSummary } from '../runs/record';
import { RUNS_DB_LAYOUT } from '../train/generative/gen-protocol';
import { newestFirst, type RunsRepository, type StorageUse } from './runs-repository';

// The layout is shared with the Generations worker, which reads kept classifiers to judge with them.
/** Database name; the version (RUNS_DB_LAYOUT.version) changes only with the object stores. */
export const RUNS_DB = RUNS_DB_LAYOUT.name;
const DB_VERSION = RUNS_DB_LAYOUT.version;
const { records: RECORDS, summaries: SUMMARIES, models: MODELS, timelapses: TIMELAPSES } = RUNS_DB_LAYOUT;
const STORES = [RECORDS, SUMMARIES, MODELS, TIMELAPSES];

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** Resolves when the transaction commits; rejects with its error (e.g. QuotaExceededError) when it aborts. */
function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error ?? new DOMException('The transaction was aborted.', 'AbortError'));
    tx.onerror = () => reject(tx.error);
  });
}

function open(factory: IDBFactory): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = factory.open(RUNS_DB, DB_VERSION);
    req.onupgradeneeded = () => {
      for (const name of STORES) if (!req.result.objectStoreNames.contains(name)) req.result.createObjectStore(name);
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
    req.onblocked = () => reject(new Error('The run storage is held by another tab of an older version; close it and reload.'));
  });
}

/** The IndexedDB repository; the database opens on first use (and again after a failed open). */
export function createIdbRunsRepository(factory: IDBFactory = indexedDB, storage: StorageManager | undefined = globalThis.navigator?.storage): RunsRepository {
  let db: Promise<IDBDatabase> | null = null;
  const connect = () => {
    db ??= open(factory).catch((error) => {
      db = null;
      throw error;
    });
    return db;
  };
  const tx = async (mode: IDBTransactionMode) => (await connect()).transaction(STORES, mode);
  return {
    async list() {
      const t = await tx('readonly');
      return newestFirst(await request(t.objectStore(SUMMARIES).getAll() as IDBRequest<RunSummary[]>));
    },
    async get(id) {
      const t = await tx('readonly');
      return (await request(t.objectStore(RECORDS).get(id))) ?? null;
    },
    async getModel(id) {
      const t = await tx('readonly');
      return (await request(t.objectStore(MODELS).get(id))) ?? null;
    },
    async getTimelapse(id) {
      const t = await tx('readonly');
      return (await request(t.objectStore(TIMELAPSES).get(id))) ?? null;
    },
    async put(record, extras = {}) {
      const t = await tx('readwrite');
      /** Writes or deletes one extra and returns its size; undefined keeps (and measures) what is stored. */
      const extra = async (store: IDBObjectStore, value: unknown): Promise<number> => {
        if (value === undefined) {
          const kept = await request(store.get(record.id));
          return kept ? approximateBytes(kept) : 0;
        }
        if (value === null) {
          store.delete(record.id);
          return 0;
        }
        store.put(value, record.id);
        return approximateBytes(value);
      };
      const modelBytes = await extra(t.objectStore(MODELS), extras.model);
      const lapseBytes = await extra(t.objectStore(TIMELAPSES), extras.timelapse);
      t.objectStore(RECORDS).put(record, record.id);
      t.objectStore(SUMMARIES).put(summarize(record, approximateBytes(record) + modelBytes + lapseBytes), record.id);
      await done(t);
    },
    async rename(id, name) {
      const t = await tx('readwrite');
      const records = t.objectStore(RECORDS);
      const summaries = t.objectStore(SUMMARIES);
      const [r, s] = await Promise.all([request(records.get(id)), request(summaries.get(id))]);
      if (r) records.put({ ...(r as RunRecord), name, named: true }, id);
      if (s) summaries.put({ ...(s as RunSummary), name, named: true }, id);
      await done(t);
    },
    async remove(ids) {
      const t = await tx('readwrite');
      for (const id of ids) for (const name of STORES) t.objectStore(name).delete(id);
      await done(t);
    },
    async clear() {
      const t = await tx('readwrite');
      for (const name of STORES) t.objectStore(name).clear();
      await done(t);
    },
    async estimate(): Promise<StorageUse | null> {
      if (!storage?.estimate) return null;
      const e = await storage.estimate();
      return e.usage !== undefined && e.quota !== undefined ? { usage: e.usage, quota: e.quota } : null;
    },
  };
}
