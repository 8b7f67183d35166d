/**
 * What the kernel tests share: deterministic test data (so a failure reproduces) and the error
 * measure they compare wasm results with the cpu backend's by.
 */

/** `n` uniform values in [-1, 1) from `seed` (mulberry32). */
export function random(n: number, seed: number): Float32Array {
  let a = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    out[i] = ((t ^ (t >>> 14)) >>> 0) / 2 ** 31 - 1;
  }
  return out;
}

/** The number of elements of a tensor of this shape. */
export const size = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

/** max |got - want| / max |want|; throws when the lengths differ (a wrong output shape). */
export function relativeError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  if (got.length !== want.length) throw new Error(`expected ${want.length} values, got ${got.length}`);
  let scale = 0;
  let diff = 0;
  for (let i = 0; i < want.length; i++) {
    scale = Math.max(scale, Math.abs(want[i]!));
    diff = Math.max(diff, Math.abs(got[i]! - want[i]!));
  }
  return diff / scale;
}
