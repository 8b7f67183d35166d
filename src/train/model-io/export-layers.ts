/**
 * Saves a trained model as tfjs Layers files, the format `tf.loadLayersModel` reads: a model.json
 * (topology, training config and a weights manifest whose path points at the weights file next
 * to it) and one binary weights file. Made in the worker with `tf.io.withSaveHandler`; the page
 * only downloads the bytes.
 */
import * as tf from '@tensorflow/tfjs';
import type { ExportFile } from '../protocol';
import { safeBaseName } from '../../runs/file-name';

/** The model's tfjs Layers files: `${base}.json` and `${base}.weights.bin`. */
export async function exportLayersModel(model: tf.LayersModel, baseName: string): Promise<ExportFile[]> {
  const base = safeBaseName(baseName);
  let saved: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const artifacts = saved as tf.io.ModelArtifacts | null;
  if (!artifacts?.modelTopology || !artifacts.weightSpecs || !artifacts.weightData) throw new Error('tfjs returned no model to save.');
  const weights = tf.io.CompositeArrayBuffer.join(artifacts.weightData);
  const weightsName = `${base}.weights.bin`;
  const json = {
    format: 'layers-model',
    generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
    convertedBy: null,
    modelTopology: artifacts.modelTopology,
    ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
    weightsManifest: [{ paths: [`./${weightsName}`], weights: artifacts.weightSpecs }],
  };
  const text = new TextEncoder().encode(JSON.stringify(json));
  return [
    { name: `${base}.json`, mime: 'application/json', data: text.buffer as ArrayBuffer },
    { name: weightsName, mime: 'application/octet-stream', data: weights },
  ];
}
