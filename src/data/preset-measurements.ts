/**
 * The presets' test accuracy and training time as measured by `node scripts/bench.mjs --presets
 * --write` (presets/measurements.json), matched to the presets they were measured on. Pure.
 */
import type { NetworkSpec } from '../model/spec';
import measurementsJson from '../../presets/measurements.json';

/** One benchmark result for one preset, as the bench writes it. */
export interface Measurement {
  preset: string;
  /** Fraction of the 10,000 MNIST test images classified correctly, in [0, 1]. */
  testAccuracy: number;
  /** Seconds spent training (paused time and the final test evaluation excluded). */
  trainingSeconds: number;
  epochs: number;
  batchSize: number;
  backend: string;
  threads: number | null;
  /** ISO date and time of the run. */
  measuredAt: string;
  /** The CPU, core count and browser that ran it. */
  machine: string;
  /** Fingerprint of the layers and training settings measured (see specFingerprint). */
  fingerprint: string;
}

/** A preset's figure for the gallery: measured on its current spec, measured on an older one, or never. */
export type MeasurementStatus =
  | { kind: 'measured'; measurement: Measurement }
  | { kind: 'outdated'; measurement: Measurement }
  | { kind: 'none' };

/**
 * A short hash (FNV-1a, 8 hex digits) of a spec's layers and training settings, so a figure is
 * shown only for the stack and settings it was measured with. scripts/bench.mjs computes the same.
 */
export function specFingerprint(spec: Pick<NetworkSpec, 'layers' | 'training'>): string {
  const text = JSON.stringify({ layers: spec.layers, training: spec.training });
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, '0');
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isText = (v: unknown): v is string => typeof v === 'string';

/** Keeps the well-formed entries of a measurements file (a list); anything else is dropped, never thrown. */
export function readMeasurements(json: unknown): Measurement[] {
  if (!Array.isArray(json)) return [];
  return json.filter((m): m is Measurement => {
    if (typeof m !== 'object' || m === null) return false;
    const r = m as Record<string, unknown>;
    return isText(r.preset) && isNum(r.testAccuracy) && r.testAccuracy >= 0 && r.testAccuracy <= 1 && isNum(r.trainingSeconds) &&
      isNum(r.epochs) && isNum(r.batchSize) && isText(r.backend) && (r.threads === null || isNum(r.threads)) &&
      isText(r.measuredAt) && isText(r.machine) && isText(r.fingerprint);
  });
}

/** The shipped measurements, read once. */
export const MEASUREMENTS: readonly Measurement[] = readMeasurements(measurementsJson);

/** The latest measurement of preset `id`, and whether it was taken on `spec` as it is now. */
export function measurementOf(id: string, spec: NetworkSpec, list: readonly Measurement[] = MEASUREMENTS): MeasurementStatus {
  const mine = list.filter((m) => m.preset === id).sort((a, b) => b.measuredAt.localeCompare(a.measuredAt));
  const current = mine.find((m) => m.fingerprint === specFingerprint(spec));
  if (current) return { kind: 'measured', measurement: current };
  return mine[0] ? { kind: 'outdated', measurement: mine[0] } : { kind: 'none' };
}
