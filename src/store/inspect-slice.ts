/**
 * The inspect slice of the app store: the input being looked at, the latest probe of it, the conv
 * filters and layer-health history posted during training, and a confusion cell's gallery.
 *
 * Probes are throttled here, not in the worker: one request in flight, and only the answer to the
 * latest request is shown. A request made while one is in flight waits for it, then goes out with
 * the newest input, so drawing updates live without a queue of stale requests. During training
 * the input is re-probed after a progress tick at most once per REPROBE_INTERVAL_MS, and once more
 * when the report arrives.
 */
import type { FilterSnapshot, FromWorker, HealthSnapshot, ProbeInput, ProbeResult, TestImage, TestReport, ToWorker } from '../train/protocol';

/** Health snapshots kept (at least five minutes of training: they come at most once a second). */
export const HEALTH_HISTORY = 300;
/** Least time between automatic re-probes during training. */
export const REPROBE_INTERVAL_MS = 1000;
/** Most images a confusion cell's gallery shows (the most confident ones). */
export const GALLERY_LIMIT = 240;

/** A test image in a gallery, with the probability the model gave its predicted class. */
export type GalleryImage = TestImage & { confidence: number };

/** The test images of one confusion-matrix cell, most confident first. */
export interface Gallery {
  trueClass: number;
  predicted: number;
  images: GalleryImage[];
}

/** What the inspector shows. */
export interface InspectState {
  /** What is being looked at. */
  input: ProbeInput | null;
  /** Class the saliency map explains; null = the predicted class. */
  saliencyClass: number | null;
  smoothGrad: boolean;
  /** Latest probe result for `input`. */
  probe: ProbeResult | null;
  /** Why the last probe failed, in plain words (e.g. no model yet); cleared by a result. */
  probeError: string | null;
  /** A probe request is in flight. */
  probing: boolean;
  /** Latest conv kernels of the run. */
  filters: FilterSnapshot | null;
  /** Health snapshots of the run, oldest first, at most HEALTH_HISTORY. */
  health: HealthSnapshot[];
  gallery: Gallery | null;
}

/** The slice's actions, part of AppState. */
export interface InspectActions {
  /** Looks inside the current model with this input (at once, or right after the probe in flight). */
  inspectInput(input: ProbeInput): void;
  /** Chooses the saliency map's class (null = predicted) and SmoothGrad, and re-probes. */
  setSaliency(classIndex: number | null, smoothGrad: boolean): void;
  /** Fills the gallery with the report's test images of one confusion cell, most confident first. */
  showConfusion(trueClass: number, predicted: number): void;
}

/** Worker messages the slice handles. */
export type InspectMessage = Extract<FromWorker, { type: 'probe' | 'probe-error' | 'filters' | 'health' | 'test-images' }>;

const INSPECT_TYPES: ReadonlySet<FromWorker['type']> = new Set<InspectMessage['type']>(['probe', 'probe-error', 'filters', 'health', 'test-images']);

/** True for the worker messages the inspect slice handles. */
export function isInspectMessage(message: FromWorker): message is InspectMessage {
  return INSPECT_TYPES.has(message.type);
}

/** What the slice needs from the store around it. */
export interface InspectHost {
  inspect(): InspectState;
  setInspect(patch: Partial<InspectState>): void;
  runId(): number;
  report(): TestReport | null;
  post(message: ToWorker): void;
  now(): number;
}

/** The slice's actions plus the hooks the store calls. */
export interface InspectSlice {
  actions: InspectActions;
  /** Folds in a message of the current run. */
  handle(message: InspectMessage): void;
  /** After a progress tick: re-probe if the last one is old enough and none is in flight. */
  afterProgress(): void;
  /** After the report: re-probe once. */
  afterReport(): void;
  /** A new run starts: forget its results and requests, keep the input and saliency choices. */
  reset(): InspectState;
}

/** The slice's state before anything was looked at. */
export function emptyInspect(): InspectState {
  return { input: null, saliencyClass: null, smoothGrad: false, probe: null, probeError: null, probing: false, filters: null, health: [], gallery: null };
}

/** Creates the slice's actions and message handling around a host store. */
export function createInspectSlice(host: InspectHost): InspectSlice {
  let nextRequestId = 0;
  let inFlight: number | null = null;
  let queued = false;
  let lastSentAt = -Infinity;
  let galleryRequest: { requestId: number; trueClass: number; predicted: number; confidence: Map<number, number> } | null = null;

  const send = () => {
    const { input, saliencyClass, smoothGrad } = host.inspect();
    if (!input) return;
    const requestId = ++nextRequestId;
    inFlight = requestId;
    queued = false;
    lastSentAt = host.now();
    host.post({ type: 'probe', runId: host.runId(), requestId, input, saliencyClass, smoothGrad });
    if (!host.inspect().probing) host.setInspect({ probing: true });
  };
  const request = () => {
    if (inFlight === null) send();
    else queued = true;
  };
  /** Applies the answer to the request in flight (others are stale), then sends the waiting one. */
  const settle = (requestId: number, patch: Partial<InspectState>) => {
    if (requestId !== inFlight) return;
    inFlight = null;
    host.setInspect({ ...patch, probing: queued });
    if (queued) send();
  };

  const actions: InspectActions = {
    inspectInput(input) {
      host.setInspect({ input });
      request();
    },
    setSaliency(classIndex, smoothGrad) {
      host.setInspect({ saliencyClass: classIndex, smoothGrad });
      request();
    },
    showConfusion(trueClass, predicted) {
      const report = host.report();
      const { predictions, confidences, labels } = report ?? {};
      if (!predictions || !confidences || !labels) return;
      const indices: number[] = [];
      for (let i = 0; i < predictions.length; i++) if (labels[i] === trueClass && predictions[i] === predicted) indices.push(i);
      // The test report evaluates the test set in order, so position i is test image i.
      indices.sort((a, b) => confidences[b]! - confidences[a]! || a - b);
      const picked = indices.slice(0, GALLERY_LIMIT);
      galleryRequest = null;
      if (!picked.length) return host.setInspect({ gallery: { trueClass, predicted, images: [] } });
      const requestId = ++nextRequestId;
      galleryRequest = { requestId, trueClass, predicted, confidence: new Map(picked.map((i) => [i, confidences[i]!])) };
      host.post({ type: 'test-images', runId: host.runId(), requestId, indices: picked });
    },
  };

  return {
    actions,
    handle(message) {
      switch (message.type) {
        case 'probe':
          return settle(message.result.requestId, { probe: message.result, probeError: null });
        case 'probe-error':
          return settle(message.requestId, { probeError: message.message });
        case 'filters':
          return host.setInspect({ filters: message.snapshot });
        case 'health': {
          const health = host.inspect().health;
          const kept = health.length >= HEALTH_HISTORY ? health.slice(health.length - HEALTH_HISTORY + 1) : health;
          return host.setInspect({ health: [...kept, message.snapshot] });
        }
        case 'test-images': {
          const wanted = galleryRequest;
          if (!wanted || wanted.requestId !== message.requestId) return;
          galleryRequest = null;
          const images = message.images.map((image) => ({ ...image, confidence: wanted.confidence.get(image.index) ?? 0 }));
          images.sort((a, b) => b.confidence - a.confidence || a.index - b.index);
          return host.setInspect({ gallery: { trueClass: wanted.trueClass, predicted: wanted.predicted, images } });
        }
        default: {
          const never: never = message;
          return never;
        }
      }
    },
    afterProgress() {
      if (inFlight === null && host.now() - lastSentAt >= REPROBE_INTERVAL_MS) send();
    },
    afterReport() {
      request();
    },
    reset() {
      inFlight = null;
      queued = false;
      lastSentAt = -Infinity;
      galleryRequest = null;
      const { input, saliencyClass, smoothGrad } = host.inspect();
      return { ...emptyInspect(), input, saliencyClass, smoothGrad };
    },
  };
}
