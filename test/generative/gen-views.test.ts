import { describe, expect, it } from 'vitest';
import { gridAgreement, gridText, scoreGeometry, tileDigits } from '../../src/views/gen-grid';

describe('Generations views', () => {
  it('tiles digits with gaps, each pixel in its cell', () => {
    const pixels = new Uint8Array(3 * 784);
    pixels[0] = 10; // digit 0, top-left
    pixels[784 + 27] = 20; // digit 1, top-right pixel
    pixels[2 * 784 + 27 * 28] = 30; // digit 2, bottom-left pixel
    const t = tileDigits(pixels, 3, 2, 1);
    expect([t.width, t.height]).toEqual([57, 57]);
    const at = (x: number, y: number) => t.rgba[(y * t.width + x) * 4];
    expect(at(0, 0)).toBe(10);
    expect(at(29 + 27, 0)).toBe(20);
    expect(at(0, 29 + 27)).toBe(30);
    expect(at(28, 0)).toBe(96); // the gap
    expect(() => tileDigits(new Uint8Array(10), 1, 1)).toThrow(/expected 784/);
  });

  it('says what the judge reads, row by row', () => {
    const judged = Array.from({ length: 20 }, (_, i) => (i === 3 ? 7 : Math.floor(i / 10)));
    const lines = gridText(judged, true);
    expect(lines[0]).toBe('row 0 (asked for 0): the judge reads 0 0 0 7 0 0 0 0 0 0');
    expect(lines).toHaveLength(2);
    expect(gridText(null, true)[0]).toMatch(/No judge/);
    expect(gridAgreement(judged)).toBeCloseTo(19 / 20, 10);
  });

  it('places the scores on their axes', () => {
    const g = scoreGeometry([{ epoch: 1, conditionalAccuracy: 1, mnistScore: 10 }, { epoch: 2, conditionalAccuracy: 0, mnistScore: 1 }], 420, 160);
    expect(g.accuracyDots[0].y).toBe(g.plot.top);
    expect(g.accuracyDots[1].y).toBe(g.plot.bottom);
    expect(g.scoreDots[0].y).toBe(g.plot.top);
    expect(g.scoreDots[1].x).toBe(g.plot.right);
    expect(scoreGeometry([{ epoch: 1, conditionalAccuracy: null, mnistScore: 5 }], 420, 160).accuracyPath).toBe('');
  });
});
