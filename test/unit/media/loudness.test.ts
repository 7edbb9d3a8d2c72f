import { describe, expect, it } from 'vitest';
import { checkOutputLoudness, curveLoudness, gainForLoudness, loudnessFilter, parseLastIntegrated, planEncoderLoudness, planLoudness, type LimiterCurve } from '../../../src/media/loudness.js';

const target = { integrated: -16, truePeak: -1 };

describe('planLoudness (the plain plan, before anything is probed)', () => {
  it('applies a plain gain when no sample peak can reach the ceiling', () => {
    const plan = planLoudness({ integrated: -20, samplePeak: -10 }, target);
    expect(plan).toMatchObject({ gainDb: 4, limiter: undefined, limitingDb: 0, warnings: [] });
    expect(loudnessFilter(plan)).toBe('volume=4.00dB');
  });
  it('adds a limiter 1 dB under the true-peak target when the gain lifts sample peaks over it', () => {
    const plan = planLoudness({ integrated: -22, samplePeak: -2 }, target);
    expect(plan.gainDb).toBe(6);
    // Ceiling: -1 dBTP less the 1 dB margin = -2 dBFS = 10^(-2/20) = 0.7943 linear; the peak
    // lifted to -2 + 6 = +4 dBFS must come down 6 dB.
    expect(plan.limiter?.ceilingDb).toBe(-2);
    expect(plan.limiter?.limit).toBeCloseTo(0.7943, 4);
    expect(plan.limitingDb).toBeCloseTo(6, 2);
    // auto-level off: alimiter's default would re-scale the output and undo the gain.
    expect(loudnessFilter(plan)).toMatch(/^volume=6\.00dB,alimiter=limit=0\.794\d*:level=0:/);
  });
  it("reads an older record's true peak when there is no sample peak", () => {
    expect(planLoudness({ integrated: -22, truePeak: -9 }, target).limiter).toBeUndefined();
  });
  it('warns when reaching the target needs heavy limiting', () => {
    expect(planLoudness({ integrated: -35, samplePeak: -1 }, target).warnings[0]).toMatch(/needs 20\.0 dB of peak limiting/);
  });
  it('attenuates loud recordings', () => {
    expect(planLoudness({ integrated: -9, samplePeak: 0 }, target)).toMatchObject({ gainDb: -7, limiter: undefined });
  });
});

// A limiter curve as measured on espeak speech (-22 LUFS, sample peak -6.5 dBFS) at a -2 dBFS
// ceiling: the knee is at 4.5 dB of gain; past it each dB of gain adds less loudness.
const curve: LimiterCurve = {
  integrated: -22,
  samplePeak: -6.5,
  ceilingDb: -2,
  points: [
    { gainDb: 6, integrated: -16.5 },
    { gainDb: 8, integrated: -15.1 },
    { gainDb: 10, integrated: -14.4 },
  ],
};

describe('the limiter curve', () => {
  it('is measured + gain exactly below the knee, then the measured points, then their last slope', () => {
    expect(curveLoudness(curve, 3)).toBeCloseTo(-19, 6);
    expect(curveLoudness(curve, 4.5)).toBeCloseTo(-17.5, 6);
    // Between the knee (4.5, -17.5) and (6, -16.5): two thirds of a LU per dB.
    expect(curveLoudness(curve, 5.25)).toBeCloseTo(-17, 6);
    expect(curveLoudness(curve, 9)).toBeCloseTo(-14.75, 6);
    // Past the last point: the last slope, 0.35 LU per dB.
    expect(curveLoudness(curve, 12)).toBeCloseTo(-13.7, 6);
  });
  it('never falls as the gain rises, whatever a meter wobble says', () => {
    const wobbly = { ...curve, points: [...curve.points, { gainDb: 9, integrated: -15.3 }] };
    expect(curveLoudness(wobbly, 9)).toBeGreaterThanOrEqual(curveLoudness(wobbly, 8));
  });
  it('inverts: the gain for a loudness, and for a ceiling lowered by δ the curve read δ dB up, δ dB down', () => {
    expect(gainForLoudness(curve, -16.5)).toBeCloseTo(6, 2);
    expect(gainForLoudness(curve, -19)).toBeCloseTo(3, 2);
    // Ceiling 0.5 dB lower: want -16 + 0.5 = -15.5 on the curve → between 6 and 8 dB: 7.43; less 0.5.
    expect(gainForLoudness(curve, -16, 0.5)).toBeCloseTo(7.43 - 0.5, 2);
  });
  it('caps the gain 12 dB above the plain gain', () => {
    expect(gainForLoudness({ ...curve, points: [{ gainDb: 6, integrated: -20 }, { gainDb: 10, integrated: -19.99 }] }, -16)).toBe(18);
  });
});

describe('planEncoderLoudness', () => {
  const check = { gainDb: 6, integrated: -16.5, interSampleDb: 0.4 };
  it("adds the encoder's measured loss to the target it solves for", () => {
    const mp3 = planEncoderLoudness(curve, check, { lossLu: 0.45, truePeakRiseDb: -0.4 }, target);
    const aac = planEncoderLoudness(curve, check, { lossLu: 0, truePeakRiseDb: 0 }, target);
    expect(curveLoudness(curve, aac.gainDb)).toBeCloseTo(-16, 2);
    expect(curveLoudness(curve, mp3.gainDb)).toBeCloseTo(-15.55, 2);
    expect(mp3.limiter?.ceilingDb).toBe(-2);
    expect(mp3.limitingDb).toBeCloseTo(-6.5 + mp3.gainDb + 2, 2);
  });
  it('lowers the ceiling when the measured overshoot would reach the true-peak target', () => {
    // 0.8 dB between samples + 0.3 dB from the encoder: ceiling -1 - 0.2 - 1.1 = -2.3 dBFS.
    const plan = planEncoderLoudness(curve, { ...check, interSampleDb: 0.8 }, { lossLu: 0, truePeakRiseDb: 0.3 }, target);
    expect(plan.limiter?.ceilingDb).toBe(-2.3);
    expect(plan.gainDb).toBeCloseTo(gainForLoudness(curve, -16, 0.3), 2);
    expect(plan.gainDb).toBeGreaterThan(gainForLoudness(curve, -16));
  });
  it('uses the check point as a point of the curve', () => {
    const plan = planEncoderLoudness(curve, { gainDb: 7, integrated: -16.3, interSampleDb: 0 }, { lossLu: 0, truePeakRiseDb: 0 }, target);
    expect(plan.gainDb).toBeCloseTo(7 + 0.3 / ((-15.1 + 16.3) / 1), 2);
  });
  it('needs no limiter when no sample peak reaches the ceiling', () => {
    const quiet = { ...curve, samplePeak: -20, points: [] };
    expect(planEncoderLoudness(quiet, undefined, { lossLu: 0.45, truePeakRiseDb: 0 }, target)).toMatchObject({ gainDb: 6.45, limiter: undefined, limitingDb: 0 });
  });
});

describe('checkOutputLoudness', () => {
  it('warns beyond the tolerance and above the ceiling only', () => {
    expect(checkOutputLoudness('x.mp3', { integrated: -16.3, truePeak: -1, lra: undefined }, target)).toEqual([]);
    expect(checkOutputLoudness('x.mp3', { integrated: -15.7, truePeak: -1.2, lra: undefined }, target)).toEqual([]);
    expect(checkOutputLoudness('x.mp3', { integrated: -16.4, truePeak: -0.9, lra: undefined }, target)).toHaveLength(2);
  });
});


describe('parseLastIntegrated', () => {
  it('reads the last lavfi.r128.I an ametadata print file holds', () => {
    expect(parseLastIntegrated('frame:0 pts:0 pts_time:0\nlavfi.r128.I=-70.000\nframe:1 pts:4800 pts_time:0.1\nlavfi.r128.I=-16.482\n')).toBe(-16.482);
    expect(parseLastIntegrated('')).toBeUndefined();
    expect(parseLastIntegrated('lavfi.r128.I=-inf\n')).toBeUndefined();
  });
});
