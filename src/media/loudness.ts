/**
 * Loudness (EBU R128 / ITU-R BS.1770: integrated loudness in LUFS, true peak in dBTP): one
 * ebur128 measurement of the programme, then per encoder a linear gain and a sample-peak
 * limiter — what loudnorm's linear mode does, without its 192 kHz analysis (PERF.md) — with
 * the gain and the limiter's ceiling chosen from measurements, not fixed guesses:
 *
 * 1. The analysis of the whole programme meters integrated loudness and the *sample* peak
 *    (ebur128 without true peak is ~4× cheaper; the limiter works on sample peaks anyway, and
 *    every output's true peak is measured after encoding), and writes a 2-minute sample of
 *    the programme (10 s chunks spread over it) to a scratch WAV.
 * 2. Limiting costs loudness (the loudest moments are pulled down), more the harder it
 *    works, so the gain that lands on the target is not target − measured. On the sample,
 *    one process meters the loudness after gain + limiter at several gains at once: the
 *    limiter curve (`LimiterCurve`). Predicted for the whole programme: its measured loudness
 *    plus what the limiter took from the sample (`curveLoudness`).
 * 3. Each lossy encoder takes a little more: libmp3lame ~0.4–0.5 LU on speech at 128k (its
 *    psychoacoustic model drops energy K-weighting counts), native AAC ~0. Thirty seconds of the
 *    sample is limited at the chosen gain and encoded exactly as the MP3 and the AAC are,
 *    and both encoded probes are metered: the encoder's loss (LU) and how far its true peak
 *    lands above the limited signal's (`EncoderProbe`). The same pass meters the limited
 *    sample's true peak: how far true peaks sit above the sample-peak ceiling.
 * 4. `planEncoderLoudness` solves, per encoder, the gain whose predicted loudness is the
 *    target plus that encoder's measured loss, with the ceiling lowered just enough that
 *    the measured true-peak excess stays under `audio.truePeak`. A ceiling lowered by δ
 *    is the curve read δ dB further up and shifted down by δ (the limiter is scale-free:
 *    level=0), so no extra pass is needed.
 * All probe passes read only the small sample (nothing is decoded twice) and cost ~2–3 s
 * for an hour; the outputs are measured after encoding and the build warns when one is
 * more than 0.3 LU off or over the true-peak target. A second encode to correct an MP3
 * after the fact would cost a minute per hour of audio: prediction is the cheap route.
 */

export interface LoudnessMeasurement {
  integrated: number;
  /** True peak (dBTP) when measured with peak=true, else undefined. */
  truePeak: number | undefined;
  lra: number | undefined;
  /** Sample peak (dBFS) when measured with peak=sample. */
  samplePeak?: number | undefined;
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
  // peak=true prints one "True peak:" block, peak=sample a "Sample peak:" block, both: both.
  const hasSample = /Sample peak:/.test(summary);
  const truePeak = hasSample ? num(/True peak:\s+Peak:\s+(-?[\d.]+|-?inf)\s+dBFS/) : num(/Peak:\s+(-?[\d.]+|-?inf)\s+dBFS/);
  const out: LoudnessMeasurement = { integrated, truePeak, lra: num(/LRA:\s+(-?[\d.]+)\s+LU/) };
  if (hasSample) out.samplePeak = num(/Sample peak:\s+Peak:\s+(-?[\d.]+|-?inf)\s+dBFS/);
  return out;
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

/** The last `lavfi.r128.I=-16.482` an `ametadata=mode=print` file holds: integrated loudness to 1/1000 LU (the summary prints 1/10). */
export function parseLastIntegrated(text: string): number | undefined {
  const at = text.lastIndexOf('lavfi.r128.I=');
  if (at < 0) return undefined;
  const m = /^lavfi\.r128\.I=(-?[\d.]+|-?inf|nan)/.exec(text.slice(at));
  if (!m?.[1] || /inf|nan/.test(m[1])) return undefined;
  return Number(m[1]);
}

/** Below this the programme is silence as far as BS.1770's gating is concerned. */
export const SILENT_LUFS = -69;

export interface LoudnessPlan {
  gainDb: number;
  /** alimiter ceiling (linear, sample peak), or undefined when no sample peak reaches it. */
  limiter: { limit: number; ceilingDb: number } | undefined;
  /** How far the limiter must pull the loudest sample peak down (dB); 0 without limiter. */
  limitingDb: number;
  warnings: string[];
}

/**
 * The limiter's sample-peak ceiling before anything is measured: this far under the
 * true-peak target. Measured on espeak speech limited by 8 dB, true peaks land up to 0.8 dB
 * above alimiter's sample-peak ceiling (the squared-off peaks ring between samples), so the
 * probe lowers the ceiling further when its measurement says so (`planEncoderLoudness`).
 */
export const TRUE_PEAK_MARGIN_DB = 1;
/** Headroom kept under the true-peak target beyond what the probe measured (the sample is not the whole). */
export const TRUE_PEAK_SAFETY_DB = 0.2;
/** Pulling peaks down more than this audibly squashes speech: warn the host. */
export const HEAVY_LIMITING_DB = 6;
/** Never more than this above the plain gain: past it the limiter only squashes. */
export const MAX_EXTRA_GAIN_DB = 12;
/** alimiter's lower bound for `limit` (-24 dBFS). */
const MIN_LIMIT = 0.0625;
/** Extra gain (dB above the plain gain) at which the limiter curve is metered on the sample. */
export const CURVE_STEPS_DB = [0, 1.5, 3.5, 6.5, 11] as const;

/** The programme's peak for limiter decisions: the sample peak, or the true peak of an older record. */
function peakOf(measured: { samplePeak?: number | undefined; truePeak?: number | undefined }): number | undefined {
  return measured.samplePeak ?? measured.truePeak;
}

function limiterAt(ceilingDb: number): { limit: number; ceilingDb: number } {
  return { limit: Math.max(MIN_LIMIT, round4(10 ** (ceilingDb / 20))), ceilingDb: round2(ceilingDb) };
}

function heavyWarning(target: number, limitingDb: number): string[] {
  if (limitingDb <= HEAVY_LIMITING_DB) return [];
  return [
    `reaching ${target} LUFS needs ${limitingDb.toFixed(1)} dB of peak limiting (the recording is quiet with loud peaks): it may sound squashed; record a little louder or use a compressor`,
  ];
}

/** The plain plan: the gain that reaches the target if nothing were lost, limited at the default ceiling. */
export function planLoudness(measured: Partial<LoudnessMeasurement> & { integrated: number }, target: { integrated: number; truePeak: number }): LoudnessPlan {
  const gainDb = round2(target.integrated - measured.integrated);
  const ceilingDb = target.truePeak - TRUE_PEAK_MARGIN_DB;
  const peak = peakOf(measured);
  if (peak === undefined || peak + gainDb > ceilingDb) {
    const limitingDb = round2(Math.max(0, (peak ?? 0) + gainDb - ceilingDb));
    return { gainDb, limiter: limiterAt(ceilingDb), limitingDb, warnings: heavyWarning(target.integrated, limitingDb) };
  }
  return { gainDb, limiter: undefined, limitingDb: 0, warnings: [] };
}

/**
 * Loudness after gain + limiter, for the whole programme, at the default ceiling. Below
 * `ceilingDb − samplePeak` of gain the limiter never acts and loudness is measured + gain
 * exactly; above it, the points metered on the sample (already carried over to the whole
 * programme: whole measured + what the limiter took from the sample).
 */
export interface LimiterCurve {
  /** Whole programme, before gain (LUFS). */
  integrated: number;
  /** Whole programme's sample peak (dBFS). */
  samplePeak: number;
  /** The ceiling the points were metered at (dBFS). */
  ceilingDb: number;
  points: { gainDb: number; integrated: number }[];
}

/** Piecewise linear through the points, monotone; past the last point its slope (0…1) continues. */
export function curveLoudness(curve: LimiterCurve, gainDb: number): number {
  const knee = curve.ceilingDb - curve.samplePeak;
  if (gainDb <= knee) return curve.integrated + gainDb;
  const pts = [{ gainDb: knee, integrated: curve.integrated + knee }, ...curve.points.filter((p) => p.gainDb > knee + 1e-6)].sort((a, b) => a.gainDb - b.gainDb);
  // Loudness never falls as gain rises; a metering wobble must not make the inverse jump.
  for (let i = 1; i < pts.length; i++) {
    const prev = pts[i - 1] as { integrated: number };
    const cur = pts[i] as { gainDb: number; integrated: number };
    if (cur.integrated < prev.integrated) pts[i] = { ...cur, integrated: prev.integrated };
  }
  for (let i = 1; i < pts.length; i++) {
    const a = pts[i - 1] as { gainDb: number; integrated: number };
    const b = pts[i] as { gainDb: number; integrated: number };
    if (gainDb <= b.gainDb) return a.integrated + ((b.integrated - a.integrated) * (gainDb - a.gainDb)) / (b.gainDb - a.gainDb);
  }
  const last = pts.at(-1) as { gainDb: number; integrated: number };
  const before = pts.at(-2);
  const slope = before ? Math.min(1, Math.max(0, (last.integrated - before.integrated) / (last.gainDb - before.gainDb))) : 1;
  return last.integrated + slope * (gainDb - last.gainDb);
}

/**
 * The gain at which the programme measures `want` LUFS with the ceiling lowered by
 * `shiftDb`: alimiter with level=0 is scale-free, so limiting at c − δ is limiting at c with
 * δ dB more gain, δ dB quieter afterwards. Bisection on the monotone curve; capped at
 * MAX_EXTRA_GAIN_DB above the plain gain.
 */
export function gainForLoudness(curve: LimiterCurve, want: number, shiftDb = 0): number {
  const plain = want - curve.integrated;
  let lo = plain - 1;
  let hi = plain + MAX_EXTRA_GAIN_DB;
  const at = (g: number): number => curveLoudness(curve, g + shiftDb) - shiftDb;
  if (at(hi) < want) return round2(hi);
  if (at(lo) > want) return round2(lo);
  for (let i = 0; i < 50; i++) {
    const mid = (lo + hi) / 2;
    if (at(mid) < want) lo = mid;
    else hi = mid;
  }
  return round2((lo + hi) / 2);
}

/** What one encoder does to the limited sample, measured on its probe (30 s of the sample). */
export interface EncoderProbe {
  /** LU the encoder takes away: limited probe − encoded probe (integrated, 1/1000 LU). */
  lossLu: number;
  /** dB the encoded probe's true peak lands above the limited probe's. */
  truePeakRiseDb: number;
}

/** The limited sample at the check gain (default ceiling), as measured. */
export interface LimitedCheck {
  gainDb: number;
  /** Whole-programme loudness predicted from the sample at that gain (a point of the curve; undefined when no curve was needed). */
  integrated: number | undefined;
  /** dB the sample's true peak sits above its sample peak after the limiter (inter-sample overshoot). */
  interSampleDb: number;
}

/**
 * One encoder's gain and ceiling (pure): the gain whose predicted loudness is the target
 * plus the encoder's measured loss, and the highest sample-peak ceiling (never above the
 * default) at which ceiling + measured inter-sample overshoot + the encoder's true-peak rise
 * stays TRUE_PEAK_SAFETY_DB under the target.
 */
export function planEncoderLoudness(curve: LimiterCurve, check: LimitedCheck | undefined, probe: EncoderProbe, target: { integrated: number; truePeak: number }): LoudnessPlan {
  const withCheck: LimiterCurve = check?.integrated !== undefined ? { ...curve, points: [...curve.points, { gainDb: check.gainDb, integrated: check.integrated }] } : curve;
  const headroom = target.truePeak - TRUE_PEAK_SAFETY_DB;
  const overshoot = Math.max(0, check?.interSampleDb ?? 0) + Math.max(0, probe.truePeakRiseDb);
  const ceilingDb = Math.min(curve.ceilingDb, headroom - overshoot);
  const shiftDb = curve.ceilingDb - ceilingDb;
  const want = target.integrated + probe.lossLu;
  const gainDb = gainForLoudness(withCheck, want, shiftDb);
  const limitingDb = round2(Math.max(0, curve.samplePeak + gainDb - ceilingDb));
  const warnings = heavyWarning(target.integrated, limitingDb);
  if (gainDb >= round2(want - curve.integrated + MAX_EXTRA_GAIN_DB)) {
    warnings.push(`even ${gainDb.toFixed(1)} dB of gain does not reach ${target.integrated} LUFS under the ${target.truePeak} dBTP ceiling: the output will be quieter than the target`);
  }
  return { gainDb, limiter: limitingDb > 0 ? limiterAt(ceilingDb) : undefined, limitingDb, warnings };
}

/** The gain + guard as an ffmpeg filter chain (no user text in it: numbers only). */
export function loudnessFilter(plan: LoudnessPlan): string {
  const parts = [`volume=${plan.gainDb.toFixed(2)}dB`];
  // level=0: alimiter's auto-levelling would undo the measured gain.
  if (plan.limiter) parts.push(`alimiter=limit=${plan.limiter.limit}:level=0:attack=5:release=50`);
  return parts.join(',');
}

/** How far an output may land from the loudness target (issue 14: every output within ±0.3 LU). */
export const OUTPUT_TOLERANCE_LU = 0.3;

/** Warnings about a measured output against the target. */
export function checkOutputLoudness(label: string, measured: LoudnessMeasurement, target: { integrated: number; truePeak: number }, toleranceLu = OUTPUT_TOLERANCE_LU): string[] {
  const out: string[] = [];
  const off = measured.integrated - target.integrated;
  if (Math.abs(off) > toleranceLu + 1e-9) out.push(`${label} measures ${measured.integrated.toFixed(1)} LUFS, ${Math.abs(off).toFixed(1)} LU off the ${target.integrated} LUFS target`);
  if (measured.truePeak !== undefined && measured.truePeak > target.truePeak + 1e-9) out.push(`${label} true peak is ${measured.truePeak.toFixed(1)} dBTP, above the ${target.truePeak} dBTP ceiling`);
  return out;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
function round4(n: number): number {
  return Math.round(n * 10000) / 10000;
}
