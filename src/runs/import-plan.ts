/**
 * Plans the import of tfjs Layers model files in the page, before any bytes are read: model.json
 * and the weight files' names and sizes are checked (model/export/model-files.ts), its layers
 * are mapped onto the app's kinds (model/export/tfjs-topology.ts), and the declared weights must
 * be exactly those the mapped stack needs. Any refusal is one sentence, and nothing changes. Pure.
 */
import { checkModelFiles, weightsMatchSpec, type ManifestGroup, type WeightFileInfo } from '../model/export/model-files';
import { specFromTopology } from '../model/export/tfjs-topology';
import type { LayerSpec, TrainingSettings } from '../model/spec';

/** What to read and send to the worker, or why not. */
export type ImportPlan =
  | { ok: true; layers: LayerSpec[]; names: { file: string; spec: string }[]; groups: ManifestGroup[]; notes: string[] }
  | { ok: false; message: string };

const refuse = (message: string): ImportPlan => ({ ok: false, message: `These files cannot be imported: ${message.replace(/\.$/, '')}. Your current work is unchanged.` });

/** Checks model.json text against the offered weight files (names and sizes only). */
export function planImport(modelJsonText: string, weightFiles: readonly WeightFileInfo[]): ImportPlan {
  const checked = checkModelFiles(modelJsonText, weightFiles);
  if (!checked.ok) return refuse(checked.message);
  const topology = specFromTopology(checked.files.modelJson);
  if (!topology.ok) return refuse(topology.message);
  const match = weightsMatchSpec(checked.files, topology.layers, topology.layerNames);
  if (!match.ok) return refuse(match.message);
  return {
    ok: true, layers: topology.layers, notes: topology.notes, groups: checked.files.groups,
    names: topology.weights.map((w) => ({ file: w.name, spec: w.specName })),
  };
}

/** MNIST's training images, from which runs draw their examples. */
const MNIST_TRAIN = 60_000;

/** Batches per epoch the trainer will run for these settings (the same split arithmetic as train/split.ts). */
export function batchesPerEpoch(t: Pick<TrainingSettings, 'trainExamples' | 'validationSplit' | 'batchSize'>): number {
  const n = Math.max(0, Math.min(MNIST_TRAIN, Math.floor(t.trainExamples)));
  const held = n > 0 ? Math.min(Math.round(n * t.validationSplit), n - 1) : 0;
  const train = n - held;
  return Math.max(1, Math.ceil(train / Math.max(1, Math.min(t.batchSize, train))));
}
