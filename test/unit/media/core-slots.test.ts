import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CoreSlots } from '../../../src/media/ffmpeg/core-slots.js';

/** Acquire and record the order in which runs were let in. */
function harness(max: number, handoffMs = 250) {
  const slots = new CoreSlots(max, handoffMs);
  const order: string[] = [];
  const releases = new Map<string, () => void>();
  const ask = (name: string, priority: number): void => {
    void slots.acquire(priority).then((release) => {
      order.push(name);
      releases.set(name, release);
    });
  };
  const done = (name: string): void => releases.get(name)!();
  // Let the acquire promises settle (microtasks), without moving the fake clock.
  const settle = async (): Promise<void> => {
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  return { slots, order, ask, done, settle };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('CoreSlots', () => {
  it('lets in at most max runs, then by priority, first come first served within one', async () => {
    const h = harness(1, 0);
    h.ask('first', 1);
    h.ask('slack', 2);
    h.ask('normal', 1);
    h.ask('critical', 0);
    await h.settle();
    expect(h.order).toEqual(['first']);
    for (const name of ['first', 'critical', 'normal']) {
      h.done(name);
      await h.settle();
    }
    expect(h.order).toEqual(['first', 'critical', 'normal', 'slack']);
  });

  it('holds the core a critical run gives back for the next critical run, not for the stills waiting', async () => {
    const h = harness(2);
    h.ask('hum probe', 0);
    h.ask('still 1', 1);
    h.ask('still 2', 1);
    await h.settle();
    expect(h.order).toEqual(['hum probe', 'still 1']);
    h.done('hum probe');
    await h.settle();
    // The analysis asks a moment later and gets the hum probe's core before still 2.
    expect(h.slots.busy).toEqual({ running: 1, held: 1, waiting: 1 });
    vi.advanceTimersByTime(100);
    h.ask('analysis', 0);
    await h.settle();
    expect(h.order).toEqual(['hum probe', 'still 1', 'analysis']);
    expect(h.slots.busy).toEqual({ running: 2, held: 0, waiting: 1 });
    // A critical run already waiting gets the core at once.
    h.ask('probe', 0);
    h.done('analysis');
    await h.settle();
    expect(h.order.at(-1)).toBe('probe');
  });

  it('gives a held core to the waiting runs when no critical run comes in time, and a double release gives back one core', async () => {
    const h = harness(2);
    h.ask('mp3', 0);
    h.ask('aac', 1);
    h.ask('still', 1);
    await h.settle();
    h.done('mp3');
    h.done('mp3');
    await h.settle();
    expect(h.order).toEqual(['mp3', 'aac']);
    vi.advanceTimersByTime(249);
    await h.settle();
    expect(h.order).toEqual(['mp3', 'aac']);
    vi.advanceTimersByTime(2);
    await h.settle();
    expect(h.order).toEqual(['mp3', 'aac', 'still']);
    expect(h.slots.busy).toEqual({ running: 2, held: 0, waiting: 0 });
    h.done('aac');
    h.done('still');
    expect(h.slots.busy).toEqual({ running: 0, held: 0, waiting: 0 });
  });
});
