/**
 * The person's own classifier as a judge: reads kept runs from the page's IndexedDB (the layout
 * is shared through gen-protocol's RUNS_DB_LAYOUT, since src/train may not import src/store) and
 * rebuilds a kept run's network with buildModel and its stored weights. Everything read from
 * storage is untrusted: a damaged entry gives a plain reason, never a crash.
 */
import * as tf from '@tensorflow/tfjs';
import { parseSpec } from '../../model/validate';
import { buildModel } from '../build-model';
import { applyCheckpoint } from '../model-io/checkpoint';
import type { NamedArray } from '../protocol';
import { startPosition } from '../train-loop';
import { RUNS_DB_LAYOUT } from './gen-protocol';

/** Where kept classifiers come from: their list entries and one run's stored model (both unchecked). */
export interface KeptClassifiers {
  list(): Promise<unknown[]>;
  model(id: string): Promise<unknown>;
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/**
 * Opens the runs database only if it exists: no version is asked for, so this never upgrades it,
 * and a database that would be created here is aborted instead (the page creates it).
 */
function openExisting(factory: IDBFactory): Promise<IDBDatabase | null> {
  return new Promise((resolve) => {
    const req = factory.open(RUNS_DB_LAYOUT.name);
    req.onupgradeneeded = () => req.transaction?.abort();
    req.onsuccess = () => {
      const db = req.result;
      // Never hold up the page when it upgrades the database.
      db.onversionchange = () => db.close();
      resolve(db);
    };
    req.onerror = () => resolve(null);
    req.onblocked = () => resolve(null);
  });
}

/** Kept classifiers in this browser's IndexedDB; null where there is none (Node). */
export function idbKeptClassifiers(factory: IDBFactory | undefined = globalThis.indexedDB): KeptClassifiers | null {
  if (!factory) return null;
  const read = async <T>(store: string, get: (s: IDBObjectStore) => IDBRequest<T>, fallback: T): Promise<T> => {
    const db = await openExisting(factory);
    if (!db) return fallback;
    try {
      if (!db.objectStoreNames.contains(store)) return fallback;
      return (await request(get(db.transaction(store, 'readonly').objectStore(store)))) ?? fallback;
    } finally {
      db.close();
    }
  };
  return {
    list: () => read<unknown[]>(RUNS_DB_LAYOUT.summaries, (s) => s.getAll(), []),
    model: (id) => read<unknown>(RUNS_DB_LAYOUT.models, (s) => s.get(id), null),
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The stored weights as NamedArrays, or a reason they cannot be used. */
function readWeights(checkpoint: unknown): NamedArray[] | string {
  if (!isRecord(checkpoint) || !Array.isArray(checkpoint.weights)) return 'its stored model has no weights';
  const out: NamedArray[] = [];
  for (const w of checkpoint.weights) {
    if (!isRecord(w) || typeof w.name !== 'string' || !Array.isArray(w.shape) || !w.shape.every((d) => Number.isInteger(d) && d >= 0)) {
      return 'its stored weights are damaged';
    }
    const values = w.values instanceof Float32Array ? w.values : w.values instanceof Int32Array ? w.values : null;
    if (!values) return 'its stored weights are damaged';
    out.push({ name: w.name, shape: w.shape as number[], dtype: values instanceof Int32Array ? 'int32' : 'float32', values });
  }
  return out;
}

/**
 * Rebuilds a kept classifier: its spec through parseSpec, the network through buildModel, the
 * stored weights matched by name (else in order) and shape. Throws with a plain reason.
 */
export async function restoreClassifier(spec: unknown, checkpoint: unknown): Promise<tf.LayersModel> {
  const parsed = parseSpec(spec);
  if (!parsed.ok) throw new Error(`its network is not valid here (${parsed.errors[0]?.message ?? 'unknown error'})`);
  const weights = readWeights(checkpoint);
  if (typeof weights === 'string') throw new Error(weights);
  const model = buildModel(parsed.spec.layers, 1).model;
  // applyCheckpoint checks every shape and puts the weights in model order; with no optimizer
  // state it touches the optimizer not at all, so a plain SGD stands in for it.
  const optimizer = tf.train.sgd(0.1);
  try {
    await applyCheckpoint(model, optimizer, { weights, optimizer: [], optimizerExtra: {}, position: startPosition() });
    return model;
  } catch (error) {
    model.dispose();
    throw new Error(error instanceof Error ? error.message.replace(/^The stored model does not fit this network: /, 'its weights do not fit its network: ').replace(/\.$/, '') : String(error));
  } finally {
    optimizer.dispose();
  }
}
