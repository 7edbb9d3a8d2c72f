import type { CleanupOverride, CleanupSettings } from '../config/show-schema.js';
import { findRuns } from '../core/find-runs.js';
import type { Filter } from './filter-chain.js';

/**
 * The pure middle of speech cleanup (issue 14; STYLE §1): from what the analysis pass measured
 * in each take, decide which filters run with which numbers. No I/O: unit-tested in
 * test/unit/media/plan-cleanup.test.ts; the measured effect is checked by
 * test/integration/media/cleanup.test.ts with sox and ffmpeg's own meters.
 */

/** The show's cleanup with the episode's overrides on top (episode.yaml `audio.cleanup`). */
export function episodeCleanup(show: CleanupSettings, override: CleanupOverride | undefined): CleanupSettings {
  const out = { ...show };
  for (const [k, v] of Object.entries(override ?? {})) if (v !== undefined) Object.assign(out, { [k]: v });
  return out;
}

// ---- high-pass --------------------------------------------------------------------------

/**
 * A 4th-order Butterworth high-pass: two 2-pole sections with Q 0.5412 and 1.3066 (the pole
 * pairs of a 4th-order Butterworth, Q = 1 / (2 cos θ) for θ = π/8 and 3π/8). 24 dB/octave:
 * −40 dB at 25 Hz rumble for an 80 Hz corner, yet −0.07 dB at 100 Hz, so the voice above
 * 100 Hz is untouched (a single 2-pole section would take 1.4 dB at 100 Hz).
 */
export const BUTTERWORTH4_Q = [0.5412, 1.3066] as const;

export function highpassFilters(hz: number): Filter[] {
  return BUTTERWORTH4_Q.map((q) => ({ name: 'highpass', options: { f: hz, width_type: 'q', w: q } }));
}

// ---- hum ------------------------------------------------------------------------------

export const HUM_BASES = [50, 60] as const;
export type HumBase = (typeof HUM_BASES)[number];
/** Harmonics probed (mains hum is strongest at the fundamental and its first overtones). */
export const HUM_PROBED_HARMONICS = 3;
/** Harmonics notched once hum is found (the 4th is often still audible). */
export const HUM_NOTCHED_HARMONICS = 4;
/** Neighbour bands sit this far either side of each probed frequency. */
export const HUM_NEIGHBOUR_HZ = 7;
/** A probed frequency whose quietest moment stands this far above its neighbours' is hum. */
export const HUM_FOUND_DB = 10;
/** Notch width in Hz: mains frequency drifts by ±0.2 Hz, a 2 Hz notch still covers it. */
export const HUM_NOTCH_WIDTH_HZ = 2;
/** Seconds of each take probed for hum: hum is steady, so the start of a take shows it. */
export const HUM_PROBE_SECONDS = 120;

/** Every frequency the hum probe measures: each harmonic of 50 and 60 Hz and its neighbours. */
export function humProbeFrequencies(): number[] {
  const out = new Set<number>();
  for (const base of HUM_BASES) {
    for (let k = 1; k <= HUM_PROBED_HARMONICS; k++) {
      const f = base * k;
      out.add(f - HUM_NEIGHBOUR_HZ).add(f).add(f + HUM_NEIGHBOUR_HZ);
    }
  }
  return [...out].sort((a, b) => a - b);
}

export interface HumFinding {
  /** The mains frequency found, or undefined when neither stands out. */
  base: HumBase | undefined;
  /** Per base: how far (dB) its strongest harmonic stands above the louder neighbour. */
  excessDb: Record<HumBase, number>;
}

/**
 * Decide from the narrow-band RMS troughs (the quietest half-second of each band) whether
 * there is mains hum. Speech comes and goes, hum does not: in the pauses a hum band keeps its
 * level while a band 7 Hz away falls to the noise floor.
 */
export function detectHum(troughs: ReadonlyMap<number, number>): HumFinding {
  const level = (f: number): number => {
    const v = troughs.get(f);
    return v === undefined || !Number.isFinite(v) ? -200 : v;
  };
  const excessDb = {} as Record<HumBase, number>;
  for (const base of HUM_BASES) {
    let best = Number.NEGATIVE_INFINITY;
    for (let k = 1; k <= HUM_PROBED_HARMONICS; k++) {
      const f = base * k;
      // Nothing at the frequency itself (digital silence) is no hum, whatever the neighbours.
      if (level(f) <= -150) continue;
      best = Math.max(best, level(f) - Math.max(level(f - HUM_NEIGHBOUR_HZ), level(f + HUM_NEIGHBOUR_HZ)));
    }
    excessDb[base] = Number.isFinite(best) ? Math.round(Math.min(best, 99) * 10) / 10 : 0;
  }
  const winner = excessDb[50] >= excessDb[60] ? 50 : 60;
  return { base: excessDb[winner] >= HUM_FOUND_DB ? winner : undefined, excessDb };
}

/** Notches at the mains frequency and its harmonics (ffmpeg-filters "bandreject"). */
export function humNotches(base: HumBase): Filter[] {
  return Array.from({ length: HUM_NOTCHED_HARMONICS }, (_, i) => ({
    name: 'bandreject',
    options: { f: base * (i + 1), width_type: 'h', w: HUM_NOTCH_WIDTH_HZ },
  }));
}

// ---- levels per frame: pauses, noise floor, speech ----------------------------------------

/**
 * What the level meter listens through, before and after cleanup alike: the voice band
 * (4th-order high-pass at 100 Hz, notches at every 50 and 60 Hz harmonic up to 240 Hz). A
 * rumble or hum louder than a quiet paragraph must not make that paragraph read as a pause.
 */
export function voiceBandFilters(): Filter[] {
  return [...highpassFilters(100), ...humNotches(50), ...humNotches(60)];
}

/** Seconds per level frame of the analysis pass (ffmpeg astats reset every frame). */
export const LEVEL_FRAME_SECONDS = 0.1;
/** Below-threshold runs shorter than this are gaps between words, not pauses. */
export const MIN_PAUSE_SECONDS = 0.3;
/** The noise floor is read from at least this much pause in all. */
export const MIN_FLOOR_SECONDS = 1;
/** Levels of digital silence (astats prints -inf) are counted as this. */
const SILENT_DB = -120;
/** Frames below this are digital silence or 16-bit dither (about -96 dBFS), not a room. */
const DIGITAL_SILENCE_DB = -90;
/** A room this far under the voice is a floor of its own; closer, the quiet frames are speech. */
const DISTINCT_FLOOR_DB = 15;

export interface FrameClasses {
  /** dB threshold between pause and speech. */
  thresholdDb: number;
  /** Per frame: part of a pause of at least MIN_PAUSE_SECONDS. */
  pause: boolean[];
  /** Per frame: a pause frame the noise floor is measured on (digital silence left out). */
  floorFrame: boolean[];
  /** Median level of the pause frames (dBFS RMS), -120 for digital silence; undefined without pauses. */
  noiseFloorDb: number | undefined;
  /** Energy mean of the speech frames (dBFS RMS). */
  speechDb: number | undefined;
}

function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return SILENT_DB;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(p * (sorted.length - 1))))] ?? SILENT_DB;
}

export function energyMeanDb(levels: readonly number[]): number | undefined {
  const finite = levels.filter((l) => Number.isFinite(l));
  if (!finite.length) return undefined;
  return 10 * Math.log10(finite.reduce((n, l) => n + 10 ** (l / 10), 0) / levels.length);
}

/**
 * Split the frames into pauses and speech. The threshold sits between the quiet end of the
 * distribution (the room in the pauses) and the loud end (the voice): 6 dB above the floor at
 * least, and a third of the way up for a noisy room, so breaths and quiet word endings stay
 * speech.
 */
export function classifyFrames(levels: readonly number[]): FrameClasses {
  const clean = levels.map((l) => (Number.isFinite(l) ? Math.max(l, SILENT_DB) : SILENT_DB));
  const sorted = [...clean].sort((a, b) => a - b);
  // Digital silence (a recorder's zeros before the room is heard) is no floor to judge by.
  const heard = sorted.filter((l) => l > DIGITAL_SILENCE_DB);
  const loud = percentile(sorted, 0.95);
  const heardFloor = percentile(heard, 0.1);
  // …unless nothing quiet is heard at all (the pauses are all digital silence).
  const floor = heard.length && loud - heardFloor >= DISTINCT_FLOOR_DB ? heardFloor : percentile(sorted, 0.1);
  const thresholdDb = floor + Math.max(6, (loud - floor) / 3);
  const below = clean.map((l) => l < thresholdDb);
  const pause = below.map(() => false);
  const minFrames = Math.round(MIN_PAUSE_SECONDS / LEVEL_FRAME_SECONDS);
  for (const r of findRuns(below, Boolean)) if (r.end - r.start >= minFrames) pause.fill(true, r.start, r.end);
  // The room is judged where it is heard: pause frames above digital silence, if any.
  const anyHeard = clean.some((l, i) => pause[i] && l > DIGITAL_SILENCE_DB);
  const floorFrame = clean.map((l, i) => pause[i] === true && (!anyHeard || l > DIGITAL_SILENCE_DB));
  const pauseLevels = clean.filter((_, i) => floorFrame[i]).sort((a, b) => a - b);
  // Under a second of pause is word endings, not a room: no floor to judge by.
  const enough = pauseLevels.length >= MIN_FLOOR_SECONDS / LEVEL_FRAME_SECONDS;
  const speech = levels.filter((_, i) => !pause[i]);
  return {
    thresholdDb,
    pause,
    floorFrame,
    noiseFloorDb: enough ? percentile(pauseLevels, 0.5) : undefined,
    speechDb: energyMeanDb(speech),
  };
}

// ---- denoise ----------------------------------------------------------------------------

export type DenoiseStrength = 'light' | 'medium' | 'strong';
/**
 * afftdn's `nr` (dB of reduction asked for) per strength. What comes out is measured: on pink
 * noise 30 dB under speech, light lowers the pauses ~7 dB, medium ~13 dB, strong ~18 dB
 * (README, "Cleanup").
 */
export const DENOISE_REDUCTION_DB: Record<DenoiseStrength, number> = { light: 8, medium: 16, strong: 30 };
/**
 * afftdn (the bundled 2018 build: options nr, nf, nt, bn, rf, tn, tr, om; its `sample_noise`
 * command exists but its profile leaves the noise untouched here) models the noise as a flat
 * floor `nf` on its own FFT scale. Measured here with pink, white and brown noise from -65 to
 * -45 dBFS: that scale sits 26 dB above the RMS level of the whole-band noise, the same offset
 * at every level (the filter is scale-linear). castline measures the floor in the voice band
 * (voiceBandFilters), about 2 dB under the whole band for room noise, hence 28.
 */
export const AFFTDN_FLOOR_OFFSET_DB = 28;
/** afftdn accepts nf in [-80, -20]. */
const NF_MIN = -80;
const NF_MAX = -20;
/** Pauses quieter than this hold no noise worth removing (16-bit dither is about -96). */
export const NOTHING_TO_DENOISE_DB = -85;

export function denoiseFilter(strength: DenoiseStrength, noiseFloorDb: number): Filter {
  const nf = Math.min(NF_MAX, Math.max(NF_MIN, Math.round(noiseFloorDb + AFFTDN_FLOOR_OFFSET_DB)));
  return { name: 'afftdn', options: { nr: DENOISE_REDUCTION_DB[strength], nf } };
}

// ---- leveler ----------------------------------------------------------------------------

/** Half-width of the window over which the voice's level is judged, seconds. */
export const LEVELER_WINDOW_SECONDS = 3;
/** The leveler never moves the voice more than this either way, dB. */
export const LEVELER_MAX_DB = 12;
/** Gain moves in steps this small (a 0.5 dB step is inaudible), at most one step per frame. */
export const LEVELER_STEP_DB = 0.5;

export interface GainPoint {
  /** Seconds from the start of the take. */
  time: number;
  gainDb: number;
}

/** A pause at least this long separates paragraphs: the leveler judges each on its own. */
export const LEVELER_BREAK_SECONDS = 1;
/** In a pause nothing is spoken, so the gain may move faster there: 1 dB per frame. */
export const LEVELER_PAUSE_STEP_DB = 1;

/**
 * A slowly moving gain that brings every stretch of speech to `targetDb`. The voice's level
 * at a moment is the energy mean of the speech frames within ±3 s of it, in the same
 * paragraph (paragraphs are split by pauses of 1 s or more, so a quiet paragraph does not
 * drag down the end of a loud one). Pauses are left out of the level, so a pause neither
 * pulls the gain up nor gets boosted on its own: through a short pause the gain holds, and
 * in the pause between two paragraphs it moves to the next one's gain before its first word.
 * The gain moves by at most 0.5 dB per 100 ms frame while speech goes on (1 dB in pauses),
 * so a 10 dB change is a slope, not a jump. Returns the points where the gain changes.
 */
export function planLeveler(levels: readonly number[], pause: readonly boolean[], targetDb: number): GainPoint[] {
  const n = levels.length;
  const w = Math.round(LEVELER_WINDOW_SECONDS / LEVEL_FRAME_SECONDS);
  const breakFrames = Math.round(LEVELER_BREAK_SECONDS / LEVEL_FRAME_SECONDS);
  // Paragraph of every frame; -1 for frames inside a paragraph break.
  const group = new Array<number>(n).fill(0);
  let g = 0;
  for (const { start, end } of findRuns(pause, Boolean)) {
    if (end - start < breakFrames && start > 0 && end < n) continue;
    if (start > 0) g++;
    group.fill(g, end);
    group.fill(-1, start, end);
  }
  const speechEnergy = levels.map((l, i) => (!pause[i] && Number.isFinite(l) ? 10 ** (l / 10) : 0));
  const speechCount = levels.map((l, i) => (!pause[i] && Number.isFinite(l) ? 1 : 0));
  const prefix = (arr: number[]): number[] => {
    const out = [0];
    for (const v of arr) out.push((out.at(-1) ?? 0) + v);
    return out;
  };
  const eSum = prefix(speechEnergy);
  const cSum = prefix(speechCount);
  const wanted: (number | undefined)[] = levels.map((_, i) => {
    if (group[i] === -1) return undefined;
    let a = i;
    let b = i;
    while (a > 0 && i - a < w && group[a - 1] === group[i]) a--;
    while (b < n - 1 && b - i < w && group[b + 1] === group[i]) b++;
    const c = (cSum[b + 1] ?? 0) - (cSum[a] ?? 0);
    // Less than half a second of speech to judge by: hold the gain.
    if (c < 0.5 / LEVEL_FRAME_SECONDS) return undefined;
    const level = 10 * Math.log10(((eSum[b + 1] ?? 0) - (eSum[a] ?? 0)) / c);
    return Math.max(-LEVELER_MAX_DB, Math.min(LEVELER_MAX_DB, targetDb - level));
  });
  // In a break, aim at what comes next (the gain is in place before the next word).
  for (let i = n - 2; i >= 0; i--) if (group[i] === -1 && wanted[i] === undefined) wanted[i] = wanted[i + 1];
  const firstKnown = wanted.find((v) => v !== undefined) ?? 0;
  const points: GainPoint[] = [];
  let current = Math.round(firstKnown / LEVELER_STEP_DB) * LEVELER_STEP_DB;
  points.push({ time: 0, gainDb: current });
  for (let i = 1; i < n; i++) {
    const goal = wanted[i];
    if (goal === undefined) continue;
    const diff = goal - current;
    // Move only when the goal is a whole step away (hysteresis: no dithering between steps).
    if (Math.abs(diff) < LEVELER_STEP_DB) continue;
    const step = Math.min(Math.abs(diff), pause[i] ? LEVELER_PAUSE_STEP_DB : LEVELER_STEP_DB);
    current = Math.round((current + Math.sign(diff) * Math.floor(step / LEVELER_STEP_DB) * LEVELER_STEP_DB) * 100) / 100;
    points.push({ time: Math.round(i * LEVEL_FRAME_SECONDS * 1000) / 1000, gainDb: current });
  }
  return points;
}

/**
 * The asendcmd command file that carries the gain points to `volume@<id>` (ffmpeg-filters
 * "sendcmd": `TIME TARGET COMMAND ARG;`, one interval per line). Numbers only.
 */
export function levelerCommands(points: readonly GainPoint[], id: string): string {
  return points.map((p) => `${p.time.toFixed(3)} volume@${id} volume ${(10 ** (p.gainDb / 20)).toFixed(6)};\n`).join('');
}

// ---- silence trimming -------------------------------------------------------------------

export interface Cut {
  start: number;
  end: number;
}

/** Silence kept at the very start and end of a take, seconds. */
export const TRIM_KEEP_EDGE_SECONDS = 0.25;
/** Cuts are on this grid: the render pass cuts whole 10 ms blocks (asetnsamples). */
export const CUT_GRID_SECONDS = 0.01;

const onGrid = (t: number): number => Math.round(t / CUT_GRID_SECONDS) * CUT_GRID_SECONDS;

/**
 * What to cut from a take: leading and trailing silence down to 0.25 s, and every pause
 * longer than `maxPause` down to `maxPause` (its middle is cut, keeping half of maxPause on
 * each side so the breath before and the air after a sentence remain).
 */
export function planTrim(pause: readonly boolean[], duration: number, maxPause: number): Cut[] {
  const runs: Cut[] = findRuns(pause, Boolean).map((r) => ({ start: r.start * LEVEL_FRAME_SECONDS, end: Math.min(duration, r.end * LEVEL_FRAME_SECONDS) }));
  const cuts: Cut[] = [];
  for (const r of runs) {
    const leading = r.start <= 0;
    const trailing = r.end >= duration - LEVEL_FRAME_SECONDS;
    if (leading && trailing) continue; // all pause: nothing to keep, leave it to the silence check
    let start = r.start + maxPause / 2;
    let end = r.end - maxPause / 2;
    if (leading) {
      start = 0;
      end = r.end - TRIM_KEEP_EDGE_SECONDS;
    } else if (trailing) {
      start = r.start + TRIM_KEEP_EDGE_SECONDS;
      end = duration;
    }
    start = onGrid(start);
    end = trailing ? duration : onGrid(end);
    if (end - start >= CUT_GRID_SECONDS * 5) cuts.push({ start: round6(start), end: round6(end) });
  }
  return cuts;
}

/** Where a moment of the original take lands in the trimmed take (inside a cut: the cut's start). */
export function mapTime(t: number, cuts: readonly Cut[]): number {
  let removed = 0;
  for (const c of cuts) {
    if (t >= c.end) removed += c.end - c.start;
    else if (t > c.start) removed += t - c.start;
  }
  return round6(t - removed);
}

export function trimmedSeconds(cuts: readonly Cut[]): number {
  return round6(cuts.reduce((n, c) => n + (c.end - c.start), 0));
}

/**
 * aselect keeping everything outside the cuts (ffmpeg-filters "aselect": `between(t,a,b)`),
 * on 10 ms blocks so cuts are exact to the block. A block whose start lies in [start, end)
 * goes; `end - 5 ms` keeps the block that starts at `end`.
 */
export function trimFilters(cuts: readonly Cut[], sampleRate: number): Filter[] {
  if (!cuts.length) return [];
  const terms = cuts.map((c) => `between(t,${c.start.toFixed(3)},${(c.end - CUT_GRID_SECONDS / 2).toFixed(4)})`).join('+');
  return [
    { name: 'asetnsamples', options: { n: Math.round(sampleRate * CUT_GRID_SECONDS), p: 0 } },
    { name: 'aselect', options: { expr: `not(${terms})` } },
    { name: 'asetpts', options: { expr: 'N/SR/TB' } },
  ];
}

// ---- the plan for one take --------------------------------------------------------------

export interface TakeAnalysis {
  duration: number;
  /** RMS level (dBFS) per LEVEL_FRAME_SECONDS frame, before cleanup. */
  levels: number[];
  /** Narrow-band RMS troughs by frequency, for hum detection. */
  humTroughs: Map<number, number>;
  /** ebur128 loudness range (LU) before cleanup. */
  lra: number | undefined;
}

export interface TakeCleanupPlan {
  /** Filters that run on the take before it is joined (in order). */
  filters: Filter[];
  /** Commands for `volume@lv` (the leveler), when it runs. */
  levelerCommands: string | undefined;
  cuts: Cut[];
  hum: HumFinding & { removed: HumBase | undefined };
  classes: FrameClasses | undefined;
  denoise: { strength: DenoiseStrength; nf: number } | { skipped: string } | undefined;
  leveler: { moves: number; rangeDb: [number, number] } | undefined;
}

export const LEVELER_ID = 'lv';

/** True when the settings need the full analysis and a rendered, cleaned copy of each take. */
export function needsRender(s: CleanupSettings): boolean {
  return s.denoise !== false || s.leveler || s.trimSilence;
}

/**
 * The filters for one take, in the order a studio chain runs them: high-pass (rumble below the
 * voice), hum notches, noise reduction (on the cleanest signal), leveler, then the cuts.
 */
export function planTakeCleanup(
  s: CleanupSettings,
  a: Pick<TakeAnalysis, 'duration' | 'levels' | 'humTroughs'>,
  context: { sampleRate: number; targetSpeechDb: number | undefined; levelerCommandsFile: string },
): TakeCleanupPlan {
  const filters: Filter[] = [];
  if (s.highpass !== false) filters.push(...highpassFilters(s.highpass));
  const hum = detectHum(a.humTroughs);
  const removed: HumBase | undefined = s.dehum === false ? undefined : s.dehum === 'auto' ? hum.base : s.dehum;
  if (removed) filters.push(...humNotches(removed));
  const render = needsRender(s) && a.levels.length > 0;
  const classes = render ? classifyFrames(a.levels) : undefined;
  let denoise: TakeCleanupPlan['denoise'];
  if (s.denoise !== false && classes) {
    const floor = classes.noiseFloorDb;
    if (floor === undefined) denoise = { skipped: 'no pause long enough to measure the noise' };
    else if (floor < NOTHING_TO_DENOISE_DB) denoise = { skipped: `the pauses are already silent (${floor.toFixed(0)} dBFS)` };
    else {
      const f = denoiseFilter(s.denoise, floor);
      filters.push(f);
      denoise = { strength: s.denoise, nf: Number(f.options.nf) };
    }
  }
  let commands: string | undefined;
  let leveler: TakeCleanupPlan['leveler'];
  if (s.leveler && classes && context.targetSpeechDb !== undefined) {
    const points = planLeveler(a.levels, classes.pause, context.targetSpeechDb);
    commands = levelerCommands(points, LEVELER_ID);
    const gains = points.map((p) => p.gainDb);
    leveler = { moves: points.length - 1, rangeDb: [Math.min(...gains), Math.max(...gains)] };
    filters.push({ name: 'asendcmd', options: { f: context.levelerCommandsFile } }, { name: 'volume', id: LEVELER_ID, options: { volume: 1, eval: 'once', precision: 'float' } });
  }
  const cuts = s.trimSilence && classes ? planTrim(classes.pause, a.duration, s.maxPause) : [];
  filters.push(...trimFilters(cuts, context.sampleRate));
  return { filters, levelerCommands: commands, cuts, hum: { ...hum, removed }, classes, denoise, leveler };
}

function round6(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

/**
 * The noise floor after cleanup, measured on the same moments as before: every pause frame
 * of the original that survived the cuts, found in the cleaned take's levels (median, dBFS).
 */
export function pauseFloorAfter(classes: FrameClasses, cuts: readonly Cut[], after: readonly number[]): number | undefined {
  const picked: number[] = [];
  classes.floorFrame.forEach((isFloor, i) => {
    if (!isFloor) return;
    const t = (i + 0.5) * LEVEL_FRAME_SECONDS;
    if (cuts.some((c) => t >= c.start && t < c.end)) return;
    const level = after[Math.floor(mapTime(t, cuts) / LEVEL_FRAME_SECONDS)];
    if (level !== undefined) picked.push(Number.isFinite(level) ? Math.max(level, SILENT_DB) : SILENT_DB);
  });
  if (!picked.length) return undefined;
  return percentile(picked.sort((a, b) => a - b), 0.5);
}
