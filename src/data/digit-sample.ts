/**
 * Reads the first few images of an MNIST IDX image file without downloading or decompressing
 * the rest, for previews on the UI thread (which holds no MNIST in memory; the worker does).
 * Pure of tfjs and the DOM: only fetch, streams and DecompressionStream.
 */

/** Magic number of an IDX file of unsigned-byte images (3 dimensions). */
const IDX_IMAGES_MAGIC = 2051;
const HEADER_BYTES = 16;
const PIXELS = 28 * 28;

/** Reads bytes from `reader` until `wanted` have arrived (or the stream ends), then cancels the rest. */
async function readPrefix(reader: ReadableStreamDefaultReader<Uint8Array>, wanted: number, first?: Uint8Array): Promise<Uint8Array> {
  const out = new Uint8Array(wanted);
  let length = 0;
  const take = (chunk: Uint8Array) => {
    const n = Math.min(chunk.byteLength, wanted - length);
    out.set(chunk.subarray(0, n), length);
    length += n;
  };
  if (first) take(first);
  while (length < wanted) {
    const { done, value } = await reader.read();
    if (done) break;
    take(value);
  }
  // Stop the download and the decompression: the rest of the file is not needed.
  reader.cancel().catch(() => {});
  return out.subarray(0, length);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a);
  out.set(b, a.byteLength);
  return out;
}

/** Re-emits `first` and then the rest of `reader`, so a peeked chunk is not lost. */
function restream(first: Uint8Array, reader: ReadableStreamDefaultReader<Uint8Array>): ReadableStream<Uint8Array> {
  let sentFirst = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!sentFirst) {
        sentFirst = true;
        controller.enqueue(first);
        return;
      }
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

/**
 * Returns the first `count` 28x28 images (784 grey levels each, 0-255) of an IDX3 byte stream,
 * gzip-compressed or not (a dev server may have decoded it already); throws a sentence when the
 * stream is not an MNIST image file.
 */
export async function readFirstDigits(body: ReadableStream<Uint8Array>, count: number): Promise<Uint8Array[]> {
  let reader = body.getReader();
  // Peek at two bytes (gathering tiny chunks) to tell gzip from raw IDX.
  let value: Uint8Array = new Uint8Array(0);
  while (value.byteLength < 2) {
    const next = await reader.read();
    if (next.done) break;
    value = value.byteLength ? concat(value, next.value) : next.value;
  }
  if (value.byteLength < 2) throw new Error('the image file is empty');
  let first: Uint8Array | undefined = value;
  if (value[0] === 0x1f && value[1] === 0x8b) {
    const inflated = restream(value, reader).pipeThrough(new DecompressionStream('gzip') as unknown as ReadableWritablePair<Uint8Array, Uint8Array>);
    reader = inflated.getReader();
    first = undefined;
  }
  const bytes = await readPrefix(reader, HEADER_BYTES + count * PIXELS, first);
  if (bytes.byteLength < HEADER_BYTES) throw new Error('the image file is shorter than its header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
  const [magic, total, rows, cols] = [0, 4, 8, 12].map((at) => view.getUint32(at, false));
  if (magic !== IDX_IMAGES_MAGIC || rows !== 28 || cols !== 28) throw new Error('the file is not a 28x28 MNIST image file');
  const available = Math.min(count, total, Math.floor((bytes.byteLength - HEADER_BYTES) / PIXELS));
  return Array.from({ length: available }, (_, i) => bytes.slice(HEADER_BYTES + i * PIXELS, HEADER_BYTES + (i + 1) * PIXELS));
}

/** Fetches `url` (an MNIST IDX3 image file, gzip or not) and returns its first `count` images. */
export async function fetchFirstDigits(url: string, count: number, fetchFn: typeof fetch = (u, i) => fetch(u, i)): Promise<Uint8Array[]> {
  const response = await fetchFn(url);
  if (!response.ok || !response.body) throw new Error(`${url} answered ${response.status}`);
  return readFirstDigits(response.body, count);
}
