/**
 * Confusion matrix figures (pure): totals, row-normalised rates, cell colours, top confusions.
 * Input is row major, row = true class, column = predicted class, as in `TestReport.confusion`.
 */
import { diagonalColor, errorColor, inkFor } from './color';

/** One off-diagonal cell: how often `trueClass` was predicted as `predicted`. */
export interface TopConfusion {
  trueClass: number;
  predicted: number;
  count: number;
  /** Share of the true class's examples, 0..1. */
  rate: number;
}

/** Everything a view needs to draw one matrix cell. */
export interface ConfusionCell extends TopConfusion {
  diagonal: boolean;
  /** Background colour; 'transparent' for an empty cell so the theme's background shows. */
  fill: string;
  /** Text colour readable on `fill`; undefined means the theme's foreground. */
  ink?: string;
}

/** Side length of a square matrix given row major counts; throws when not square. */
export function matrixSize(confusion: readonly number[]): number {
  const size = Math.round(Math.sqrt(confusion.length));
  if (size * size !== confusion.length) {
    throw new Error(`confusion matrix: ${confusion.length} counts is not a square matrix`);
  }
  return size;
}

/** Sum of each row: how many examples of each true class were seen. */
export function rowTotals(confusion: readonly number[]): number[] {
  const size = matrixSize(confusion);
  const totals = new Array<number>(size).fill(0);
  confusion.forEach((count, i) => (totals[Math.floor(i / size)] += count));
  return totals;
}

/** Row-normalised rates, row major; an empty row gives 0s rather than NaN so colours stay defined. */
export function rowRates(confusion: readonly number[]): number[] {
  const size = matrixSize(confusion);
  const totals = rowTotals(confusion);
  return confusion.map((count, i) => {
    const total = totals[Math.floor(i / size)];
    return total > 0 ? count / total : 0;
  });
}

/** Accuracy per true class (diagonal over row total); NaN for a class with no examples. */
export function classAccuracy(confusion: readonly number[]): number[] {
  const size = matrixSize(confusion);
  return rowTotals(confusion).map((total, r) => (total > 0 ? confusion[r * size + r] / total : NaN));
}

/** The `n` largest off-diagonal cells by count (ties: higher rate, then lower classes first). */
export function topConfusions(confusion: readonly number[], n = 3): TopConfusion[] {
  const size = matrixSize(confusion);
  const rates = rowRates(confusion);
  const cells: TopConfusion[] = [];
  confusion.forEach((count, i) => {
    const trueClass = Math.floor(i / size);
    const predicted = i % size;
    if (trueClass !== predicted && count > 0) cells.push({ trueClass, predicted, count, rate: rates[i] });
  });
  cells.sort(
    (a, b) =>
      b.count - a.count || b.rate - a.rate || a.trueClass - b.trueClass || a.predicted - b.predicted,
  );
  return cells.slice(0, n);
}

/**
 * Cells with colours, row major. The diagonal is coloured by its rate on a blue ramp; mistakes
 * use a separate red ramp scaled by sqrt(rate / largest mistake rate), because mistake rates are
 * ~1% and would all look blank on the same 0..1 ramp as the diagonal.
 */
export function confusionCells(confusion: readonly number[]): ConfusionCell[] {
  const size = matrixSize(confusion);
  const rates = rowRates(confusion);
  const maxError = Math.max(0, ...rates.filter((_, i) => Math.floor(i / size) !== i % size));
  return confusion.map((count, i) => {
    const trueClass = Math.floor(i / size);
    const predicted = i % size;
    const rate = rates[i];
    const diagonal = trueClass === predicted;
    const cell: ConfusionCell = { trueClass, predicted, count, rate, diagonal, fill: 'transparent' };
    if (count <= 0) return cell;
    const t = diagonal ? rate : Math.sqrt(rate / maxError);
    return { ...cell, fill: (diagonal ? diagonalColor : errorColor)(t), ink: inkFor(t) };
  });
}
