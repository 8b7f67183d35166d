import { describe, expect, it } from 'vitest';
import { digitStrip, greyBmp } from '../../src/views/bmp';

/** Reads a BMP written by greyBmp back into grey levels, following its own header fields. */
function readBmp(bytes: Uint8Array): { width: number; height: number; pixels: number[] } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const offset = view.getUint32(10, true);
  const width = view.getInt32(18, true);
  const rawHeight = view.getInt32(22, true);
  const height = Math.abs(rawHeight);
  const rowBytes = Math.ceil((width * view.getUint16(28, true)) / 32) * 4;
  const palette = (g: number) => bytes[54 + g * 4 + 2]!; // the red byte of the entry
  const pixels: number[] = [];
  for (let y = 0; y < height; y++) {
    const stored = rawHeight < 0 ? y : height - 1 - y;
    for (let x = 0; x < width; x++) pixels.push(palette(bytes[offset + stored * rowBytes + x]!));
  }
  return { width, height, pixels };
}

describe('greyBmp', () => {
  it('writes a BMP header whose sizes match the file', () => {
    const bytes = greyBmp(new Uint8Array(6), 3, 2);
    expect(String.fromCharCode(bytes[0]!, bytes[1]!)).toBe('BM');
    const view = new DataView(bytes.buffer);
    expect(view.getUint32(2, true)).toBe(bytes.length);
    expect(view.getUint16(26, true)).toBe(1);
    expect(view.getUint16(28, true)).toBe(8);
    // 3 pixels a row pad to 4 bytes, 2 rows, after 54 header bytes and a 256-entry palette.
    expect(bytes.length).toBe(54 + 1024 + 2 * 4);
  });

  it('stores every pixel where a reader finds it (rows padded, top row first)', () => {
    const pixels = Array.from({ length: 5 * 3 }, (_, i) => i * 17);
    const back = readBmp(greyBmp(pixels, 5, 3));
    expect(back.width).toBe(5);
    expect(back.height).toBe(3);
    expect(back.pixels).toEqual(pixels);
  });

  it('rejects bad sizes and short pixel arrays', () => {
    expect(() => greyBmp(new Uint8Array(4), 0, 4)).toThrow(/bad size/);
    expect(() => greyBmp(new Uint8Array(3), 2, 2)).toThrow(/expected 4 pixels/);
  });
});

describe('digitStrip', () => {
  it('puts digit i in columns 28i..28i+27 of every row', () => {
    const a = Uint8Array.from({ length: 784 }, (_, i) => i % 251);
    const b = Uint8Array.from({ length: 784 }, (_, i) => 255 - (i % 200));
    const strip = digitStrip([a, b]);
    expect(strip.length).toBe(2 * 784);
    for (const [y, x] of [[0, 0], [5, 27], [27, 13]] as const) {
      expect(strip[y * 56 + x]).toBe(a[y * 28 + x]);
      expect(strip[y * 56 + 28 + x]).toBe(b[y * 28 + x]);
    }
  });

  it('rejects a digit with too few pixels', () => {
    expect(() => digitStrip([new Uint8Array(784), new Uint8Array(10)])).toThrow(/digit 1 has 10 pixels/);
  });
});
