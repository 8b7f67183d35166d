/**
 * Parsers for the IDX format MNIST ships in (big-endian header, then unsigned bytes).
 * Pure and synchronous: no DOM, no tfjs, no I/O, so the worker and Node tests share it.
 * Every error names the file and says what was found and what was expected.
 */

/** Magic number of an IDX file of unsigned bytes with 3 dimensions (images). */
export const IDX_IMAGES_MAGIC = 2051;
/** Magic number of an IDX file of unsigned bytes with 1 dimension (labels). */
export const IDX_LABELS_MAGIC = 2049;

/** A malformed IDX file; the message names the file and the problem. */
export class IdxError extends Error {
  override name = 'IdxError';
}

/** Images decoded from an IDX3 file; `pixels` is count*rows*cols grey levels, row major. */
export interface IdxImages {
  count: number;
  rows: number;
  cols: number;
  pixels: Uint8Array;
}

/** Labels decoded from an IDX1 file. */
export interface IdxLabels {
  count: number;
  labels: Uint8Array;
}

/** Expected image size; MNIST is 28x28. */
export interface ImageSize {
  rows: number;
  cols: number;
}

const IMAGES_HEADER = 16; // magic, count, rows, cols: four uint32
const LABELS_HEADER = 8; // magic, count

function asBytes(buf: ArrayBuffer | Uint8Array): Uint8Array {
  return buf instanceof Uint8Array ? buf : new Uint8Array(buf);
}

/** Says what a magic number means, so a swapped file reads as "a label file", not "2049". */
function describeMagic(magic: number): string {
  if (magic === IDX_IMAGES_MAGIC) return 'an image file';
  if (magic === IDX_LABELS_MAGIC) return 'a label file';
  // Bytes 0-1 are zero, byte 2 is the element type (0x08 = ubyte), byte 3 the dimension count.
  if (magic >>> 16 === 0 && ((magic >>> 8) & 0xff) === 0x08) {
    return `an unsigned-byte IDX file with ${magic & 0xff} dimensions`;
  }
  if (magic >>> 16 === 0x1f8b) return 'gzip data that was not decompressed';
  if (magic >>> 24 === 0x3c) return 'text starting with "<" (an HTML page?), not an IDX file';
  return 'not an unsigned-byte IDX file';
}

function readHeader(bytes: Uint8Array, name: string, headerBytes: number, expectedMagic: number, what: string): DataView {
  const short = () =>
    new IdxError(`${name}: file is ${bytes.byteLength} bytes, shorter than the ${headerBytes}-byte IDX ${what} header`);
  if (bytes.byteLength < 4) throw short();
  // The magic number comes first: "a label file" explains a short header better than its length.
  const magic = new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, false);
  if (magic !== expectedMagic) {
    throw new IdxError(
      `${name}: magic number ${magic} means ${describeMagic(magic)}; expected ${expectedMagic} (${what})`,
    );
  }
  if (bytes.byteLength < headerBytes) throw short();
  return new DataView(bytes.buffer, bytes.byteOffset, headerBytes);
}

function checkLength(bytes: Uint8Array, name: string, expected: number, declared: string): void {
  if (bytes.byteLength === expected) return;
  const problem = bytes.byteLength < expected ? 'it is truncated' : 'it has trailing bytes';
  throw new IdxError(
    `${name}: header declares ${declared}, so the file should be ${expected} bytes, but it is ${bytes.byteLength}; ${problem}`,
  );
}

/**
 * Parses an IDX3 image file (magic 2051) and checks its size against `expected` (28x28 unless
 * given; pass null to accept any size); `pixels` is a view into `buf` without the header.
 */
export function parseIdxImages(
  buf: ArrayBuffer | Uint8Array,
  name: string,
  expected: ImageSize | null = { rows: 28, cols: 28 },
): IdxImages {
  const bytes = asBytes(buf);
  const view = readHeader(bytes, name, IMAGES_HEADER, IDX_IMAGES_MAGIC, 'images');
  const count = view.getUint32(4, false);
  const rows = view.getUint32(8, false);
  const cols = view.getUint32(12, false);
  if (expected && (rows !== expected.rows || cols !== expected.cols)) {
    throw new IdxError(`${name}: images are ${rows}x${cols} pixels; expected ${expected.rows}x${expected.cols}`);
  }
  const pixelBytes = count * rows * cols;
  checkLength(bytes, name, IMAGES_HEADER + pixelBytes, `${count} images of ${rows}x${cols}`);
  return { count, rows, cols, pixels: bytes.subarray(IMAGES_HEADER) };
}

/**
 * Parses an IDX1 label file (magic 2049) and checks every label is in 0..classes-1;
 * `labels` is a view into `buf` without the header.
 */
export function parseIdxLabels(buf: ArrayBuffer | Uint8Array, name: string, classes = 10): IdxLabels {
  const bytes = asBytes(buf);
  const view = readHeader(bytes, name, LABELS_HEADER, IDX_LABELS_MAGIC, 'labels');
  const count = view.getUint32(4, false);
  checkLength(bytes, name, LABELS_HEADER + count, `${count} labels`);
  const labels = bytes.subarray(LABELS_HEADER);
  for (let i = 0; i < count; i++) {
    if (labels[i] >= classes) {
      throw new IdxError(`${name}: label ${labels[i]} at index ${i} is outside 0..${classes - 1}`);
    }
  }
  return { count, labels };
}
