/**
 * Plain-language alarms for a GAN in trouble (issue 7: "NaN, divergence, a mode-collapsed GAN all
 * get a plain message"). Pure numbers in, a sentence or null out, so it is tested without tfjs.
 *
 * - Divergence: a loss that is not finite.
 * - The discriminator wins outright: for many steps in a row it calls real digits real and
 *   generated ones fake with near certainty; the generator's gradient then carries almost no
 *   signal and it stops improving.
 * - Mode collapse: samples drawn from different noise (for a conditional model, asked for the same
 *   digit) are nearly identical, measured against how different real digits are from each other.
 */

/** Consecutive steps of near-certain discriminator wins before the alarm (at batch 64, 12,800 examples). */
export const D_WINS_STEPS = 200;
/** Mean sigmoid(D(G(z))) under this, with real digits over 1 - this, counts as an outright win. */
export const D_WINS_MARGIN = 0.02;
/** Samples whose diversity is under this share of real digits' diversity count as collapsed. */
export const COLLAPSE_SHARE = 0.15;

/** Watches the per-step figures of one run and says when it goes wrong. */
export class GanHealth {
  #wins = 0;

  /** Records one step; returns a message when the run should stop, else null. */
  observe(step: { discriminatorLoss: number; generatorLoss: number; realScore: number; fakeScore: number }, at: string): string | null {
    if (![step.discriminatorLoss, step.generatorLoss, step.realScore, step.fakeScore].every(Number.isFinite)) {
      return `Training diverged at ${at}: a loss became ${Number.isFinite(step.discriminatorLoss) ? step.generatorLoss : step.discriminatorLoss}. Lower the learning rate and train again.`;
    }
    this.#wins = step.fakeScore < D_WINS_MARGIN && step.realScore > 1 - D_WINS_MARGIN ? this.#wins + 1 : 0;
    if (this.#wins >= D_WINS_STEPS) {
      return (
        `The discriminator wins outright (${at}): for ${D_WINS_STEPS} steps in a row it told real digits from generated ones with near certainty, ` +
        'so the generator learns almost nothing. Lower the learning rate, or make the discriminator smaller, and train again.'
      );
    }
    return null;
  }
}

/** Mean absolute difference per pixel between all pairs of `count` images (784 values each, any scale). */
export function meanPairwiseDistance(pixels: ArrayLike<number>, count: number, size = 784, first = 0): number {
  let total = 0;
  let pairs = 0;
  for (let a = 0; a < count; a++) {
    for (let b = a + 1; b < count; b++) {
      let d = 0;
      const pa = (first + a) * size;
      const pb = (first + b) * size;
      for (let p = 0; p < size; p++) d += Math.abs(pixels[pa + p] - pixels[pb + p]);
      total += d / size;
      pairs += 1;
    }
  }
  return pairs ? total / pairs : 0;
}

/**
 * Says whether generated samples collapsed: `samples` holds `groups` rows of `perGroup` images
 * drawn from different noise (one row per digit for a conditional model, one row otherwise);
 * `realDistance` is meanPairwiseDistance of real digits on the same scale. Returns a message or null.
 */
export function collapseMessage(samples: ArrayLike<number>, groups: number, perGroup: number, realDistance: number): string | null {
  if (!(realDistance > 0) || perGroup < 2) return null;
  let collapsed = 0;
  for (let g = 0; g < groups; g++) if (meanPairwiseDistance(samples, perGroup, 784, g * perGroup) < COLLAPSE_SHARE * realDistance) collapsed += 1;
  if (collapsed * 2 < groups || collapsed === 0) return null;
  const where = groups > 1 ? `in ${collapsed} of ${groups} rows, ` : '';
  return (
    `The generator has collapsed: ${where}samples from different noise are nearly identical ` +
    `(they differ ${Math.round((100 * COLLAPSE_SHARE))}% as much as real digits do, or less). ` +
    'Train again with another seed or a lower learning rate.'
  );
}
