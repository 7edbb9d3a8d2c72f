import { describe, expect, it } from 'vitest';
import { alignUnits, speechEdges } from '../../../src/captions/align-units.js';
import type { Pause } from '../../../src/captions/find-pauses.js';

/** Units spoken at 0.2 s per syllable with the given pauses between them; returns pauses and true starts. */
function layout(weights: number[], gaps: number[], commaEvery?: number): { pauses: Pause[]; starts: number[]; end: number } {
  const pauses: Pause[] = [{ start: 0, end: 1 }];
  const starts: number[] = [];
  let t = 1;
  weights.forEach((w, i) => {
    starts.push(t);
    const length = w * 0.2;
    if (commaEvery && length > commaEvery) pauses.push({ start: t + length / 2, end: t + length / 2 + 0.15 });
    t += length;
    const gap = gaps[i] ?? 1;
    pauses.push({ start: t, end: t + gap });
    t += gap;
  });
  return { pauses, starts, end: t };
}

describe('alignUnits', () => {
  it('finds every unit start on the pauses, ignoring shorter comma pauses', () => {
    const weights = [12, 20, 5, 30, 18, 9, 25];
    const { pauses, starts, end } = layout(weights, [0.4, 0.7, 0.3, 0.9, 0.5, 0.35, 1], 3);
    const result = alignUnits(weights, { start: 0, end }, pauses);
    result.units.forEach((u, i) => expect(u.start).toBeCloseTo(starts[i]!, 2));
    expect(result.onPause.every(Boolean)).toBe(true);
    expect(result.unscripted).toEqual([]);
  });

  it('reports speech that matches no unit (a sentence cut from the script) and keeps the rest in place', () => {
    const spoken = [12, 20, 15, 30, 18, 9, 25];
    const { pauses, starts, end } = layout(spoken, [0.5, 0.6, 0.5, 0.7, 0.5, 0.6, 1]);
    const script = spoken.filter((_, i) => i !== 3);
    const result = alignUnits(script, { start: 0, end }, pauses, { rate: 0.2 });
    expect(result.unscripted).toHaveLength(1);
    expect(result.unscripted[0]!.start).toBeCloseTo(starts[3]!, 2);
    expect(result.units[3]!.start).toBeCloseTo(starts[4]!, 2);
  });

  it('places units proportionally when the audio has no pauses at all', () => {
    const result = alignUnits([10, 10, 20], { start: 0, end: 8 }, []);
    expect(result.units.map((u) => u.start)).toEqual([0, 2, 4]);
    expect(result.onPause.some(Boolean)).toBe(false);
  });

  it('trims leading and trailing silence off the span', () => {
    expect(speechEdges({ start: 0, end: 10 }, [{ start: 0, end: 1.2 }, { start: 9, end: 10 }])).toEqual({ start: 1.2, end: 9 });
  });
});
