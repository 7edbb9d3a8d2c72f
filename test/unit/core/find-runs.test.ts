import { describe, expect, it } from 'vitest';
import { findRuns } from '../../../src/core/find-runs.js';

describe('findRuns', () => {
  it('returns [start, end) of every run, including runs touching either end', () => {
    expect(findRuns([1, 1, 0, 1, 0, 0, 1], Boolean)).toEqual([
      { start: 0, end: 2 },
      { start: 3, end: 4 },
      { start: 6, end: 7 },
    ]);
    expect(findRuns([0, 0], Boolean)).toEqual([]);
    expect(findRuns([], Boolean)).toEqual([]);
    expect(findRuns([5, 6, 7], (v, i) => v > 5 && i < 2)).toEqual([{ start: 1, end: 2 }]);
  });
});
