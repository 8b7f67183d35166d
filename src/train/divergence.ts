/**
 * Detects a run that has blown up. tfjs clips predicted probabilities before the log, so an
 * exploding model rarely shows a NaN loss: the loss instead pins near its ceiling. We stop on
 * either a non-finite loss or a loss that stays far above chance level for a stretch of batches.
 */

/** Cross-entropy of a uniform guess over 10 classes: ln 10. */
export const CHANCE_LOSS = Math.log(10);
const CEILING = 4 * CHANCE_LOSS;
const WINDOW = 20;

/** Watches batch losses; `observe` returns a reason when training has diverged, else null. */
export class DivergenceWatch {
  #recent: number[] = [];

  /** Records one batch loss and says why training diverged, or null when it looks healthy. */
  observe(loss: number): string | null {
    if (!Number.isFinite(loss)) return 'the loss became NaN or infinite';
    this.#recent.push(loss);
    if (this.#recent.length > WINDOW) this.#recent.shift();
    if (this.#recent.length < WINDOW) return null;
    const mean = this.#recent.reduce((a, b) => a + b, 0) / WINDOW;
    if (mean > CEILING) {
      return `the loss stayed near ${mean.toFixed(1)} for ${WINDOW} batches, far above ${CHANCE_LOSS.toFixed(2)} (a random guess)`;
    }
    return null;
  }
}

/** The learning rate the message suggests; a run that blows up at or below it more likely has another cause. */
export const SAFE_LEARNING_RATE = 0.001;

/**
 * What the person reads when a run diverged, the likeliest fix first. A high learning rate is
 * the usual cause; at a low one the message says so and points elsewhere (a backend that
 * computes wrong numbers blew up a run at batch 25 on a GPU machine, as a high rate would).
 */
export function divergedMessage(where: string, why: string, learningRate: number, optimizer: string): string {
  const head = `Training diverged at ${where}: ${why}. `;
  if (learningRate > SAFE_LEARNING_RATE) return `${head}The learning rate ${learningRate} is probably too high for ${optimizer}; try ${SAFE_LEARNING_RATE}.`;
  return (
    `${head}The learning rate ${learningRate} is already low for ${optimizer}, so the cause may lie elsewhere: ` +
    'train again on another backend (the menu in the run panel), or add batch normalisation, or lower the rate further.'
  );
}
