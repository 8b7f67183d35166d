/**
 * Metric history as CSV (RFC 4180: comma separated, CRLF line ends, fields with commas, quotes or
 * line breaks quoted with inner quotes doubled). Text cells that a spreadsheet would run as a
 * formula (starting with =, +, -, @, tab or carriage return; OWASP's list) get a leading `'`, so a
 * run named `=HYPERLINK(...)` stays text. Pure; the protocol types are imported as types only.
 */
import type { BatchPoint, EpochPoint } from '../../train/protocol';

/** One cell: text is escaped, numbers are written in full; non-finite numbers and null are left empty. */
export type CsvCell = string | number | null;

/** Starts that make a spreadsheet evaluate a cell as a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One field, escaped: formula starts defused (text only), then RFC 4180 quoting where needed. */
export function csvField(value: CsvCell): string {
  if (value === null) return '';
  if (typeof value === 'number') {
    // NaN (no validation split) and infinities (a diverged run) would read as text or a formula.
    return Number.isFinite(value) ? String(value) : '';
  }
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A whole CSV document: the header, then one line per row, each line ended by CRLF. */
export function toCsv(header: readonly string[], rows: ReadonlyArray<readonly CsvCell[]>): string {
  return [header, ...rows].map((row) => `${row.map(csvField).join(',')}\r\n`).join('');
}

/** The columns of a metric history CSV. */
export const METRIC_COLUMNS = [
  'run', 'kind', 'step', 'epoch', 'examples_seen', 'elapsed_ms', 'loss', 'accuracy', 'val_loss', 'val_accuracy',
] as const;

/** What a run recorded: a point per training batch and one per finished epoch. */
export interface MetricHistory {
  batches: readonly BatchPoint[];
  epochs: readonly EpochPoint[];
}

/**
 * A run's metric history as one CSV: `batch` rows (the batch's training loss and accuracy) and
 * `epoch` rows (the epoch's mean training figures and its validation figures), in the order
 * they happened, by examples seen (an epoch row follows the batch that ended it).
 */
export function metricHistoryCsv(history: MetricHistory, runName = ''): string {
  const batchRows = history.batches.map((b): [number, CsvCell[]] => [
    b.examplesSeen, [runName, 'batch', b.step, null, b.examplesSeen, b.elapsedMs, b.loss, b.accuracy, null, null],
  ]);
  const epochRows = history.epochs.map((e): [number, CsvCell[]] => [
    e.examplesSeen, [runName, 'epoch', null, e.epoch, e.examplesSeen, e.elapsedMs, e.trainLoss, e.trainAccuracy, e.valLoss, e.valAccuracy],
  ]);
  // Merge by examples seen; on a tie the batch row comes first (the sort is stable).
  const rows = [...batchRows, ...epochRows].sort((a, b) => a[0] - b[0]).map(([, row]) => row);
  return toCsv(METRIC_COLUMNS, rows);
}
