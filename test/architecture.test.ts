import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/** The import boundaries of ARCHITECTURE.md, checked on every source file. */
const ROOT = join(__dirname, '..', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Module specifiers a file imports at run time (type-only imports are erased, so allowed). */
function runtimeImports(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/^\s*import\s+(type\s+)?(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"]/gm)) {
    if (!m[1]) found.push(m[2]);
  }
  for (const m of text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push(m[1]);
  return found;
}

const files = sourceFiles(ROOT).map((path) => ({ path, rel: relative(ROOT, path), imports: runtimeImports(path) }));
const isTf = (spec: string) => spec.startsWith('@tensorflow/');

/** Whether a relative import from `path` stays inside src/model or reads a preset file. */
function insideModelOrPresets(path: string, spec: string): boolean {
  const target = resolve(dirname(path), spec);
  return relative(ROOT, target).startsWith('model/') || relative(join(ROOT, '..'), target).startsWith('presets/');
}

describe('import boundaries', () => {
  it('finds the source files', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it('src/model is pure: no tfjs, Lit, zustand, d3 or other layers', () => {
    const bad = files
      .filter((f) => f.rel.startsWith('model/'))
      .flatMap((f) =>
        f.imports
          .filter((s) => !s.startsWith('.') || !insideModelOrPresets(f.path, s))
          .map((s) => `${f.rel} -> ${s}`),
      );
    expect(bad).toEqual([]);
  });

  it('only src/train imports tfjs', () => {
    const bad = files.filter((f) => !f.rel.startsWith('train/') && f.imports.some(isTf)).map((f) => f.rel);
    expect(bad).toEqual([]);
  });

  it('outside src/train, only the client and protocol are loaded from src/train (the UI never pulls in tfjs)', () => {
    const allowed = new Set(['train/client', 'train/protocol', 'train/generative/gen-client', 'train/generative/gen-protocol']);
    const bad = files
      .filter((f) => !f.rel.startsWith('train/'))
      .flatMap((f) =>
        f.imports
          .filter((s) => s.startsWith('.'))
          .map((s) => relative(ROOT, resolve(dirname(f.path), s)).replace(/\.ts$/, ''))
          .filter((target) => target.startsWith('train/') && !allowed.has(target))
          .map((target) => `${f.rel} -> ${target}`),
      );
    expect(bad).toEqual([]);
  });

  it('src/views holds pure helpers: no Lit, no store', () => {
    const bad = files
      .filter((f) => f.rel.startsWith('views/'))
      .flatMap((f) => f.imports.filter((s) => s === 'lit' || s.startsWith('lit/') || s.includes('zustand') || s.includes('/store/')).map((s) => `${f.rel} -> ${s}`));
    expect(bad).toEqual([]);
  });

  it('only components and main.ts touch the store module', () => {
    const bad = files
      .filter((f) => !f.rel.startsWith('components/') && !f.rel.startsWith('store/') && f.rel !== 'main.ts')
      .flatMap((f) => f.imports.filter((s) => s.includes('/store/')).map((s) => `${f.rel} -> ${s}`));
    expect(bad).toEqual([]);
  });
});
