import { describe, expect, it } from 'vitest';
import { augmentInto, drawTransform, isAugmentOff, SIDE, transformInto } from '../../src/data/augment';

const at = (x: number, y: number) => y * SIDE + x;

/** A 28x28 byte image with the given pixels set to 255. */
function image(points: Array<[number, number]>): Uint8Array {
  const img = new Uint8Array(SIDE * SIDE);
  for (const [x, y] of points) img[at(x, y)] = 255;
  return img;
}

/** A seeded stand-in for the run's generator (mulberry32, as src/train/random.ts). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x100000000;
  };
}

function noisyDigit(seed: number): Uint8Array {
  const r = rng(seed);
  return Uint8Array.from({ length: SIDE * SIDE }, () => Math.floor(r() * 256));
}

describe('augmentInto', () => {
  it('is the identity (x/255) at shift 0 and rotation 0, drawing three numbers all the same', () => {
    const src = noisyDigit(3);
    const dst = new Float32Array(SIDE * SIDE);
    let draws = 0;
    augmentInto(src, dst, { shift: 0, rotation: 0 }, () => (draws++, 0.7));
    expect(Array.from(dst)).toEqual(Array.from(src, (v) => Math.fround(v / 255)));
    expect(draws).toBe(3);
  });

  it('keeps float sources in [0, 1] as they are', () => {
    const src = Float32Array.from(noisyDigit(4), (v) => v / 255);
    const dst = new Float32Array(SIDE * SIDE);
    augmentInto(src, dst, { shift: 0, rotation: 0 }, () => 0.5);
    expect(dst).toEqual(src);
  });

  it('moves a pixel by exactly the drawn shift, with zeros where the image came from outside', () => {
    const dst = new Float32Array(SIDE * SIDE);
    transformInto(image([[10, 12]]), dst, { dx: 3, dy: -2, angle: 0 });
    expect(dst[at(13, 10)]).toBe(1);
    expect(dst.reduce((a, b) => a + b, 0)).toBe(1);
    // A full image shifted right by 4 leaves four empty columns on the left.
    const full = new Uint8Array(SIDE * SIDE).fill(255);
    transformInto(full, dst, { dx: 4, dy: 0, angle: 0 });
    for (let y = 0; y < SIDE; y++) {
      expect(Array.from(dst.subarray(at(0, y), at(0, y) + 5))).toEqual([0, 0, 0, 0, 1]);
    }
  });

  it('draws shifts among the whole numbers -shift..shift, both ends included', () => {
    const settings = { shift: 2, rotation: 0 };
    const low = drawTransform(settings, () => 0);
    const high = drawTransform(settings, () => 0.999999);
    expect([low.dx, low.dy, high.dx, high.dy]).toEqual([-2, -2, 2, 2]);
    const src = image([[14, 14]]);
    const dst = new Float32Array(SIDE * SIDE);
    augmentInto(src, dst, settings, () => 0.999999);
    expect(dst[at(16, 16)]).toBe(1);
  });

  it('turns a symmetric pattern by 90 degrees about the centre', () => {
    // A horizontal bar through the middle rows becomes a vertical bar through the middle columns.
    const bar: Array<[number, number]> = [];
    for (let x = 4; x < 24; x++) bar.push([x, 13], [x, 14]);
    const dst = new Float32Array(SIDE * SIDE);
    transformInto(image(bar), dst, { dx: 0, dy: 0, angle: Math.PI / 2 });
    const expected = new Float32Array(SIDE * SIDE);
    for (let y = 4; y < 24; y++) expected[at(13, y)] = expected[at(14, y)] = 1;
    for (let i = 0; i < dst.length; i++) expect(dst[i]).toBeCloseTo(expected[i], 5);
    // A clockwise quarter turn on screen takes the top-left corner to the top-right.
    transformInto(image([[0, 0]]), dst, { dx: 0, dy: 0, angle: Math.PI / 2 });
    expect(dst[at(27, 0)]).toBeCloseTo(1, 5);
  });

  it('gives the same images for the same seed and different ones for another', () => {
    const src = noisyDigit(5);
    const settings = { shift: 3, rotation: 25 };
    const run = (seed: number) => {
      const r = rng(seed);
      const out = new Float32Array(SIDE * SIDE * 4);
      for (let i = 0; i < 4; i++) augmentInto(src, out, settings, r, 0, i * SIDE * SIDE);
      return out;
    };
    expect(run(1)).toEqual(run(1));
    expect(run(1)).not.toEqual(run(2));
  });

  it('keeps every output in [0, 1] and finite', () => {
    const r = rng(9);
    const dst = new Float32Array(SIDE * SIDE);
    let [min, max] = [Infinity, -Infinity];
    for (let k = 0; k < 200; k++) {
      augmentInto(noisyDigit(k), dst, { shift: 4, rotation: 30 }, r);
      for (const v of dst) [min, max] = [Math.min(min, v), Math.max(max, v)];
    }
    expect(min).toBe(0);
    expect(max).toBeLessThanOrEqual(1);
    expect(max).toBeGreaterThan(0.9);
  });

  it('refuses buffers too short for the offsets', () => {
    expect(() => augmentInto(new Uint8Array(784), new Float32Array(784), { shift: 1, rotation: 0 }, () => 0.5, 0, 1)).toThrow(
      'transformInto: needs 784 pixels from offset 0 and to offset 1',
    );
  });

  it('is off only when both settings are zero', () => {
    expect(isAugmentOff({ shift: 0, rotation: 0 })).toBe(true);
    expect(isAugmentOff(undefined)).toBe(true);
    expect(isAugmentOff({ shift: 1, rotation: 0 })).toBe(false);
    expect(isAugmentOff({ shift: 0, rotation: 0.5 })).toBe(false);
  });
});
