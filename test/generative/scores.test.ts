import { describe, expect, it } from 'vitest';
import { conditionalAccuracy, mnistScore, perClassAccuracy } from '../../src/model/generative/scores';

/** One-hot rows for the given classes. */
function oneHot(classes: number[], k = 10): Float32Array {
  const out = new Float32Array(classes.length * k);
  classes.forEach((c, i) => (out[i * k + c] = 1));
  return out;
}

const balanced = Array.from({ length: 100 }, (_, i) => i % 10);

describe('judge scores', () => {
  it('perfect one-hot predictions of a balanced set: accuracy 1 and MNIST score 10', () => {
    const probs = oneHot(balanced);
    expect(conditionalAccuracy(probs, balanced)).toBe(1);
    expect(mnistScore(probs)).toBeCloseTo(10, 10);
  });

  it('uniform predictions score 1 (the judge cannot tell samples apart)', () => {
    const probs = new Float32Array(50 * 10).fill(0.1);
    expect(mnistScore(probs)).toBeCloseTo(1, 6);
  });

  it('confident but all the same class scores 1 (mode collapse)', () => {
    expect(mnistScore(oneHot(new Array(40).fill(3)))).toBeCloseTo(1, 10);
  });

  it('confident and balanced over k classes scores k', () => {
    const five = Array.from({ length: 50 }, (_, i) => i % 5);
    expect(mnistScore(oneHot(five))).toBeCloseTo(5, 10);
  });

  it('matches exp(mean KL) computed by hand on a small case', () => {
    // Two samples over two classes: p1 = (0.9, 0.1), p2 = (0.2, 0.8); marginal (0.55, 0.45).
    const p = [0.9, 0.1, 0.2, 0.8];
    const kl = (a: number, b: number) => a * Math.log(a / 0.55) + b * Math.log(b / 0.45);
    expect(mnistScore(p, 2)).toBeCloseTo(Math.exp((kl(0.9, 0.1) + kl(0.2, 0.8)) / 2), 10);
  });

  it('conditional accuracy counts samples read as the digit they were asked for', () => {
    const read = balanced.map((c, i) => (i < 30 ? (c + 1) % 10 : c));
    expect(conditionalAccuracy(oneHot(read), balanced)).toBeCloseTo(0.7, 10);
    const per = perClassAccuracy(oneHot(read), balanced);
    expect(per).toHaveLength(10);
    expect(per.every((v) => Math.abs(v - 0.7) < 1e-9)).toBe(true);
  });

  it('refuses mismatched inputs with a message', () => {
    expect(() => conditionalAccuracy(new Float32Array(25), [0, 1])).toThrow(/rows of 10/);
    expect(() => conditionalAccuracy(oneHot([1, 2, 3]), [1, 2])).toThrow(/3 probability rows but 2/);
  });
});
