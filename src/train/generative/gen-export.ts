/**
 * "Take it away": the decoder (or a GAN's generator) as a tfjs LayersModel in the standard two-file format (model.json
 * plus one weights file), built in the worker and posted to the UI as plain text and bytes,
 * because saving to downloads needs the DOM, which a worker does not have.
 */
import * as tf from '@tensorflow/tfjs';
import type { GenerativeSpec } from '../../model/generative/spec';
import type { Vae } from './vae-model';

/** Name of the weights file that model.json points to. */
export const DECODER_WEIGHTS_FILE = 'decoder.weights.bin';

/** Name of the weights file that a GAN generator's model.json points to. */
export const GENERATOR_WEIGHTS_FILE = 'generator.weights.bin';

/** The decoder's model.json text and weights bytes; load them with tf.loadLayersModel. */
// Only the name, latent size and kind are read, so any generative document may be passed.
export function exportDecoderFiles(vae: Vae, spec: Pick<GenerativeSpec, 'name' | 'latentSize'> & { kind: string }): Promise<{ modelJson: string; weights: ArrayBuffer }> {
  const label = spec.kind === 'cvae' ? ' followed by a 10-value one-hot digit label' : '';
  return exportLayersFiles(vae.exportDecoder(), DECODER_WEIGHTS_FILE, {
    description: `Decoder of "${spec.name}": input = ${spec.latentSize}-D latent code${label}; output = 28x28 pixel intensities in [0, 1] (784 values, row major; shaped as the decoder's last layer: [784] or [28, 28, 1]).`,
    latentSize: spec.latentSize,
    conditional: spec.kind === 'cvae',
  });
}

/** A conditional GAN's generator as model.json text and weights bytes (noise + one-hot label in, pixels out). */
export function exportGeneratorFiles(generator: tf.LayersModel, spec: { name: string; latentSize: number }): Promise<{ modelJson: string; weights: ArrayBuffer }> {
  return exportLayersFiles(generator, GENERATOR_WEIGHTS_FILE, {
    description: `Generator of "${spec.name}": input = ${spec.latentSize}-D noise (standard normal) followed by a 10-value one-hot digit label; output = 28x28 pixel intensities in [0, 1] (784 values, row major).`,
    latentSize: spec.latentSize,
    conditional: true,
  });
}

/** Serialises `model` (and disposes it) into the standard two files, with `metadata` for the person reading them. */
async function exportLayersFiles(model: tf.LayersModel, weightsFile: string, metadata: Record<string, unknown>): Promise<{ modelJson: string; weights: ArrayBuffer }> {
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
  if (!a?.weightData || !a.weightSpecs) throw new Error('The model could not be serialised.');
  const json = {
    modelTopology: a.modelTopology,
    format: 'layers-model',
    generatedBy: a.generatedBy,
    convertedBy: null,
    weightsManifest: [{ paths: [weightsFile], weights: a.weightSpecs }],
    userDefinedMetadata: metadata,
  };
  return { modelJson: JSON.stringify(json), weights: tf.io.CompositeArrayBuffer.join(a.weightData) };
}
