import { describe, expect, it } from 'vitest';
import { getPreset, PRESETS } from '../../src/model/presets';
import { autoName, formatParams, formatRate, isResumable, RUN_RECORD_VERSION, summarize, type RunRecord } from '../../src/runs/record';
import { readCheckpoint, readRunRecord } from '../../src/runs/validate-record';
import { checkpoint, point, report } from './fixtures';

function record(overrides: Partial<RunRecord> = {}): RunRecord {
  const spec = getPreset(PRESETS[0]!.id)!;
  return {
    version: RUN_RECORD_VERSION, id: 'run-1', name: 'x', named: false, createdAt: 1, updatedAt: 2, spec, backend: { name: 'wasm', threads: 2, simd: true, notes: [] },
    end: 'stopped', error: null, batches: [point(1), point(2)], epochs: [], report: report(0.5),
    progress: { epoch: 1, epochs: 1, batch: 2, batchesPerEpoch: 10, examplesSeen: 128, elapsedMs: 20, examplesPerSecond: 6400, tensors: 20 },
    durationMs: 20, examplesSeen: 128, hasModel: true, ...overrides,
  };
}

describe('run records', () => {
  it('round-trip through structured clone (as IndexedDB stores them) and the reader', () => {
    const original = record();
    const read = readRunRecord(structuredClone(original));
    expect(read).toEqual({ ok: true, value: original });
  });

  it('names runs after the network, its size, optimizer, rate and test accuracy', () => {
    const spec = getPreset(PRESETS[0]!.id)!;
    const named = (lr: number) => autoName({ ...spec, name: 'seed-cnn', training: { ...spec.training, optimizer: 'adam', learningRate: lr } }, 'done', 0.9889);
    expect(named(0.001)).toBe('seed-cnn · 122k params · adam 1e-3 · 98.9%');
    expect(named(0.0005)).toBe('seed-cnn · 122k params · adam 5e-4 · 98.9%');
    expect(named(0.00025)).toBe('seed-cnn · 122k params · adam 2.5e-4 · 98.9%');
    expect(named(0.1)).toBe('seed-cnn · 122k params · adam 0.1 · 98.9%');
    // An edited stack under the same name gets another name: 16 first filters instead of 32.
    const edited = { ...spec, layers: spec.layers.map((l, i) => (i === 0 && l.kind === 'conv2d' ? { ...l, filters: 16 } : l)) };
    expect(autoName(edited, 'done', 0.9889)).not.toBe(autoName(spec, 'done', 0.9889));
    expect([formatParams(930), formatParams(60554), formatParams(121930), formatParams(1234567)]).toEqual(['930 params', '60.6k params', '122k params', '1.23M params']);
    expect(autoName(spec, 'error', null)).toMatch(/ · failed$/);
    expect(autoName(spec, 'stopped', null)).toMatch(/ · no test yet$/);
    expect([formatRate(3), formatRate(0.003), formatRate(0.01)]).toEqual(['3', '3e-3', '1e-2']);
  });

  it('can continue only a stopped run with its model and steps left', () => {
    expect(isResumable(record())).toBe(true);
    expect(isResumable(record({ hasModel: false }))).toBe(false);
    expect(isResumable(record({ end: 'done' }))).toBe(false);
    expect(isResumable(record({ progress: { ...record().progress!, batch: 10 } }))).toBe(false);
    expect(summarize(record(), 99)).toMatchObject({ testAccuracy: 0.5, testLoss: 0.25, backend: 'wasm', bytes: 99, resumable: true });
  });

  it('rejects damaged records with a sentence that says what is wrong', () => {
    const cases: [unknown, RegExp][] = [
      ['not a record', /it is not an object/],
      [{ ...record(), version: 2 }, /its version 2 is not 1/],
      [{ ...record(), end: 'exploded' }, /its end exploded is not one of done, stopped, error/],
      [{ ...record(), batches: [{ step: 'one' }] }, /a batch point\.step is not a number/],
      [{ ...record(), batches: new Array(70_000).fill(point(1)) }, /its batch history is not a list \(or is too long\)/],
      [{ ...record(), report: { ...report(0.5), confusion: [1, 2] } }, /report\.confusion is not 100 counts/],
      [{ ...record(), report: { ...report(0.5), predictions: new Uint8Array(3) } }, /report\.predictions does not match its examples/],
      [{ ...record(), spec: { version: 1, layers: 'many' } }, /its network is not valid: layers/],
    ];
    for (const [raw, message] of cases) {
      const read = readRunRecord(raw);
      expect(read.ok).toBe(false);
      if (!read.ok) expect(read.message).toMatch(/^The stored run cannot be read: /);
      if (!read.ok) expect(read.message).toMatch(message);
    }
  });

  it('checks stored weights against their shapes, and refuses huge declared sizes', () => {
    expect(readCheckpoint(structuredClone(checkpoint(3)))).toEqual({ ok: true, value: checkpoint(3) });
    const short = checkpoint(3);
    short.weights[0]!.values = new Float32Array(5);
    expect(readCheckpoint(short)).toEqual({ ok: false, message: 'The stored model cannot be read: weight 1 holds 5 values for shape [6].' });
    const huge = checkpoint(3);
    huge.weights[1]!.shape = [65536, 65536];
    expect(readCheckpoint(huge)).toEqual({ ok: false, message: 'The stored model cannot be read: weight 2 declares 4294967296 values, more than 50000000.' });
    const wrongType = checkpoint(3) as unknown as { optimizer: { values: unknown }[] };
    wrongType.optimizer[1]!.values = [1, 2, 3, 4, 5, 6];
    expect(readCheckpoint(wrongType)).toEqual({ ok: false, message: 'The stored model cannot be read: optimizer slot 2 holds no float32 or int32 values.' });
  });
});
