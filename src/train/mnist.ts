/**
 * Loads MNIST from the gzip IDX assets that `npm run assets` writes to public/data/mnist/.
 * Worker-safe: uses only fetch, streams and DecompressionStream (no DOM, no window, no tfjs),
 * as the anti-pattern list in ARCHITECTURE.md asks of a data loader.
 */
import { IdxError, parseIdxImages, parseIdxLabels } from './idx';

/** One split of MNIST: `images` holds count*784 grey levels (0-255), row major. */
export interface MnistSplit {
  count: number;
  images: Uint8Array;
  labels: Uint8Array;
}

/** The standard MNIST split: 60,000 training and 10,000 test images. */
export interface Mnist {
  train: MnistSplit;
  test: MnistSplit;
}

/** MNIST could not be fetched or decoded; the message is a plain sentence for the user. */
export class MnistLoadError extends Error {
  override name = 'MnistLoadError';
}

/** Asset file names under data/mnist/, as written by scripts/build-mnist-assets.mjs. */
export const MNIST_FILES = {
  trainImages: 'train-images.idx3.gz',
  trainLabels: 'train-labels.idx1.gz',
  testImages: 'test-images.idx3.gz',
  testLabels: 'test-labels.idx1.gz',
} as const;

/**
 * Builds the URL of one asset: an absolute `baseUrl` (e.g. `http://localhost:5173/app`) is
 * resolved with URL; anything else is a path prefix, and '' means the site root.
 */
export function mnistUrl(baseUrl: string, file: string): string {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  if (/^[a-z][a-z0-9+.-]*:/i.test(base)) return new URL(`data/mnist/${file}`, base).href;
  // A relative prefix would resolve against the worker script's URL, so anchor it at the root.
  return `${base.startsWith('/') ? '' : '/'}${base}data/mnist/${file}`;
}

/** Reads a byte stream into one array, growing from `sizeHint`, calling `onChunk` with each chunk's size. */
async function readStream(
  stream: ReadableStream<Uint8Array>,
  sizeHint: number,
  onChunk?: (bytes: number) => void,
): Promise<Uint8Array> {
  let out = new Uint8Array(Math.max(sizeHint, 1 << 16));
  let length = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (length + value.byteLength > out.byteLength) {
      const grown = new Uint8Array(Math.max(out.byteLength * 2, length + value.byteLength));
      grown.set(out.subarray(0, length));
      out = grown;
    }
    out.set(value, length);
    length += value.byteLength;
    onChunk?.(value.byteLength);
  }
  // Copy only when the hint was off, so a right hint costs no second 47 MB buffer.
  return length === out.byteLength ? out : out.slice(0, length);
}

/**
 * Decompresses `bytes` with DecompressionStream('gzip') when they start with the gzip magic
 * 0x1f 0x8b, and returns them as they are otherwise (a server may have decoded them already).
 */
export async function gunzipIfNeeded(bytes: Uint8Array): Promise<Uint8Array> {
  if (bytes.byteLength < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  const n = bytes.byteLength;
  // The gzip trailer holds the raw size mod 2^32 (little-endian); it lets us allocate once.
  const isize = n >= 18 ? (bytes[n - 4] | (bytes[n - 3] << 8) | (bytes[n - 2] << 16) | (bytes[n - 1] << 24)) >>> 0 : 0;
  const hint = isize > 0 && isize <= 1 << 28 ? isize : n * 4;
  const ds = new DecompressionStream('gzip');
  const writer = ds.writable.getWriter();
  // Corrupt data errors the readable side too; catching the writer's copies avoids unhandled rejections.
  writer.write(bytes as Uint8Array<ArrayBuffer>).catch(() => {});
  writer.close().catch(() => {});
  return readStream(ds.readable, hint);
}

/** Downloads one asset, reporting each received chunk's size. */
async function fetchBytes(
  url: string,
  fetchFn: typeof fetch,
  signal: AbortSignal,
  onChunk: (bytes: number) => void,
): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetchFn(url, { signal });
  } catch (err) {
    throw new MnistLoadError(`Could not download ${url}: ${(err as Error).message ?? String(err)}`);
  }
  if (response.status === 404) {
    throw new MnistLoadError(
      `MNIST data assets are missing: ${url} returned 404. Run \`npm run assets\` to build them into public/data/mnist/, then reload.`,
    );
  }
  if (!response.ok) {
    throw new MnistLoadError(`Could not download ${url}: the server answered ${response.status} ${response.statusText}`.trim());
  }
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const hint = Number(response.headers.get('content-length')) || 0;
  return readStream(response.body, hint, onChunk);
}

/** Downloads, decompresses and parses one asset; every failure becomes a MnistLoadError. */
async function loadFile(
  baseUrl: string,
  file: string,
  fetchFn: typeof fetch,
  signal: AbortSignal,
  onChunk: (bytes: number) => void,
): Promise<Uint8Array> {
  const url = mnistUrl(baseUrl, file);
  const raw = await fetchBytes(url, fetchFn, signal, onChunk);
  let bytes: Uint8Array;
  try {
    bytes = await gunzipIfNeeded(raw);
  } catch (err) {
    throw new MnistLoadError(`${file}: the gzip data is corrupt (${(err as Error).message}); run \`npm run assets\` again`);
  }
  // A dev server's SPA fallback answers a missing file with index.html and status 200.
  if (bytes[0] === 0x3c /* '<' */) {
    throw new MnistLoadError(
      `MNIST data assets are missing: ${url} returned an HTML page. Run \`npm run assets\` to build them into public/data/mnist/, then reload.`,
    );
  }
  return bytes;
}

function parseSplit(images: Uint8Array, labels: Uint8Array, imagesName: string, labelsName: string): MnistSplit {
  const parsedImages = parseIdxImages(images, imagesName);
  const parsedLabels = parseIdxLabels(labels, labelsName);
  if (parsedImages.count !== parsedLabels.count) {
    throw new MnistLoadError(
      `${imagesName} has ${parsedImages.count} images but ${labelsName} has ${parsedLabels.count} labels; run \`npm run assets\` again`,
    );
  }
  return { count: parsedImages.count, images: parsedImages.pixels, labels: parsedLabels.labels };
}

/**
 * Fetches the four MNIST assets from `${baseUrl}/data/mnist/` in parallel and decodes them;
 * `onProgress` gets the body bytes received so far over all files and the file that grew (about
 * 11 MB in all; about 55 MB from the Vite dev server, which sends .gz with Content-Encoding: gzip,
 * so the browser hands over decoded bytes). In a worker pass an absolute base URL.
 */
export async function loadMnist(
  baseUrl: string,
  fetchFn: typeof fetch = (input, init) => fetch(input, init),
  onProgress?: (loadedBytes: number, file: string) => void,
): Promise<Mnist> {
  const abort = new AbortController();
  let loaded = 0;
  const names = [MNIST_FILES.trainImages, MNIST_FILES.trainLabels, MNIST_FILES.testImages, MNIST_FILES.testLabels];
  const loads = names.map((file) =>
    loadFile(baseUrl, file, fetchFn, abort.signal, (bytes) => {
      loaded += bytes;
      onProgress?.(loaded, file);
    }),
  );
  try {
    const [trainImages, trainLabels, testImages, testLabels] = await Promise.all(loads);
    return {
      train: parseSplit(trainImages, trainLabels, MNIST_FILES.trainImages, MNIST_FILES.trainLabels),
      test: parseSplit(testImages, testLabels, MNIST_FILES.testImages, MNIST_FILES.testLabels),
    };
  } catch (err) {
    abort.abort(); // the first failure is the one to report; stop the other downloads
    if (err instanceof MnistLoadError) throw err;
    if (err instanceof IdxError) throw new MnistLoadError(`${err.message}; run \`npm run assets\` again`, { cause: err });
    throw new MnistLoadError(`Could not load MNIST: ${(err as Error).message ?? String(err)}`, { cause: err });
  }
}
