import { describe, expect, it } from 'vitest';
import { centerOfMass, inkBox, preprocessDrawing, resampleArea } from '../../src/data/preprocess';

/** A W x H canvas of zeros with filled rectangles [x0, y0, x1, y1) at full ink. */
function canvas(w: number, h: number, rects: [number, number, number, number][]): Uint8Array {
  const img = new Uint8Array(w * h);
  for (const [x0, y0, x1, y1] of rects) for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) img[y * w + x] = 255;
  return img;
}

describe('inkBox', () => {
  it('finds the tight box of the ink and null for an empty drawing', () => {
    expect(inkBox(canvas(10, 10, [[2, 3, 5, 9]]), 10, 10)).toEqual({ x0: 2, y0: 3, x1: 5, y1: 9 });
    expect(inkBox(new Uint8Array(100), 10, 10)).toBeNull();
  });
});

describe('resampleArea', () => {
  it('averages areas exactly, including fractional coverage', () => {
    // A 4x1 row [0, 255, 255, 0] to 2 pixels: each output covers one dark and one bright cell.
    const row = Uint8Array.from([0, 255, 255, 0]);
    expect(Array.from(resampleArea(row, 4, { x0: 0, y0: 0, x1: 4, y1: 1 }, 2, 1))).toEqual([127.5, 127.5]);
    // 3 -> 2 pixels: the middle cell is split half and half.
    const three = Uint8Array.from([0, 90, 180]);
    const out = resampleArea(three, 3, { x0: 0, y0: 0, x1: 3, y1: 1 }, 2, 1);
    expect(out[0]).toBeCloseTo((0 * 1 + 90 * 0.5) / 1.5, 5);
    expect(out[1]).toBeCloseTo((90 * 0.5 + 180 * 1) / 1.5, 5);
  });

  it('keeps the mean intensity when scaling up', () => {
    const img = canvas(2, 2, [[0, 0, 1, 1]]);
    const out = resampleArea(img, 2, { x0: 0, y0: 0, x1: 2, y1: 2 }, 4, 4);
    expect(out.reduce((a, b) => a + b, 0) / 16).toBeCloseTo(255 / 4, 5);
  });
});

describe('centerOfMass', () => {
  it('is the pixel centre of a single bright pixel', () => {
    expect(centerOfMass(canvas(5, 5, [[3, 1, 4, 2]]), 5, 5)).toEqual({ x: 3.5, y: 1.5 });
  });
});

describe('preprocessDrawing', () => {
  it('returns null when nothing is drawn', () => {
    expect(preprocessDrawing(new Uint8Array(280 * 280), 280, 280)).toBeNull();
  });

  it('scales a tall stroke to 20 pixels high keeping its aspect ratio, centred by mass', () => {
    // A 28x140 vertical bar in the top-left corner of a 280x280 pad: aspect 1:5.
    const p = preprocessDrawing(canvas(280, 280, [[10, 5, 38, 145]]), 280, 280)!;
    expect(p.box).toEqual({ x0: 10, y0: 5, x1: 38, y1: 145 });
    expect([p.scaledWidth, p.scaledHeight]).toEqual([4, 20]);
    expect(p.centerOfMass.x).toBeCloseTo(14, 5);
    expect(p.centerOfMass.y).toBeCloseTo(14, 5);
    // The bar is solid: 4 x 20 = 80 full-intensity pixels and nothing else.
    expect(p.image.filter((v) => v === 255).length).toBe(80);
    expect(p.image.filter((v) => v > 0).length).toBe(80);
  });

  it('scales a wide stroke to 20 pixels wide', () => {
    const p = preprocessDrawing(canvas(300, 200, [[100, 90, 200, 110]]), 300, 200)!;
    expect([p.scaledWidth, p.scaledHeight]).toEqual([20, 4]);
  });

  it('puts the centre of mass of an uneven shape at the centre, not the box centre', () => {
    // An "L": a heavy vertical bar plus a foot. Mass sits left of and below the box centre.
    const p = preprocessDrawing(canvas(100, 100, [[0, 0, 30, 100], [30, 80, 100, 100]]), 100, 100)!;
    expect(Math.abs(p.centerOfMass.x - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(p.centerOfMass.y - 14)).toBeLessThanOrEqual(0.5);
    const cols = Array.from({ length: 28 }, (_, x) => p.image.filter((_, i) => i % 28 === x && p.image[i] > 0).length);
    const first = cols.findIndex((c) => c > 0);
    const last = 27 - [...cols].reverse().findIndex((c) => c > 0);
    // Mass on the left pushes the 20-wide box right of centre: more room on its left.
    expect(first).toBeGreaterThan(27 - last);
  });

  it('keeps the 0-255 range and grey edges for strokes that do not fill whole pixels', () => {
    // Two bars whose edges fall mid-pixel after scaling by 0.1 (box 60 x 200 -> 6 x 20).
    const p = preprocessDrawing(canvas(280, 280, [[100, 40, 115, 240], [145, 40, 160, 240]]), 280, 280)!;
    expect(Math.max(...p.image)).toBe(255);
    expect(p.image.some((v) => v > 0 && v < 255)).toBe(true);
  });
});
