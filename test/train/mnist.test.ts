import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gunzipIfNeeded, loadMnist, MNIST_FILES, MnistLoadError, mnistUrl } from '../../src/train/mnist';

/** Builds an IDX file: a big-endian uint32 header followed by the body bytes. */
function idx(header: number[], body: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(header.length * 4 + body.length);
  const view = new DataView(out.buffer);
  header.forEach((v, i) => view.setUint32(i * 4, v, false));
  out.set(body, header.length * 4);
  return out;
}

function gz(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(gzipSync(bytes));
}

/** A tiny MNIST: `n` images whose pixels all equal their index, labels = index % 10. */
function tinyFiles(trainN = 3, testN = 2, trainLabelsN = trainN): Record<string, Uint8Array> {
  const images = (n: number) => idx([2051, n, 28, 28], Array.from({ length: n * 784 }, (_, i) => Math.floor(i / 784)));
  const labels = (n: number) => idx([2049, n], Array.from({ length: n }, (_, i) => i % 10));
  return {
    [MNIST_FILES.trainImages]: gz(images(trainN)),
    [MNIST_FILES.trainLabels]: gz(labels(trainLabelsN)),
    [MNIST_FILES.testImages]: gz(images(testN)),
    [MNIST_FILES.testLabels]: gz(labels(testN)),
  };
}

/** A fetch that serves `files` by name and records the URLs asked for. */
function fakeFetch(files: Record<string, Uint8Array | Response>, seen: string[] = []): typeof fetch {
  return (async (input: RequestInfo | URL) => {
    const url = String(input);
    seen.push(url);
    const body = files[url.slice(url.lastIndexOf('/') + 1)];
    if (body instanceof Response) return body;
    return body ? new Response(body as Uint8Array<ArrayBuffer>) : new Response('not found', { status: 404, statusText: 'Not Found' });
  }) as typeof fetch;
}

async function loadError(files: Record<string, Uint8Array | Response>, fetchFn = fakeFetch(files)): Promise<MnistLoadError> {
  const error = await loadMnist('http://test', fetchFn).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MnistLoadError);
  return error as MnistLoadError;
}

describe('mnistUrl', () => {
  it.each([
    ['', '/data/mnist/a.gz'],
    ['/', '/data/mnist/a.gz'],
    ['/app/', '/app/data/mnist/a.gz'],
    ['app', '/app/data/mnist/a.gz'],
    ['http://localhost:5173', 'http://localhost:5173/data/mnist/a.gz'],
    ['http://localhost:5173/app', 'http://localhost:5173/app/data/mnist/a.gz'],
    ['https://x.io/cnn/', 'https://x.io/cnn/data/mnist/a.gz'],
  ])('joins %j', (base, url) => {
    expect(mnistUrl(base, 'a.gz')).toBe(url);
  });
});

describe('gunzipIfNeeded', () => {
  it('round-trips data gzipped by node:zlib, across many stream chunks', async () => {
    const raw = new Uint8Array(300_000).map((_, i) => (i * 7919) % 251);
    expect(await gunzipIfNeeded(gz(raw))).toEqual(raw);
  });

  it('returns bytes that are not gzip unchanged', async () => {
    const raw = idx([2049, 1], [3]);
    expect(await gunzipIfNeeded(raw)).toBe(raw);
    expect(await gunzipIfNeeded(new Uint8Array(0))).toEqual(new Uint8Array(0));
  });

  it('rejects corrupt gzip data', async () => {
    const bad = gz(new Uint8Array(1000).fill(1));
    bad.fill(0xff, 10, 20);
    await expect(gunzipIfNeeded(bad)).rejects.toThrow();
  });
});

describe('loadMnist', () => {
  it('fetches, gunzips and parses the four files, reporting progress', async () => {
    const files = tinyFiles();
    const seen: string[] = [];
    const progress: Array<[number, string]> = [];
    const mnist = await loadMnist('http://test/app/', fakeFetch(files, seen), (n, f) => progress.push([n, f]));
    expect(seen.sort()).toEqual(Object.values(MNIST_FILES).map((f) => `http://test/app/data/mnist/${f}`).sort());
    expect(mnist.train.count).toBe(3);
    expect(mnist.test.count).toBe(2);
    expect(mnist.train.images.length).toBe(3 * 784);
    expect(mnist.train.images[2 * 784]).toBe(2);
    expect(Array.from(mnist.train.labels)).toEqual([0, 1, 2]);
    const total = Object.values(files).reduce((sum, b) => sum + b.length, 0);
    expect(progress.at(-1)?.[0]).toBe(total);
    expect(progress.map(([n]) => n)).toEqual([...progress.map(([n]) => n)].sort((a, b) => a - b));
  });

  it('accepts files a server has already decompressed (Content-Encoding: gzip)', async () => {
    const files = tinyFiles();
    const plain = Object.fromEntries(
      await Promise.all(Object.entries(files).map(async ([k, v]) => [k, await gunzipIfNeeded(v)] as const)),
    );
    expect((await loadMnist('', fakeFetch(plain))).train.count).toBe(3);
  });

  it('says the assets are missing on a 404', async () => {
    const { [MNIST_FILES.testLabels]: _, ...files } = tinyFiles();
    expect((await loadError(files)).message).toBe(
      'MNIST data assets are missing: http://test/data/mnist/test-labels.idx1.gz returned 404. Run `npm run assets` to build them into public/data/mnist/, then reload.',
    );
  });

  it('says the assets are missing when a dev server answers with its HTML page', async () => {
    const html = new TextEncoder().encode('<!doctype html><title>app</title>');
    const files = { ...tinyFiles(), [MNIST_FILES.trainImages]: html };
    expect((await loadError(files)).message).toBe(
      'MNIST data assets are missing: http://test/data/mnist/train-images.idx3.gz returned an HTML page. Run `npm run assets` to build them into public/data/mnist/, then reload.',
    );
  });

  it('reports other HTTP errors and network failures plainly', async () => {
    const files = { ...tinyFiles(), [MNIST_FILES.trainLabels]: new Response('', { status: 503, statusText: 'Service Unavailable' }) };
    expect((await loadError(files)).message).toBe(
      'Could not download http://test/data/mnist/train-labels.idx1.gz: the server answered 503 Service Unavailable',
    );
    const offline = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof fetch;
    expect((await loadError({}, offline)).message).toBe('Could not download http://test/data/mnist/train-images.idx3.gz: fetch failed');
  });

  it('rejects images and labels whose counts disagree', async () => {
    expect((await loadError(tinyFiles(3, 2, 4))).message).toBe(
      'train-images.idx3.gz has 3 images but train-labels.idx1.gz has 4 labels; run `npm run assets` again',
    );
  });

  it('passes IDX problems on with the file name', async () => {
    const files = { ...tinyFiles(), [MNIST_FILES.testImages]: gz(idx([2049, 1], [0])) };
    const error = await loadError(files);
    expect(error.message).toBe(
      'test-images.idx3.gz: magic number 2049 means a label file; expected 2051 (images); run `npm run assets` again',
    );
    expect(error.cause).toHaveProperty('name', 'IdxError');
  });

  it('reports corrupt gzip data', async () => {
    const bad = gz(idx([2049, 3], [0, 1, 2]));
    bad.fill(0xff, 10, 16);
    const error = await loadError({ ...tinyFiles(), [MNIST_FILES.trainLabels]: bad });
    expect(error.message).toMatch(/^train-labels\.idx1\.gz: the gzip data is corrupt \(.+\); run `npm run assets` again$/);
  });
});

const assets = path.resolve('public/data/mnist');

describe.skipIf(!existsSync(path.join(assets, 'manifest.json')))('the built assets in public/data/mnist', () => {
  it('load as the standard 60,000 / 10,000 split', async () => {
    const serve = (async (input: RequestInfo | URL) => {
      const file = path.join(assets, String(input).split('/').pop()!);
      return existsSync(file) ? new Response(readFileSync(file)) : new Response('', { status: 404 });
    }) as typeof fetch;
    const mnist = await loadMnist('http://localhost:5173', serve);
    expect(mnist.train.count).toBe(60_000);
    expect(mnist.test.count).toBe(10_000);
    expect(mnist.train.images.length).toBe(60_000 * 784);
    expect(mnist.test.labels[0]).toBe(7);
    expect(Math.max(...mnist.test.images.subarray(0, 784))).toBe(255);
    const manifest = JSON.parse(readFileSync(path.join(assets, 'manifest.json'), 'utf8'));
    expect(manifest.files[MNIST_FILES.trainImages]).toMatchObject({ bytes: 47_040_016, gzBytes: expect.any(Number) });
  });
});

describe('scripts/build-mnist-assets.mjs', () => {
  it('exits 1 naming the file and the problem when a source is bad', () => {
    const src = mkdtempSync(path.join(tmpdir(), 'mnist-src-'));
    try {
      for (const name of ['train-images-idx3-ubyte', 't10k-images-idx3-ubyte']) writeFileSync(path.join(src, name), idx([2049, 1], [0]));
      for (const name of ['train-labels-idx1-ubyte', 't10k-labels-idx1-ubyte']) writeFileSync(path.join(src, name), idx([2049, 1], [0]));
      const run = spawnSync(process.execPath, ['scripts/build-mnist-assets.mjs', '--src', src, '--out', path.join(src, 'out')], {
        encoding: 'utf8',
      });
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/^build-mnist-assets: (train|t10k)-images-idx3-ubyte: magic number 2049 means a label file; expected 2051 \(images\)\n$/);
      expect(existsSync(path.join(src, 'out', 'manifest.json'))).toBe(false);
    } finally {
      rmSync(src, { recursive: true, force: true });
    }
  });
});
