/**
 * A small seeded PRNG and a Fisher-Yates shuffle. Pure: no DOM, no tfjs, so the split and the
 * epoch order are reproducible in Node tests, in the worker and across browsers.
 */

/** A source of uniform floats in [0, 1). */
export type Rng = () => number;

/**
 * Mixes any number into a well-scrambled uint32 (the murmur3 finaliser), so that nearby seeds
 * such as 1 and 2 start unrelated streams.
 */
function scramble(x: number): number {
  let h = x >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Turns a seed (any finite number; fractions and negatives included) into a uint32. */
function seedToUint32(seed: number): number {
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  // Fold the fractional part and values past 2^32 in, so 1.5 and 1 give different streams.
  const whole = Math.floor(seed);
  const frac = Math.floor((seed - whole) * 0x100000000);
  const high = Math.floor(whole / 0x100000000);
  return scramble((whole >>> 0) ^ scramble(frac ^ scramble(high)));
}

/** Derives an independent seed from a seed and a salt (e.g. an epoch number or a stream tag). */
export function mixSeed(seed: number, salt: number): number {
  return scramble(seedToUint32(seed) ^ Math.imul(seedToUint32(salt) + 0x9e3779b9, 0x27d4eb2d));
}

/** Creates a seeded PRNG (mulberry32) returning floats in [0, 1); the same seed gives the same stream. */
export function createRng(seed: number): Rng {
  let state = seedToUint32(seed);
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x100000000;
  };
}

/** Shuffles `array` in place with Fisher-Yates driven by `rng`, and returns it. */
export function shuffleInPlace<T extends Uint32Array | number[]>(array: T, rng: Rng): T {
  for (let i = array.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const tmp = array[i];
    array[i] = array[j];
    array[j] = tmp;
  }
  return array;
}
