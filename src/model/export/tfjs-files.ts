/**
 * The two files of a tfjs Layers export, as `tf.io.browserDownloads` writes them: model.json
 * (topology plus a manifest naming the weights file) and the weights as one binary file. The
 * worker saves the model with `tf.io.withSaveHandler` and posts the artifacts' topology, weight
 * specs and bytes; this turns them into files `tf.loadLayersModel` reads. Pure.
 */

/** The parts of tfjs `ModelArtifacts` an export needs. */
export interface LayersArtifacts {
  modelTopology: unknown;
  weightSpecs: ReadonlyArray<{ name: string; shape: number[]; dtype: string }>;
}

/** The export: model.json text and the name its manifest gives the weights file. */
export interface LayersModelFiles {
  modelJson: string;
  weightsFileName: string;
}

/** Writes model.json for artifacts whose weight bytes go into `<baseName>.weights.bin`, next to it. */
export function layersModelFiles(artifacts: LayersArtifacts, baseName = 'model', generatedBy = 'CNN Playground'): LayersModelFiles {
  const weightsFileName = `${baseName.replace(/[^A-Za-z0-9._-]/g, '_') || 'model'}.weights.bin`;
  const json = {
    modelTopology: artifacts.modelTopology,
    format: 'layers-model',
    generatedBy,
    convertedBy: null,
    weightsManifest: [{ paths: [`./${weightsFileName}`], weights: artifacts.weightSpecs }],
  };
  return { modelJson: JSON.stringify(json), weightsFileName };
}
