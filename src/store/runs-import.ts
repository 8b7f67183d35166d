/**
 * Imports a planned tfjs Layers model (runs/import-plan.ts) as a kept run: the mapped stack goes
 * through the store's commit path with the current training settings, the worker builds it with
 * the files' weights, and the run is saved stopped at step 0, so it can be looked inside,
 * evaluated, or trained further with "Continue training".
 */
import type { LayerSpec, NetworkSpec } from '../model/spec';
import { batchesPerEpoch } from '../runs/import-plan';
import type { BackendChoice, ToWorker, WeightGroupData } from '../train/protocol';
import type { RunState } from './app-store';
import { newRecordId } from './runs-slice';

/** The action the store offers. */
export interface ImportActions {
  /** Starts importing; false (with nothing changed) while a run is in progress. */
  importModel(name: string, layers: LayerSpec[], groups: WeightGroupData[], names: { file: string; spec: string }[]): boolean;
}

/** What the import needs from the store. */
export interface ImportHost {
  run(): RunState;
  currentSpec(): NetworkSpec;
  commitSpec(spec: NetworkSpec): NetworkSpec;
  installRun(run: RunState): void;
  /** The run is an import, to be kept once the worker has built it. */
  expectImport(): void;
  backendChoice(): BackendChoice;
  post(message: ToWorker): void;
  now(): number;
  busy(): boolean;
}

/** Creates the import action. */
export function createImport(host: ImportHost, idle: () => RunState): ImportActions {
  return {
    importModel(name, layers, groups, names) {
      if (host.busy()) return false;
      const current = host.currentSpec();
      const spec = host.commitSpec({ ...current, name: name.slice(0, 80) || 'Imported model', description: `Imported from tfjs Layers files (${name}).`, layers });
      const runId = host.run().runId + 1;
      const createdAt = host.now();
      const t = spec.training;
      host.installRun({
        ...idle(), runId, status: 'loading-data', spec, recordId: newRecordId(createdAt), createdAt,
        progress: { epoch: 1, epochs: t.epochs, batch: 0, batchesPerEpoch: batchesPerEpoch(t), examplesSeen: 0, elapsedMs: 0, examplesPerSecond: 0, tensors: 0 },
      });
      host.expectImport();
      host.post({ type: 'import-model', runId, spec, backend: host.backendChoice(), groups, names });
      return true;
    },
  };
}
