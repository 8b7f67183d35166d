/** Test data for the kernel tests: deterministic values, so a failure reproduces. */

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
