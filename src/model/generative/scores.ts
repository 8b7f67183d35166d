/**
 * How a judge classifier scores generated digits. Pure maths on probability arrays, so the
 * worker and the tests share it.
 *
 * - Conditional accuracy: the share of samples asked for digit k that the judge reads as k
 *   (its argmax).
 * - MNIST score: the inception score with an MNIST judge, exp(mean_x KL(p(y|x) || p(y))), where
 *   p(y) is the mean of p(y|x) over the samples. It is 1 when every sample looks alike to the
 *   judge and at most the number of classes (10) when each is confidently one class and the
 *   classes are balanced; real MNIST test digits score about 9.88.
 */

/** The index of the largest of `n` values starting at `offset` (first wins on ties). */
export function argmaxAt(values: ArrayLike<number>, offset: number, n: number): number {
  let best = 0;
  for (let k = 1; k < n; k++) if (values[offset + k] > values[offset + best]) best = k;
  return best;
}

/** Checks that `probs` holds `requested.length` rows of `classes` values. */
function rows(probs: ArrayLike<number>, classes: number): number {
  if (classes < 1 || probs.length % classes !== 0) throw new Error(`expected rows of ${classes} probabilities, got ${probs.length} values`);
  return probs.length / classes;
}

/**
 * Share of samples whose judged class equals the class they were generated for; `probs` holds
 * one row of `classes` probabilities per sample, `requested` the class each was asked for.
 */
export function conditionalAccuracy(probs: ArrayLike<number>, requested: ArrayLike<number>, classes = 10): number {
  const n = rows(probs, classes);
  if (n !== requested.length) throw new Error(`${n} probability rows but ${requested.length} requested labels`);
  if (n === 0) return NaN;
  let hits = 0;
  for (let i = 0; i < n; i++) if (argmaxAt(probs, i * classes, classes) === requested[i]) hits += 1;
  return hits / n;
}

/** Per requested class, the share of its samples the judge read as that class (NaN for a class with none). */
export function perClassAccuracy(probs: ArrayLike<number>, requested: ArrayLike<number>, classes = 10): number[] {
  const n = rows(probs, classes);
  const hits = new Array<number>(classes).fill(0);
  const counts = new Array<number>(classes).fill(0);
  for (let i = 0; i < n; i++) {
    const k = requested[i];
    counts[k] += 1;
    if (argmaxAt(probs, i * classes, classes) === k) hits[k] += 1;
  }
  return hits.map((h, k) => (counts[k] ? h / counts[k] : NaN));
}

/**
 * The MNIST (inception) score of samples whose judged class probabilities are `probs`:
 * exp(mean_x KL(p(y|x) || p(y))). Zero probabilities contribute nothing (0 log 0 = 0).
 */
export function mnistScore(probs: ArrayLike<number>, classes = 10): number {
  const n = rows(probs, classes);
  if (n === 0) return NaN;
  const marginal = new Float64Array(classes);
  for (let i = 0; i < n; i++) for (let k = 0; k < classes; k++) marginal[k] += probs[i * classes + k] / n;
  let kl = 0;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < classes; k++) {
      const p = probs[i * classes + k];
      if (p > 0) kl += p * (Math.log(p) - Math.log(marginal[k]));
    }
  }
  return Math.exp(kl / n);
}
