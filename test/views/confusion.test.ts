import { describe, expect, it } from 'vitest';
import { diagonalColor, errorColor } from '../../src/views/color';
import {
  classAccuracy,
  confusionCells,
  matrixSize,
  rowRates,
  rowTotals,
  topConfusions,
} from '../../src/views/confusion';

/** A 10x10 matrix with 90 correct per class plus a few named mistakes. */
function matrix(mistakes: [number, number, number][]): number[] {
  const m = new Array<number>(100).fill(0);
  for (let c = 0; c < 10; c++) m[c * 10 + c] = 90;
  for (const [t, p, n] of mistakes) m[t * 10 + p] += n;
  return m;
}

describe('confusion helpers', () => {
  const m = matrix([
    [4, 9, 10],
    [7, 2, 6],
    [3, 5, 6],
    [9, 4, 1],
  ]);

  it('infers the size and rejects non-square input', () => {
    expect(matrixSize(m)).toBe(10);
    expect(() => matrixSize([1, 2, 3])).toThrow(/not a square/);
  });

  it('sums rows', () => {
    const totals = rowTotals(m);
    expect(totals[4]).toBe(100);
    expect(totals[0]).toBe(90);
  });

  it('normalises rows, with 0 for an empty row', () => {
    const rates = rowRates(m);
    expect(rates[4 * 10 + 9]).toBeCloseTo(0.1, 12);
    expect(rates[4 * 10 + 4]).toBeCloseTo(0.9, 12);
    const empty = new Array<number>(100).fill(0);
    expect(rowRates(empty).every((r) => r === 0)).toBe(true);
    expect(classAccuracy(empty)[0]).toBeNaN();
  });

  it('computes per-class accuracy', () => {
    const acc = classAccuracy(m);
    expect(acc[0]).toBe(1);
    expect(acc[4]).toBeCloseTo(0.9, 12);
  });

  it('sorts top confusions by count, then by rate', () => {
    const m2 = matrix([
      [4, 9, 10],
      [7, 2, 6],
      [3, 5, 6],
      [9, 4, 1],
    ]);
    m2[3 * 10 + 3] = 200; // class 3 has more examples, so its 6 mistakes are a lower rate than 7 -> 2
    expect(topConfusions(m2).map((c) => [c.trueClass, c.predicted, c.count])).toEqual([
      [4, 9, 10],
      [7, 2, 6],
      [3, 5, 6],
    ]);
    expect(topConfusions(m2, 10)).toHaveLength(4);
    expect(topConfusions(matrix([]))).toEqual([]);
  });

  it('colours the diagonal and the mistakes on separate ramps, empty cells transparent', () => {
    const cells = confusionCells(m);
    expect(cells).toHaveLength(100);
    const worst = cells[4 * 10 + 9];
    expect(worst).toMatchObject({ trueClass: 4, predicted: 9, count: 10, diagonal: false });
    // The largest mistake takes the darkest error colour.
    expect(worst.fill).toBe(errorColor(1));
    expect(cells[0].fill).toBe(diagonalColor(1));
    expect(cells[1].fill).toBe('transparent');
    expect(cells[1].ink).toBeUndefined();
  });
});
