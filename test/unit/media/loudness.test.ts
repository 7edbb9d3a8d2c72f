import { describe, expect, it } from 'vitest';
import { combineParts, checkOutputLoudness, correctGain, loudnessFilter, planLoudness } from '../../../src/media/loudness.js';

const target = { integrated: -16, truePeak: -1 };

describe('planLoudness', () => {
  it('applies a plain gain when no peak can reach the ceiling', () => {
    const plan = planLoudness({ integrated: -20, truePeak: -10, lra: undefined }, target);
    expect(plan).toMatchObject({ gainDb: 4, limiter: undefined, limitingDb: 0, warnings: [] });
    expect(loudnessFilter(plan)).toBe('volume=4.00dB');
  });
  it('adds a limiter below the true-peak target (with margin) when the gain lifts peaks over it', () => {
    const plan = planLoudness({ integrated: -22, truePeak: -2, lra: undefined }, target);
    expect(plan.gainDb).toBe(6);
    // Ceiling: the -1 dBTP target less the 0.7 dB margin = -1.7 dBFS, i.e. 10^(-1.7/20) = 0.8222
    // linear; the peak lifted to -2 + 6 = +4 dBFS must come down 5.7 dB.
    expect(plan.limiter?.ceilingDb).toBe(-1.7);
    expect(plan.limiter?.limit).toBeCloseTo(0.8222, 4);
    expect(plan.limitingDb).toBeCloseTo(5.7, 2);
    // auto-level off: alimiter's default would re-scale the output and undo the gain.
    expect(loudnessFilter(plan)).toMatch(/^volume=6\.00dB,alimiter=limit=0\.822\d*:level=0:/);
  });
  it('warns when reaching the target needs heavy limiting', () => {
    expect(planLoudness({ integrated: -35, truePeak: -1, lra: undefined }, target).warnings[0]).toMatch(/needs 19\.\d dB of peak limiting/);
  });
  it('attenuates loud recordings', () => {
    expect(planLoudness({ integrated: -9, truePeak: 0, lra: undefined }, target)).toMatchObject({ gainDb: -7, limiter: undefined });
  });
});

describe('correctGain', () => {
  const plan = planLoudness({ integrated: -22, truePeak: -2, lra: undefined }, target);
  it('first raises the gain by the shortfall measured after limiting, keeping the ceiling', () => {
    const corrected = correctGain(plan, [{ gainDb: 6, integrated: -17.2 }], target, -2);
    expect(corrected.gainDb).toBeCloseTo(7.2, 2);
    expect(corrected.limiter).toEqual(plan.limiter);
    expect(corrected.limitingDb).toBeCloseTo(plan.limitingDb + 1.2, 2);
  });
  it('then follows the secant: +1.2 dB of gain gave only +0.6 LU, so the next step is doubled', () => {
    const corrected = correctGain(plan, [{ gainDb: 6, integrated: -17.2 }, { gainDb: 7.2, integrated: -16.6 }], target, -2);
    expect(corrected.gainDb).toBeCloseTo(8.4, 2);
  });
  it('caps the extra gain at 12 dB', () => {
    expect(correctGain(plan, [{ gainDb: 6, integrated: -40 }], target, -2).gainDb).toBe(18);
  });
});

describe('checkOutputLoudness', () => {
  it('warns beyond the tolerance and above the ceiling only', () => {
    expect(checkOutputLoudness('x.mp3', { integrated: -16.4, truePeak: -1.2, lra: undefined }, target)).toEqual([]);
    expect(checkOutputLoudness('x.mp3', { integrated: -17.1, truePeak: -0.2, lra: undefined }, target)).toHaveLength(2);
  });
});

describe('combineParts', () => {
  it('takes the largest true peak and the energy mean of the parts, weighted by duration', () => {
    expect(combineParts([
      { integrated: -16, truePeak: -1.5, lra: undefined, duration: 1800 },
      { integrated: -16, truePeak: -1.1, lra: undefined, duration: 1800 },
    ])).toEqual({ integrated: -16, truePeak: -1.1, lra: undefined });
    // -13 and -19 LUFS halves: 10·log10((10^-1.3 + 10^-1.9) / 2) = -14.97
    expect(combineParts([
      { integrated: -13, truePeak: -1, lra: undefined, duration: 10 },
      { integrated: -19, truePeak: -3, lra: undefined, duration: 10 },
    ]).integrated).toBe(-15);
  });
});
