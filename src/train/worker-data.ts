/**
 * MNIST for a worker: loaded once per worker from the app's own origin, and shared by every run
 * in it. A failed load is not cached, so the next run tries again (e.g. after a network hiccup).
 */
import { loadMnist, type Mnist } from './mnist';

/** Returns the worker's loader; call it from a worker entry only (it reads the worker's location). */
export function workerMnistLoader(scope: WorkerGlobalScope): () => Promise<Mnist> {
  let data: Promise<Mnist> | null = null;
  return () => {
    data ??= loadMnist(new URL(import.meta.env.BASE_URL, scope.location.origin).href).catch((error) => {
      data = null;
      throw error;
    });
    return data;
  };
}
