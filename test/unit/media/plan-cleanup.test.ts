import { describe, expect, it } from 'vitest';
import { CleanupOverrideSchema, CleanupSchema } from '../../../src/config/show-schema.js';
import { renderFilterChain } from '../../../src/media/filter-chain.js';
import { classifyFrames, denoiseFilter, episodeCleanup, detectHum, humProbeFrequencies, levelerCommands, mapTime, pauseFloorAfter, planLeveler, planTakeCleanup, planTrim, trimFilters, trimmedSeconds } from '../../../src/media/plan-cleanup.js';

const frames = (spec: [number, number][]): number[] => spec.flatMap(([level, n]) => Array.from({ length: n }, () => level));
const context = { sampleRate: 44100, targetSpeechDb: undefined, levelerCommandsFile: '/w/lv.cmd' };

describe('detectHum', () => {
  const troughs = (over: Record<number, number>): Map<number, number> => new Map(humProbeFrequencies().map((f) => [f, over[f] ?? -80]));

  it('probes each harmonic of 50 and 60 Hz and 7 Hz either side', () => {
    expect(humProbeFrequencies()).toEqual([43, 50, 53, 57, 60, 67, 93, 100, 107, 113, 120, 127, 143, 150, 157, 173, 180, 187]);
  });
  it('finds 50 Hz hum when its band stands ≥ 10 dB above both neighbours', () => {
    const h = detectHum(troughs({ 50: -40, 100: -45 }));
    expect(h.base).toBe(50);
    expect(h.excessDb[50]).toBe(40);
  });
  it('finds 60 Hz from the 2nd harmonic alone', () => {
    expect(detectHum(troughs({ 120: -60 })).base).toBe(60);
  });
  it('finds nothing in a flat floor, or 9 dB over it, or in digital silence', () => {
    expect(detectHum(troughs({})).base).toBeUndefined();
    expect(detectHum(troughs({ 50: -71 })).base).toBeUndefined();
    const silent = new Map(humProbeFrequencies().map((f) => [f, Number.NEGATIVE_INFINITY]));
    expect(detectHum(silent)).toEqual({ base: undefined, excessDb: { 50: 0, 60: 0 } });
  });
  it('judges by the louder neighbour (speech energy beside the band is not hum)', () => {
    expect(detectHum(troughs({ 100: -50, 107: -55 })).base).toBeUndefined();
  });
});

describe('classifyFrames', () => {
  it('splits a noisy recording into pauses and speech and reads the floor from the pauses', () => {
    const levels = frames([
      [-54, 20],
      [-20, 30],
      [-55, 2], // a gap between words: too short for a pause
      [-22, 30],
      [-53, 20],
    ]);
    const c = classifyFrames(levels);
    expect(c.pause.slice(0, 20).every(Boolean)).toBe(true);
    expect(c.pause.slice(50, 52).some(Boolean)).toBe(false);
    expect(c.pause.slice(-20).every(Boolean)).toBe(true);
    expect(c.noiseFloorDb).toBeGreaterThanOrEqual(-54);
    expect(c.noiseFloorDb).toBeLessThanOrEqual(-53);
    expect(c.thresholdDb).toBeGreaterThan(-53);
    expect(c.thresholdDb).toBeLessThan(-30);
  });
  it('judges the room where it is heard: digital silence and dither before it do not count', () => {
    const c = classifyFrames(frames([[Number.NEGATIVE_INFINITY, 40], [-96, 40], [-64, 10], [-25, 60], [-64, 10]]));
    expect(c.noiseFloorDb).toBe(-64);
    expect(c.pause.slice(80, 90).every(Boolean)).toBe(true);
  });
});

describe('denoiseFilter', () => {
  it('sets afftdn from the measured floor (28 dB above it on afftdn’s scale) and the strength', () => {
    expect(denoiseFilter('medium', -54.3)).toEqual({ name: 'afftdn', options: { nr: 16, nf: -26 } });
    expect(denoiseFilter('light', -70)).toEqual({ name: 'afftdn', options: { nr: 8, nf: -42 } });
    // afftdn's nf is bounded to [-80, -20].
    expect(denoiseFilter('strong', -30).options).toEqual({ nr: 30, nf: -20 });
    expect(denoiseFilter('strong', -120).options.nf).toBe(-80);
  });
});

describe('planLeveler', () => {
  it('raises a paragraph 10 dB quieter to the target, moving in the pause before it, and holds through pauses', () => {
    const levels = frames([
      [-60, 10],
      [-20, 100],
      [-60, 20], // a 2 s break between paragraphs
      [-30, 100],
      [-60, 10],
    ]);
    const pause = levels.map((l) => l === -60);
    const points = planLeveler(levels, pause, -25);
    const gainAt = (t: number): number => [...points].reverse().find((p) => p.time <= t + 1e-9)?.gainDb ?? Number.NaN;
    expect(gainAt(0)).toBe(-5);
    expect(gainAt(5)).toBe(-5);
    // Inside the break the gain climbs, and is there before B's first word (frame 130).
    expect(gainAt(10.95)).toBe(-5);
    expect(gainAt(13)).toBe(5);
    expect(gainAt(20)).toBe(5);
    expect(gainAt(23.5)).toBe(5);
    const steps = points.slice(1).map((p, i) => Math.abs(p.gainDb - points[i]!.gainDb));
    expect(Math.max(...steps)).toBeLessThanOrEqual(1);
  });
  it('writes asendcmd commands for volume@id, linear gains, one per line', () => {
    expect(levelerCommands([{ time: 0, gainDb: 0 }, { time: 1.5, gainDb: -6 }], 'lv')).toBe('0.000 volume@lv volume 1.000000;\n1.500 volume@lv volume 0.501187;\n');
  });
});

describe('planTrim and mapTime', () => {
  // 8 s silence, 10 s speech, 3 s pause, 10 s speech, 8 s silence (100 ms frames).
  const pause = [...Array(80).fill(true), ...Array(100).fill(false), ...Array(30).fill(true), ...Array(100).fill(false), ...Array(80).fill(true)] as boolean[];
  const cuts = planTrim(pause, 39, 1.5);

  it('keeps 0.25 s at each end and 1.5 s of a 3 s pause (its middle is cut)', () => {
    expect(cuts).toEqual([
      { start: 0, end: 7.75 },
      { start: 18.75, end: 20.25 },
      { start: 31.25, end: 39 },
    ]);
    expect(trimmedSeconds(cuts)).toBe(17);
  });
  it('maps times of the original onto the trimmed take', () => {
    expect(mapTime(8, cuts)).toBe(0.25);
    expect(mapTime(18, cuts)).toBe(10.25);
    expect(mapTime(19, cuts)).toBe(11); // inside a cut: where the cut is
    expect(mapTime(21, cuts)).toBe(11.75);
    expect(mapTime(39, cuts)).toBe(22);
  });
  it('cuts with aselect on 10 ms blocks, the expression escaped into the graph', () => {
    const chain = renderFilterChain(trimFilters(cuts, 48000));
    expect(chain).toMatch(/^asetnsamples=n=480:p=0,aselect=expr=/);
    expect(chain).toContain('between(t\\,18.750\\,20.2450)');
    expect(chain.endsWith("asetpts=expr=N/SR/TB")).toBe(true);
    expect(trimFilters([], 44100)).toEqual([]);
  });
  it('leaves a take that is all pause alone', () => {
    expect(planTrim(Array(50).fill(true) as boolean[], 5, 1.5)).toEqual([]);
  });
  it('measures the floor after cleanup on the same pause moments, through the cuts', () => {
    const levels = pause.map((p) => (p ? -54 : -20));
    const c = classifyFrames(levels);
    const after = Array.from({ length: 221 }, (_, i) => (i < 3 || (i >= 103 && i < 118) || i > 218 ? -70 : -21));
    expect(pauseFloorAfter(c, cuts, after)).toBe(-70);
  });
});

describe('planTakeCleanup', () => {
  const humless = new Map(humProbeFrequencies().map((f) => [f, -80]));
  it('by default: a 4th-order high-pass at 80 Hz and nothing else when there is no hum', () => {
    const plan = planTakeCleanup(CleanupSchema.parse({}), { duration: 10, levels: [], humTroughs: humless }, context);
    expect(renderFilterChain(plan.filters)).toBe('highpass=f=80:width_type=q:w=0.5412,highpass=f=80:width_type=q:w=1.3066');
    expect(plan.cuts).toEqual([]);
  });
  it('notches 50 Hz and three harmonics when auto finds 50 Hz hum', () => {
    const plan = planTakeCleanup(CleanupSchema.parse({ highpass: false }), { duration: 10, levels: [], humTroughs: new Map([...humless, [50, -40]]) }, context);
    expect(plan.filters.map((f) => `${f.name}:${f.options.f}`)).toEqual(['bandreject:50', 'bandreject:100', 'bandreject:150', 'bandreject:200']);
    expect(plan.hum.removed).toBe(50);
  });
  it('notches the set frequency without detection, and nothing with everything off', () => {
    expect(planTakeCleanup(CleanupSchema.parse({ highpass: false, dehum: 60 }), { duration: 10, levels: [], humTroughs: humless }, context).filters[0]?.options.f).toBe(60);
    expect(planTakeCleanup(CleanupSchema.parse({ highpass: false, dehum: false }), { duration: 10, levels: [], humTroughs: new Map([...humless, [50, -40]]) }, context).filters).toEqual([]);
  });
  it('skips denoise on a recording whose pauses are digital silence, and says why', () => {
    const levels = frames([[Number.NEGATIVE_INFINITY, 30], [-20, 50], [Number.NEGATIVE_INFINITY, 30]]);
    const plan = planTakeCleanup(CleanupSchema.parse({ denoise: 'strong' }), { duration: 11, levels, humTroughs: humless }, context);
    expect(plan.denoise).toEqual({ skipped: expect.stringMatching(/already silent/) });
    expect(plan.filters.some((f) => f.name === 'afftdn')).toBe(false);
  });
  it('orders high-pass, denoise, leveler, cuts; the leveler reads its commands from the given file', () => {
    const levels = frames([[-54, 30], [-20, 50], [-54, 30]]);
    const plan = planTakeCleanup(CleanupSchema.parse({ denoise: 'medium', leveler: true, trimSilence: true }), { duration: 11, levels, humTroughs: humless }, { ...context, targetSpeechDb: -20 });
    expect(plan.filters.map((f) => f.name)).toEqual(['highpass', 'highpass', 'afftdn', 'asendcmd', 'volume', 'asetnsamples', 'aselect', 'asetpts']);
    expect(plan.filters[3]?.options.f).toBe('/w/lv.cmd');
    expect(plan.levelerCommands).toBe('0.000 volume@lv volume 1.000000;\n');
  });
});

describe('episodeCleanup', () => {
  it('takes the show settings and replaces only what the episode names', () => {
    const show = CleanupSchema.parse({ denoise: 'light' });
    expect(episodeCleanup(show, { leveler: true, highpass: false })).toEqual({ highpass: false, dehum: 'auto', denoise: 'light', leveler: true, trimSilence: false, maxPause: 1.5 });
    expect(episodeCleanup(show, undefined)).toEqual(show);
    // Parsed from episode.yaml: settings it does not name get no defaults that would undo the show's.
    expect(episodeCleanup(show, CleanupOverrideSchema.parse({ trimSilence: true }))).toEqual({ ...show, trimSilence: true });
  });
});
