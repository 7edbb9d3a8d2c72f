/**
 * Loudness: one `ebur128=peak=true` measurement, then a linear gain with a true-peak guard —
 * what loudnorm's linear mode does, ~6× faster to measure (PERF.md). EBU R128 / ITU-R
 * BS.1770: integrated loudness in LUFS, true peak in dBTP.
 */

export interface LoudnessMeasurement {
  integrated: number;
  /** True peak (dBTP) when measured with peak=true, else undefined. */
  truePeak: number | undefined;
  lra: number | undefined;
}

/** Read the `Summary:` block ebur128 prints at the end of a run (the last one wins). */
export function parseEbur128Summary(stderr: string): LoudnessMeasurement | undefined {
  const at = stderr.lastIndexOf('Summary:');
  if (at < 0) return undefined;
  const summary = stderr.slice(at);
  const num = (re: RegExp): number | undefined => {
    const m = re.exec(summary);
    if (!m?.[1]) return undefined;
    if (/^-?inf$/i.test(m[1])) return Number.NEGATIVE_INFINITY;
    const n = Number(m[1]);
    return Number.isFinite(n) ? n : undefined;
  };
  const integrated = num(/I:\s+(-?[\d.]+|-?inf)\s+LUFS/);
  if (integrated === undefined) return undefined;
  return { integrated, truePeak: num(/Peak:\s+(-?[\d.]+|-?inf)\s+dBFS/), lra: num(/LRA:\s+(-?[\d.]+)\s+LU/) };
}

/** The last summary printed by the ebur128 instance named `ebur128@<name>` (graphs may print one per init). */
export function parseNamedEbur128Summary(stderr: string, name: string): LoudnessMeasurement | undefined {
  const marker = `[ebur128@${name} @ `;
  let at = -1;
  for (let i = stderr.indexOf(marker); i >= 0; i = stderr.indexOf(marker, i + 1)) {
    const lineEnd = stderr.indexOf('\n', i);
    if (stderr.slice(i, lineEnd < 0 ? undefined : lineEnd).includes('Summary:')) at = i;
  }
  if (at < 0) return undefined;
  const next = stderr.indexOf('\n[', at + marker.length);
  return parseEbur128Summary(stderr.slice(at, next < 0 ? undefined : next));
}

/**
 * Loudness of a file measured in consecutive parts: the true peak is the largest part's
 * (exact); integrated loudness is the duration-weighted energy mean of the parts, which
 * differs from one whole-file measurement only by BS.1770's relative gate being applied per
 * part (a few hundredths of a LU for continuous speech).
 */
export function combineParts(parts: readonly (LoudnessMeasurement & { duration: number })[]): LoudnessMeasurement {
  const total = parts.reduce((n, p) => n + p.duration, 0);
  const energy = parts.reduce((n, p) => n + p.duration * 10 ** (p.integrated / 10), 0);
  const peaks = parts.map((p) => p.truePeak).filter((p): p is number => p !== undefined);
  return {
    integrated: Math.round(10 * Math.log10(energy / total) * 10) / 10,
    truePeak: peaks.length ? Math.max(...peaks) : undefined,
    lra: undefined,
  };
}

/** Below this the programme is silence as far as BS.1770's gating is concerned. */
export const SILENT_LUFS = -69;

export interface LoudnessPlan {
  gainDb: number;
  /** alimiter ceiling (linear, sample peak), or undefined when no peak can reach the ceiling. */
  limiter: { limit: number; ceilingDb: number } | undefined;
  /** How far the limiter must pull the loudest peak down (dB); 0 without limiter. */
  limitingDb: number;
  warnings: string[];
}

/**
 * alimiter limits sample peaks; inter-sample (true) peaks of the limited signal, and the
 * lossy encoders' overshoot, can land up to about a dB above them. A margin below the
 * true-peak target keeps the encoded files at or under it without 4× oversampling.
 */
export const TRUE_PEAK_MARGIN_DB = 0.7;
/** Pulling peaks down more than this audibly squashes speech: warn the host. */
export const HEAVY_LIMITING_DB = 6;
/** alimiter's lower bound for `limit` (-24 dBFS). */
const MIN_LIMIT = 0.0625;

export function planLoudness(measured: LoudnessMeasurement, target: { integrated: number; truePeak: number }): LoudnessPlan {
  const warnings: string[] = [];
  const gainDb = round2(target.integrated - measured.integrated);
  const ceilingDb = target.truePeak - TRUE_PEAK_MARGIN_DB;
  const peakAfter = (measured.truePeak ?? 0) + gainDb;
  if (measured.truePeak === undefined || peakAfter > ceilingDb) {
    const limitingDb = round2(Math.max(0, peakAfter - ceilingDb));
    if (limitingDb > HEAVY_LIMITING_DB) {
      warnings.push(
        `reaching ${target.integrated} LUFS needs ${limitingDb.toFixed(1)} dB of peak limiting (the recording is quiet with loud peaks): it may sound squashed; record a little louder or use a compressor`,
      );
    }
    return { gainDb, limiter: { limit: Math.max(MIN_LIMIT, round4(10 ** (ceilingDb / 20))), ceilingDb }, limitingDb, warnings };
  }
  return { gainDb, limiter: undefined, limitingDb: 0, warnings };
}

/**
 * Limiting lowers the integrated loudness (the loudest moments are pulled down), so a plan
 * whose limiter works hard lands under the target. Given (gain → loudness measured after
 * gain + limiter) points, choose the next gain: +shortfall from one point, then the secant
 * through the last two (each extra dB of gain adds less than a dB of loudness once the
 * limiter works). The limiter keeps its ceiling. loudnorm's linear mode instead gives up
 * and switches to dynamic mode.
 */
export function correctGain(plan: LoudnessPlan, tries: readonly { gainDb: number; integrated: number }[], target: { integrated: number; truePeak: number }, inputTruePeak: number): LoudnessPlan {
  const last = tries.at(-1);
  if (!last) return plan;
  const prev = tries.at(-2);
  let slope = 1;
  if (prev && Math.abs(last.gainDb - prev.gainDb) > 0.05) slope = (last.integrated - prev.integrated) / (last.gainDb - prev.gainDb);
  slope = Math.min(1, Math.max(0.2, slope));
  // Never more than 12 dB above the plain gain: past that the limiter only squashes.
  const gainDb = round2(Math.min(last.gainDb + (target.integrated - last.integrated) / slope, plan.gainDb + 12));
  const limitingDb = plan.limiter ? round2(Math.max(0, inputTruePeak + gainDb - plan.limiter.ceilingDb)) : 0;
  return { ...plan, gainDb, limitingDb };
}

/** Correct only when the limiter pulls more than this (below it the loss is < 0.1 LU). */
export const CORRECT_ABOVE_LIMITING_DB = 0.5;

/** The gain + guard as an ffmpeg filter chain (no user text in it: numbers only). */
export function loudnessFilter(plan: LoudnessPlan): string {
  const parts = [`volume=${plan.gainDb.toFixed(2)}dB`];
  // level=0: alimiter's auto-levelling would undo the measured gain.
  if (plan.limiter) parts.push(`alimiter=limit=${plan.limiter.limit}:level=0:attack=5:release=50`);
  return parts.join(',');
}

/** Warnings about a measured output against the target (DESIGN: ±0.5 LU; MP3 is lossy). */
export function checkOutputLoudness(label: string, measured: LoudnessMeasurement, target: { integrated: number; truePeak: number }, toleranceLu = 0.5): string[] {
  const out: string[] = [];
  const off = measured.integrated - target.integrated;
  if (Math.abs(off) > toleranceLu) out.push(`${label} measures ${measured.integrated.toFixed(1)} LUFS, ${Math.abs(off).toFixed(1)} LU off the ${target.integrated} LUFS target`);
  if (measured.truePeak !== undefined && measured.truePeak > target.truePeak + 0.5) out.push(`${label} true peak is ${measured.truePeak.toFixed(1)} dBTP, above the ${target.truePeak} dBTP ceiling`);
  return out;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
function round4(n: number): number {
  return Math.round(n * 10000) / 10000;
}
