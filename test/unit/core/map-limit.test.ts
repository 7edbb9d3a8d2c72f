import { describe, expect, it } from 'vitest';
import { mapLimit } from '../../../src/core/map-limit.js';

const tick = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('mapLimit', () => {
  it('keeps the order of the items and never runs more than the limit at once', async () => {
    let running = 0;
    let most = 0;
    const out = await mapLimit([5, 1, 4, 2, 3], 2, async (n) => {
      running++;
      most = Math.max(most, running);
      await tick(n * 3);
      running--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30]);
    expect(most).toBe(2);
  });

  it('after a failure starts nothing new, waits for the calls in flight, then throws the first error', async () => {
    const started: number[] = [];
    const finished: number[] = [];
    const run = mapLimit([0, 1, 2, 3, 4, 5], 2, async (n) => {
      started.push(n);
      if (n === 0) {
        await tick(5);
        throw new Error('first');
      }
      await tick(30);
      finished.push(n);
      if (n === 1) throw new Error('second');
      return n;
    });
    await expect(run).rejects.toThrow('first');
    // Item 1 was in flight when 0 failed: it was awaited, and no item after it was started.
    expect(started).toEqual([0, 1]);
    expect(finished).toEqual([1]);
  });
});
