/**
 * "Take it away": the decoder as a tfjs LayersModel in the standard two-file format (model.json
 * plus one weights file), built in the worker and posted to the UI as plain text and bytes,
 * because saving to downloads needs the DOM, which a worker does not have.
 */
import * as tf from '@tensorflow/tfjs';
import type { GenerativeSpec } from '../../model/generative/spec';
import type { Vae } from './vae-model';

/** Name of the weights file that model.json points to. */
export const DECODER_WEIGHTS_FILE = 'decoder.weights.bin';

/** The decoder's model.json text and weights bytes; load them with tf.loadLayersModel. */
export async function exportDecoderFiles(vae: Vae, spec: GenerativeSpec): Promise<{ modelJson: string; weights: ArrayBuffer }> {
  const model = vae.exportDecoder();
  let artifacts: tf.io.ModelArtifacts | null = null;
  try {
    await model.save(tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
  } finally {
    model.dispose();
  }
  const a = artifacts as tf.io.ModelArtifacts | null;
  if (!a?.weightData || !a.weightSpecs) throw new Error('The decoder could not be serialised.');
  const json = {
    modelTopology: a.modelTopology,
    format: 'layers-model',
    generatedBy: a.generatedBy,
    convertedBy: null,
    weightsManifest: [{ paths: [DECODER_WEIGHTS_FILE], weights: a.weightSpecs }],
    userDefinedMetadata: {
      description: `Decoder of "${spec.name}": input = ${spec.latentSize}-D latent code${spec.kind === 'cvae' ? ' followed by a 10-value one-hot digit label' : ''}; output = 28x28 pixel intensities in [0, 1] (784 values, row major, or [28, 28, 1] for the convolutional decoder).`,
      latentSize: spec.latentSize,
      conditional: spec.kind === 'cvae',
    },
  };
  return { modelJson: JSON.stringify(json), weights: tf.io.CompositeArrayBuffer.join(a.weightData) };
}
