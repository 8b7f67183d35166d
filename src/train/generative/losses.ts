/**
 * The two terms of the VAE loss, each per image and averaged over the batch:
 * - reconstruction: binary cross-entropy of the pixel logits against the grey levels in [0, 1],
 *   summed over the 784 pixels. Written as softplus(z) - x*z, which equals
 *   -(x log sigmoid(z) + (1 - x) log(1 - sigmoid(z))) and stays finite for any logit z
 *   (softplus and its gradient, sigmoid, are wasm kernels).
 * - KL: KL(N(mean, exp(logVar)) || N(0, 1)) = -0.5 * sum(1 + logVar - mean^2 - exp(logVar)).
 */
import * as tf from '@tensorflow/tfjs';

/** Per-image binary cross-entropy summed over pixels, mean over the batch: a scalar. */
export function reconstructionLoss(logits: tf.Tensor2D, targets: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const n = logits.shape[0];
    return tf.softplus(logits).sub(targets.mul(logits)).sum().div(n) as tf.Scalar;
  });
}

/** KL divergence of the encoder's Gaussian from the standard normal, summed over the code, mean over the batch. */
export function klLoss(mean: tf.Tensor2D, logVar: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const n = mean.shape[0];
    return tf.scalar(1).add(logVar).sub(mean.square()).sub(logVar.exp()).sum().mul(-0.5 / n) as tf.Scalar;
  });
}
