/**
 * Asks the worker for the current model as tfjs Layers files and hands them to whoever asked
 * (the export buttons), as a promise: the store never touches the DOM, the component downloads.
 * Answers to earlier runs or unknown requests are dropped.
 */
import type { ExportFile, FromWorker, ToWorker } from '../train/protocol';

/** The action the store offers. */
export interface ExportActions {
  /** The current model's files (`${baseName}.json` and `.weights.bin`); rejects with a plain message. */
  exportModel(baseName: string): Promise<ExportFile[]>;
}

/** The action plus the store's hook for the worker's answer. */
export interface ModelExport {
  actions: ExportActions;
  handle(message: Extract<FromWorker, { type: 'model-files' }>): void;
}

/** Creates the export action around the trainer port and the current run id. */
export function createModelExport(host: { runId(): number; post(message: ToWorker): void }): ModelExport {
  let nextId = 0;
  const pending = new Map<number, { resolve(files: ExportFile[]): void; reject(error: Error): void }>();
  return {
    actions: {
      exportModel(baseName) {
        const requestId = ++nextId;
        return new Promise<ExportFile[]>((resolve, reject) => {
          pending.set(requestId, { resolve, reject });
          host.post({ type: 'export-model', runId: host.runId(), requestId, baseName });
        });
      },
    },
    handle(message) {
      const waiting = pending.get(message.requestId);
      if (!waiting) return;
      pending.delete(message.requestId);
      if (message.error !== null || message.files.length === 0) waiting.reject(new Error(message.error ?? 'The worker sent no files.'));
      else waiting.resolve(message.files);
    },
  };
}
