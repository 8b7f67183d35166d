import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { readbackMismatch, syncReadbackProblem } from '../../src/train/readback-check';

describe('readbackMismatch', () => {
  it('accepts values that are all the expected one', () => {
    expect(readbackMismatch(new Float32Array([32, 32, 32]), 32)).toBeNull();
  });

  it('names the first wrong value: zeros, garbage and NaN from a broken readback', () => {
    expect(readbackMismatch(new Float32Array([0, 0]), 32)).toBe('read 0 where 32 was computed');
    expect(readbackMismatch(new Float32Array([32, -2]), 32)).toBe('read -2 where 32 was computed');
    expect(readbackMismatch(new Float32Array([Number.NaN]), 32)).toBe('read NaN where 32 was computed');
  });

  it('does not accept an empty read', () => {
    expect(readbackMismatch(new Float32Array(0), 32)).toBe('read nothing back');
  });
});

describe('syncReadbackProblem', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('finds none on a backend that reads back correctly, and leaves no tensor', () => {
    const before = tf.memory().numTensors;
    expect(syncReadbackProblem()).toBeNull();
    expect(tf.memory().numTensors).toBe(before);
  });
});
