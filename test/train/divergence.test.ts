import { describe, expect, it } from 'vitest';
import { divergedMessage, DivergenceWatch } from '../../src/train/divergence';

describe('DivergenceWatch', () => {
  it('flags a non-finite loss at once', () => {
    const w = new DivergenceWatch();
    expect(w.observe(2.3)).toBeNull();
    expect(w.observe(NaN)).toBe('the loss became NaN or infinite');
    expect(new DivergenceWatch().observe(Infinity)).toBe('the loss became NaN or infinite');
  });

  it('flags a loss pinned far above chance for 20 batches, not a brief spike', () => {
    const w = new DivergenceWatch();
    for (let i = 0; i < 19; i++) expect(w.observe(13.1)).toBeNull();
    expect(w.observe(13.1)).toBe('the loss stayed near 13.1 for 20 batches, far above 2.30 (a random guess)');
    const healthy = new DivergenceWatch();
    const losses = [2.3, 30, 2.1, 1.9, ...Array(40).fill(0.5)];
    expect(losses.map((l) => healthy.observe(l)).filter(Boolean)).toEqual([]);
  });
});

describe('divergedMessage', () => {
  it('blames a high learning rate and suggests a safe one', () => {
    expect(divergedMessage('epoch 1, batch 7', 'the loss became NaN or infinite', 0.05, 'sgd')).toBe(
      'Training diverged at epoch 1, batch 7: the loss became NaN or infinite. The learning rate 0.05 is probably too high for sgd; try 0.001.',
    );
  });

  it('at a rate already that low, points to other causes instead, the backend first', () => {
    const message = divergedMessage('epoch 1, batch 25', 'the weights s0_conv2d/kernel_1 became NaN or infinite', 0.001, 'adam');
    expect(message).toMatch(/^Training diverged at epoch 1, batch 25: the weights s0_conv2d\/kernel_1 became NaN or infinite\. /);
    expect(message).toContain('The learning rate 0.001 is already low for adam');
    expect(message).toContain('another backend');
    expect(message).not.toContain('try 0.001');
  });
});
