/**
 * Reads a stored run record and a stored model as untrusted input: IndexedDB may hold records of
 * an older version, from another tab's build, or edited by hand. The spec goes through the one
 * `parseSpec` gate; the metric history, report and weights are checked for shape and type, so a
 * damaged record gives a message instead of breaking a chart or the worker.
 */
import { parseSpec } from '../model/validate';
import type { BatchPoint, EpochPoint, ModelCheckpoint, NamedArray, TestReport } from '../train/protocol';
import { RUN_RECORD_VERSION, type RunEnd, type RunFigures, type RunRecord } from './record';
import type { Timelapse } from './timelapse';

/** The result of reading untrusted data. */
export type Read<T> = { ok: true; value: T } | { ok: false; message: string };

/** Most batch points a record may hold (about 70 epochs of 60,000 images at batch 64). */
export const MAX_BATCH_POINTS = 66_000;
/** Most values one stored weight tensor may hold (far above any stack the editor allows). */
export const MAX_TENSOR_VALUES = 50_000_000;

type Dict = Record<string, unknown>;
const isDict = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number';
const isFiniteNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isStr = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;
const ENDS: readonly RunEnd[] = ['done', 'stopped', 'error'];

class Bad extends Error {}
function need(ok: boolean, what: string): asserts ok {
  if (!ok) throw new Bad(what);
}

function numbersOf(v: unknown, keys: readonly string[], what: string): void {
  need(isDict(v), `${what} is not an object`);
  for (const k of keys) need(isNum(v[k]), `${what}.${k} is not a number`);
}

const BATCH_KEYS = ['step', 'examplesSeen', 'loss', 'accuracy', 'elapsedMs'] as const;
const EPOCH_KEYS = ['epoch', 'examplesSeen', 'elapsedMs', 'trainLoss', 'trainAccuracy', 'valLoss', 'valAccuracy'] as const;
const FIGURE_KEYS = ['epoch', 'epochs', 'batch', 'batchesPerEpoch', 'examplesSeen', 'elapsedMs', 'examplesPerSecond', 'tensors'] as const;

function readReport(v: unknown): TestReport | null {
  if (v === null) return null;
  numbersOf(v, ['examples', 'loss', 'accuracy'], 'report');
  const r = v as Dict;
  need(Array.isArray(r.confusion) && r.confusion.length === 100 && r.confusion.every(isFiniteNum), 'report.confusion is not 100 counts');
  need(Array.isArray(r.perClassAccuracy) && r.perClassAccuracy.length === 10 && r.perClassAccuracy.every(isNum), 'report.perClassAccuracy is not 10 numbers');
  for (const key of ['samples', 'mistakes'] as const) {
    const list = r[key];
    need(Array.isArray(list) && list.length <= 1000, `report.${key} is not a list`);
    for (const s of list) {
      numbersOf(s, ['index', 'label', 'predicted'], `report.${key}[]`);
      const sample = s as Dict;
      need(sample.pixels instanceof Uint8Array && sample.pixels.length === 784, `report.${key}[].pixels is not 784 grey levels`);
      need(Array.isArray(sample.probabilities) && sample.probabilities.length === 10, `report.${key}[].probabilities is not 10 numbers`);
    }
  }
  const n = r.examples as number;
  if (r.predictions !== undefined) need(r.predictions instanceof Uint8Array && r.predictions.length === n, 'report.predictions does not match its examples');
  if (r.confidences !== undefined) need(r.confidences instanceof Float32Array && r.confidences.length === n, 'report.confidences does not match its examples');
  if (r.labels !== undefined) need(r.labels instanceof Uint8Array && r.labels.length === n, 'report.labels does not match its examples');
  return v as unknown as TestReport;
}

/** Checks a stored run record; the spec is re-read through parseSpec. */
export function readRunRecord(raw: unknown): Read<RunRecord> {
  try {
    need(isDict(raw), 'it is not an object');
    const r = raw;
    need(r.version === RUN_RECORD_VERSION, `its version ${String(r.version)} is not ${RUN_RECORD_VERSION}`);
    need(isStr(r.id, 200) && r.id.length > 0, 'its id is missing');
    need(isStr(r.name, 500), 'its name is not text');
    need(isFiniteNum(r.createdAt) && isFiniteNum(r.updatedAt), 'its dates are not numbers');
    need(ENDS.includes(r.end as RunEnd), `its end ${String(r.end)} is not one of ${ENDS.join(', ')}`);
    need(r.error === null || isStr(r.error, 10_000), 'its error is not text');
    need(isFiniteNum(r.durationMs) && isFiniteNum(r.examplesSeen), 'its duration or examples seen are not numbers');
    const parsed = parseSpec(r.spec);
    if (!parsed.ok) return { ok: false, message: `The stored run cannot be read: its network is not valid: ${parsed.errors[0]!.path}: ${parsed.errors[0]!.message}` };
    need(Array.isArray(r.batches) && r.batches.length <= MAX_BATCH_POINTS, 'its batch history is not a list (or is too long)');
    for (const b of r.batches) numbersOf(b, BATCH_KEYS, 'a batch point');
    need(Array.isArray(r.epochs) && r.epochs.length <= 10_000, 'its epoch history is not a list');
    for (const e of r.epochs) numbersOf(e, EPOCH_KEYS, 'an epoch point');
    if (r.progress !== null) numbersOf(r.progress, FIGURE_KEYS, 'progress');
    need(r.backend === null || (isDict(r.backend) && typeof r.backend.name === 'string' && Array.isArray(r.backend.notes)), 'its backend is not readable');
    const record: RunRecord = {
      version: RUN_RECORD_VERSION, id: r.id, name: r.name, named: r.named === true, createdAt: r.createdAt, updatedAt: r.updatedAt,
      spec: parsed.spec, backend: r.backend as RunRecord['backend'], end: r.end as RunEnd, error: r.error as string | null,
      batches: r.batches as BatchPoint[], epochs: r.epochs as EpochPoint[], report: readReport(r.report),
      progress: r.progress as RunFigures | null, durationMs: r.durationMs, examplesSeen: r.examplesSeen, hasModel: r.hasModel === true,
    };
    return { ok: true, value: record };
  } catch (error) {
    if (error instanceof Bad) return { ok: false, message: `The stored run cannot be read: ${error.message}.` };
    throw error;
  }
}

function readArray(v: unknown, what: string): NamedArray {
  need(isDict(v), `${what} is not an object`);
  need(typeof v.name === 'string', `${what} has no name`);
  need(Array.isArray(v.shape) && v.shape.length <= 6 && v.shape.every((d) => Number.isInteger(d) && d >= 0), `${what} has no valid shape`);
  const size = (v.shape as number[]).reduce((a, b) => a * b, 1);
  need(size <= MAX_TENSOR_VALUES, `${what} declares ${size} values, more than ${MAX_TENSOR_VALUES}`);
  const ok = (v.dtype === 'float32' && v.values instanceof Float32Array) || (v.dtype === 'int32' && v.values instanceof Int32Array);
  need(ok, `${what} holds no float32 or int32 values`);
  need((v.values as Float32Array).length === size, `${what} holds ${(v.values as Float32Array).length} values for shape [${(v.shape as number[]).join(', ')}]`);
  return v as unknown as NamedArray;
}

/** Checks a stored model: named arrays whose values fit their shapes, and a position. */
export function readCheckpoint(raw: unknown): Read<ModelCheckpoint> {
  try {
    need(isDict(raw), 'it is not an object');
    need(Array.isArray(raw.weights) && raw.weights.length <= 10_000, 'its weights are not a list');
    need(Array.isArray(raw.optimizer) && raw.optimizer.length <= 30_000, 'its optimizer state is not a list');
    const weights = raw.weights.map((w, i) => readArray(w, `weight ${i + 1}`));
    const optimizer = raw.optimizer.map((w, i) => readArray(w, `optimizer slot ${i + 1}`));
    need(isDict(raw.optimizerExtra) && Object.values(raw.optimizerExtra).every(isFiniteNum), 'its optimizer extras are not numbers');
    numbersOf(raw.position, ['step', 'examplesSeen', 'elapsedMs', 'epochLossSum', 'epochAccuracySum', 'epochSeen'], 'position');
    return { ok: true, value: { weights, optimizer, optimizerExtra: raw.optimizerExtra as Record<string, number>, position: raw.position as ModelCheckpoint['position'] } };
  } catch (error) {
    if (error instanceof Bad) return { ok: false, message: `The stored model cannot be read: ${error.message}.` };
    throw error;
  }
}

function readQuantized(v: unknown, what: string): void {
  need(isDict(v), `${what} is not an object`);
  need(Array.isArray(v.shape) && v.shape.length <= 6 && v.shape.every((d) => Number.isInteger(d) && d >= 0), `${what} has no valid shape`);
  need(isFiniteNum(v.min) && isFiniteNum(v.max), `${what} has no range`);
  const size = (v.shape as number[]).reduce((a, b) => a * b, 1);
  need(v.levels instanceof Uint8Array && v.levels.length === size, `${what} does not hold its ${size} levels`);
}

/** Checks a stored time-lapse: frames of 8-bit tensors that match their shapes, in step order. */
export function readTimelapse(raw: unknown): Read<Timelapse> {
  try {
    need(isDict(raw), 'it is not an object');
    need(isFiniteNum(raw.probeIndex) && isFiniteNum(raw.capBytes) && isFiniteNum(raw.stepGap), 'its settings are not numbers');
    need(Array.isArray(raw.frames) && raw.frames.length <= 10_000, 'its frames are not a list');
    let last = -Infinity;
    for (const f of raw.frames) {
      numbersOf(f, ['step', 'examplesSeen'], 'a frame');
      const frame = f as Dict;
      need(frame.step as number >= last, 'its frames are not in step order');
      last = frame.step as number;
      need(Array.isArray(frame.filters) && Array.isArray(frame.maps), 'a frame has no filters or maps');
      for (const k of frame.filters as unknown[]) readQuantized((k as Dict)?.kernel, 'a kernel');
      for (const m of frame.maps as unknown[]) readQuantized((m as Dict)?.map, 'a feature map');
    }
    return { ok: true, value: raw as unknown as Timelapse };
  } catch (error) {
    if (error instanceof Bad) return { ok: false, message: `The stored time-lapse cannot be read: ${error.message}.` };
    throw error;
  }
}
