/**
 * Turns an imported model's weight files into a checkpoint of the app's model: each group's
 * bytes are decoded by tfjs (which also undoes uint8/uint16/float16 quantization), and the
 * weights are renamed from the file's layer names to the app's and put in model order. There is
 * no optimizer state: training an imported model starts its optimizer fresh.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelCheckpoint, NamedArray, WeightGroupData } from '../protocol';
import { startPosition } from '../train-loop';

/** Decodes the groups and builds the checkpoint; throws with a plain message when a weight is missing. */
export function checkpointFromFiles(groups: readonly WeightGroupData[], names: readonly { file: string; spec: string }[]): ModelCheckpoint {
  const decoded: tf.NamedTensorMap = {};
  try {
    for (const g of groups) Object.assign(decoded, tf.io.decodeWeights(g.data, g.weights));
    const weights = names.map(({ file, spec }): NamedArray => {
      const tensor = decoded[file];
      if (!tensor) throw new Error(`The weight files have no "${file}".`);
      return { name: spec, shape: tensor.shape.slice(), dtype: 'float32', values: Float32Array.from(tensor.dataSync() as Float32Array) };
    });
    return { weights, optimizer: [], optimizerExtra: {}, position: startPosition() };
  } finally {
    tf.dispose(Object.values(decoded));
  }
}
