/**
 * Reads the weight values out of already-checked weight files, without tfjs: each weight is cut
 * from its group's files (a weight may straddle two shards), dequantized when tfjs stored it as
 * uint8, uint16 or float16, and keyed by the name the app's own model gives it. The worker can
 * then build the spec with buildModel and set these values, which works even for topologies
 * tfjs itself cannot read (Keras 3 configs). Pure.
 */
import { showValue } from '../limits';
import type { CheckedModelFiles, ManifestWeight } from './model-files';
import type { ExpectedWeight } from './weights';

/** Weight values by the app's weight name (e.g. `s0_conv2d/kernel`), in row-major order. */
export type WeightValues = Map<string, Float32Array>;

/** Decodes one IEEE half-precision number. */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

/** Decodes one weight's bytes (little-endian, as tfjs writes them) into float32 values. */
function decode(bytes: Uint8Array, weight: ManifestWeight): Float32Array {
  const quant = weight.quantization ?? { scale: 1, min: 0 };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dtype = weight.quantization?.dtype ?? 'float32';
  const size = weight.byteLength / (dtype === 'float32' ? 4 : dtype === 'uint8' ? 1 : 2);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    if (dtype === 'float32') out[i] = view.getFloat32(i * 4, true);
    else if (dtype === 'uint8') out[i] = view.getUint8(i) * quant.scale + quant.min;
    else if (dtype === 'uint16') out[i] = view.getUint16(i * 2, true) * quant.scale + quant.min;
    else out[i] = halfToFloat(view.getUint16(i * 2, true));
  }
  return out;
}

/**
 * Cuts every expected weight out of the files' bytes (`data` maps each file name to its
 * contents). Refuses when a file is missing or its size changed since checkModelFiles saw it.
 */
export function readWeightValues(
  files: CheckedModelFiles,
  data: ReadonlyMap<string, ArrayBuffer>,
  expected: readonly ExpectedWeight[],
): { ok: true; values: WeightValues } | { ok: false; message: string } {
  const wanted = new Map(expected.map((e) => [e.name, e]));
  const values: WeightValues = new Map();
  for (const group of files.groups) {
    const buffers = group.files.map((f) => data.get(f));
    const missing = group.files.find((_f, i) => !buffers[i]);
    if (missing) return { ok: false, message: `the contents of ${showValue(missing)} were not read` };
    const total = buffers.reduce((n, b) => n + b!.byteLength, 0);
    const declared = group.weights.reduce((n, w) => n + w.byteLength, 0);
    if (total !== declared) return { ok: false, message: `the weight files changed size since they were checked (${total} bytes, not ${declared})` };
    // One copy of the group, so a weight that straddles two shards reads as one run of bytes.
    const joined = new Uint8Array(total);
    let at = 0;
    for (const b of buffers) {
      joined.set(new Uint8Array(b!), at);
      at += b!.byteLength;
    }
    let offset = 0;
    for (const w of group.weights) {
      const e = wanted.get(w.name);
      if (e) values.set(e.specName, decode(joined.subarray(offset, offset + w.byteLength), w));
      offset += w.byteLength;
    }
  }
  const absent = expected.find((e) => !values.has(e.specName));
  if (absent) return { ok: false, message: `the weight files have no ${showValue(absent.name)}` };
  return { ok: true, values };
}
