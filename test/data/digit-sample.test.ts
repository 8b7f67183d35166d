import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { fetchFirstDigits, readFirstDigits } from '../../src/data/digit-sample';

/** An IDX3 file of `count` 28x28 images where image i is filled with the value i. */
function idx(count: number, magic = 2051): Uint8Array {
  const bytes = new Uint8Array(16 + count * 784);
  const view = new DataView(bytes.buffer);
  [magic, count, 28, 28].forEach((v, i) => view.setUint32(i * 4, v, false));
  for (let i = 0; i < count; i++) bytes.fill(i, 16 + i * 784, 16 + (i + 1) * 784);
  return bytes;
}

/** A stream that hands out `bytes` in chunks of `size`, counting how many chunks were pulled. */
function chunked(bytes: Uint8Array, size: number): { stream: ReadableStream<Uint8Array>; pulled: () => number } {
  let at = 0;
  let pulls = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.byteLength) return controller.close();
      pulls += 1;
      controller.enqueue(bytes.slice(at, at + size));
      at += size;
    },
  });
  return { stream, pulled: () => pulls };
}

describe('readFirstDigits', () => {
  it('reads the first images of a raw IDX file and stops reading early', async () => {
    const { stream, pulled } = chunked(idx(200), 1000);
    const digits = await readFirstDigits(stream, 3);
    expect(digits.map((d) => [d.length, d[0], d[783]])).toEqual([[784, 0, 0], [784, 1, 1], [784, 2, 2]]);
    expect(pulled()).toBeLessThan(10);
  });

  it('decompresses gzip data, whatever the chunk size', async () => {
    for (const size of [1, 7, 4096]) {
      const digits = await readFirstDigits(chunked(gzipSync(idx(20)), size).stream, 16);
      expect(digits.map((d) => d[400])).toEqual(Array.from({ length: 16 }, (_, i) => i));
    }
  });

  it('returns fewer images when the file holds fewer', async () => {
    expect(await readFirstDigits(chunked(idx(2), 64).stream, 16)).toHaveLength(2);
  });

  it('refuses other files with a sentence', async () => {
    await expect(readFirstDigits(chunked(idx(2, 2049), 64).stream, 1)).rejects.toThrow('the file is not a 28x28 MNIST image file');
    await expect(readFirstDigits(chunked(new TextEncoder().encode('<!doctype html><html></html>'), 64).stream, 1)).rejects.toThrow(
      'the file is not a 28x28 MNIST image file',
    );
    await expect(readFirstDigits(chunked(new Uint8Array(0), 64).stream, 1)).rejects.toThrow('the image file is empty');
  });

  it('reports a failed download', async () => {
    const notFound = async () => new Response('missing', { status: 404 });
    await expect(fetchFirstDigits('/data/mnist/test-images.idx3.gz', 4, notFound)).rejects.toThrow('/data/mnist/test-images.idx3.gz answered 404');
  });
});
