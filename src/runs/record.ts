/**
 * A kept run: what was trained (spec and settings, seed included), where (backend), how it went
 * (metric history, test report, duration, examples seen) and a short name. Pure data and pure
 * helpers: the store saves records through a repository, the panel lists their summaries.
 */
import type { NetworkSpec } from '../model/spec';
import { analyze } from '../model/shapes';
import type { BackendInfo, BatchPoint, EpochPoint, ProgressMessage, TestReport } from '../train/protocol';

/** Format version of stored records; a record of another version is ignored with a message. */
export const RUN_RECORD_VERSION = 1;

/** How a run ended. */
export type RunEnd = 'done' | 'stopped' | 'error';

/** The run's last progress figures (what the run panel shows): a progress message's figures plus the planned epochs. */
export type RunFigures = Omit<ProgressMessage, 'type' | 'runId' | 'points'> & { epochs: number };

/** One kept run; weights live next to it (see ModelCheckpoint), not inside it. */
export interface RunRecord {
  version: typeof RUN_RECORD_VERSION;
  id: string;
  name: string;
  /** True once a person renamed the run: its name then stays as given. */
  named: boolean;
  createdAt: number;
  updatedAt: number;
  spec: NetworkSpec;
  backend: BackendInfo | null;
  end: RunEnd;
  error: string | null;
  batches: BatchPoint[];
  epochs: EpochPoint[];
  report: TestReport | null;
  progress: RunFigures | null;
  /** Active training time (pauses excluded). */
  durationMs: number;
  examplesSeen: number;
  /** Whether weights and optimizer state are stored with the run. */
  hasModel: boolean;
}

/** What the list shows and compares without loading whole records. */
export interface RunSummary {
  id: string;
  name: string;
  named: boolean;
  createdAt: number;
  spec: NetworkSpec;
  backend: string | null;
  end: RunEnd;
  testAccuracy: number | null;
  testLoss: number | null;
  durationMs: number;
  examplesSeen: number;
  hasModel: boolean;
  /** Whether training can continue (a stopped run with its model and steps left). */
  resumable: boolean;
  /** Approximate bytes the run takes in storage, weights included. */
  bytes: number;
}

/** Steps done and steps planned, from the last figures; null before any progress. */
export function stepsOf(progress: RunFigures | null): { done: number; total: number } | null {
  if (!progress) return null;
  return { done: (progress.epoch - 1) * progress.batchesPerEpoch + progress.batch, total: progress.epochs * progress.batchesPerEpoch };
}

/** Whether a record's training can be continued. */
export function isResumable(record: Pick<RunRecord, 'end' | 'hasModel' | 'progress'>): boolean {
  const steps = stepsOf(record.progress);
  return record.end === 'stopped' && record.hasModel && steps !== null && steps.done < steps.total;
}

/** The list entry of a record. */
export function summarize(record: RunRecord, bytes: number): RunSummary {
  return {
    id: record.id, name: record.name, named: record.named, createdAt: record.createdAt, spec: record.spec,
    backend: record.backend?.name ?? null, end: record.end,
    testAccuracy: record.report?.accuracy ?? null, testLoss: record.report?.loss ?? null,
    durationMs: record.durationMs, examplesSeen: record.examplesSeen, hasModel: record.hasModel,
    resumable: isResumable(record), bytes,
  };
}

/** A learning rate the way people write it: 0.001 -> "1e-3", 0.0005 -> "5e-4", 0.1 -> "0.1". */
export function formatRate(rate: number): string {
  if (!Number.isFinite(rate) || rate <= 0) return String(rate);
  if (rate >= 0.1) return String(Number(rate.toPrecision(3)));
  return Number(rate.toPrecision(3)).toExponential();
}

/**
 * The auto name, e.g. "Seed CNN · 122k params · adam 1e-3 · 98.9%"; a run without a report says
 * how it ended. The parameter count tells apart runs of an edited stack that kept its name.
 */
export function autoName(spec: NetworkSpec, end: RunEnd, accuracy: number | null): string {
  const t = spec.training;
  const outcome = accuracy !== null && Number.isFinite(accuracy) ? `${(accuracy * 100).toFixed(1)}%` : end === 'error' ? 'failed' : 'no test yet';
  return `${spec.name || 'Untitled'} · ${formatParams(analyze(spec.layers).totalParams)} · ${t.optimizer} ${formatRate(t.learningRate)} · ${outcome}`;
}

/** A parameter count in a few characters: 930 -> "930 params", 60,554 -> "60.6k params", 121,930 -> "122k params". */
export function formatParams(count: number): string {
  if (count < 1000) return `${count} params`;
  if (count < 100_000) return `${(count / 1000).toFixed(1)}k params`;
  if (count < 1_000_000) return `${Math.round(count / 1000)}k params`;
  return `${(count / 1e6).toFixed(2)}M params`;
}

/** Approximate stored size: typed arrays by their bytes, everything else as JSON text. */
export function approximateBytes(value: unknown): number {
  let bytes = 0;
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (ArrayBuffer.isView(v)) {
      bytes += v.byteLength;
      return 0;
    }
    return v;
  });
  return bytes + (text?.length ?? 0);
}
