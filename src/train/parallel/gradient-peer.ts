/**
 * What the leader's training loop needs from its gradient peer, and the peers there are: one in a
 * second worker (the browser: the two replicas run on two cores at once), one in the same thread
 * (tests: same arithmetic, no parallelism), and the browser's, which switches between the two
 * while the page asks for a core.
 */
import type { LayerSpec } from '../../model/spec';
import type { FromPeer, PeerPredictRequest, PeerStepRequest, PeerStepResult, ToPeer } from './peer-protocol';
import { Replica } from './replica';

/** Computes the gradient of half of each batch on a replica of the leader's model. */
export interface GradientPeer {
  /** Builds the replica for a new run's stack. */
  prepare(layers: LayerSpec[], seed: number): Promise<void>;
  /** Sends weights and examples (their buffers may be transferred); resolves with the gradients. */
  step(request: PeerStepRequest): Promise<PeerStepResult>;
  /** Class probabilities of part of an evaluation batch (buffers may be transferred). */
  predict(request: PeerPredictRequest): Promise<Float32Array>;
  dispose(): void;
  /**
   * The peers that may take this one's steps, for a warm-up to step each once (warm-up.ts):
   * `CoreSharingPeer` steps in its worker or on the leader's own replica. Absent: only itself.
   */
  routes?(): GradientPeer[];
}

/** A peer in the same thread: tests, and the leader's own replica in `CoreSharingPeer`. */
export class LocalPeer implements GradientPeer {
  readonly #replica = new Replica();

  async prepare(layers: LayerSpec[], seed: number): Promise<void> {
    this.#replica.prepare(layers, seed);
  }

  step(request: PeerStepRequest): Promise<PeerStepResult> {
    return this.#replica.step(request);
  }

  predict(request: PeerPredictRequest): Promise<Float32Array> {
    return this.#replica.predict(request);
  }

  dispose(): void {
    this.#replica.dispose();
  }
}

/**
 * A peer that works in its own worker, except while the page asks for a core (ui-busy.ts
 * `askForCore`): then the leader computes the peer's half itself, on a replica of its own, and
 * the peer's worker waits idle, so the page has a core. Each step goes one way or the other whole,
 * and the two replicas do the same arithmetic on the same weights (sent with every step), so a
 * run gives the same numbers whichever way its steps went.
 */
export class CoreSharingPeer implements GradientPeer {
  /** Where the weights of predictions that do not send their own went (see `predict`). */
  #predictsOn: GradientPeer;

  constructor(
    private readonly remote: GradientPeer,
    private readonly local: GradientPeer,
    private readonly pageAsksForCore: () => boolean,
  ) {
    this.#predictsOn = remote;
  }

  async prepare(layers: LayerSpec[], seed: number): Promise<void> {
    await Promise.all([this.remote.prepare(layers, seed), this.local.prepare(layers, seed)]);
  }

  step(request: PeerStepRequest): Promise<PeerStepResult> {
    return this.#now().step(request);
  }

  predict(request: PeerPredictRequest): Promise<Float32Array> {
    // A request without weights uses those sent last, so it must go where they went.
    if (request.weights) this.#predictsOn = this.#now();
    return this.#predictsOn.predict(request);
  }

  dispose(): void {
    this.remote.dispose();
    this.local.dispose();
  }

  routes(): GradientPeer[] {
    return [this.remote, this.local];
  }

  #now(): GradientPeer {
    return this.pageAsksForCore() ? this.local : this.remote;
  }
}

/** The part of a Worker a peer uses (so tests can stand in for it). */
export interface PeerPort {
  postMessage(message: ToPeer, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<FromPeer>) => void): void;
  addEventListener(type: 'error', listener: (event: ErrorEvent) => void): void;
  terminate(): void;
}

/** A peer in another worker: requests are answered in order, matched by id. */
export class WorkerPeer implements GradientPeer {
  readonly #port: PeerPort;
  #nextId = 1;
  readonly #waiting = new Map<number, { resolve: (value: FromPeer) => void; reject: (error: Error) => void }>();
  #broken: Error | null = null;

  constructor(port: PeerPort) {
    this.#port = port;
    port.addEventListener('message', (event) => {
      const waiter = this.#waiting.get(event.data.id);
      if (!waiter) return;
      this.#waiting.delete(event.data.id);
      if (event.data.type === 'error') waiter.reject(new Error(event.data.message));
      else waiter.resolve(event.data);
    });
    port.addEventListener('error', (event) => this.#fail(new Error(`the gradient peer worker failed: ${event.message || 'unknown error'}`)));
  }

  async prepare(layers: LayerSpec[], seed: number): Promise<void> {
    await this.#request({ type: 'prepare', id: 0, layers, seed }, []);
  }

  async step(request: PeerStepRequest): Promise<PeerStepResult> {
    const reply = await this.#request({ type: 'step', id: 0, ...request }, [request.weights.buffer, request.x.buffer, request.y.buffer]);
    if (reply.type !== 'result') throw new Error('the gradient peer answered a step with no result');
    return reply.result;
  }

  async predict(request: PeerPredictRequest): Promise<Float32Array> {
    const transfer = request.weights ? [request.weights.buffer, request.x.buffer] : [request.x.buffer];
    const reply = await this.#request({ type: 'predict', id: 0, ...request }, transfer);
    if (reply.type !== 'probabilities') throw new Error('the gradient peer answered a prediction with no probabilities');
    return reply.probabilities;
  }

  dispose(): void {
    this.#fail(new Error('the gradient peer was closed'));
    this.#port.terminate();
  }

  #request(message: ToPeer, transfer: Transferable[]): Promise<FromPeer> {
    if (this.#broken) return Promise.reject(this.#broken);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      this.#port.postMessage({ ...message, id }, transfer);
    });
  }

  #fail(error: Error): void {
    this.#broken ??= error;
    for (const waiter of this.#waiting.values()) waiter.reject(error);
    this.#waiting.clear();
  }
}
