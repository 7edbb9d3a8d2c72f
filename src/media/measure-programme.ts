import { CastlineError } from '../core/errors.js';
import { runFfmpeg } from './ffmpeg/run-ffmpeg.js';
import { parseSilenceDetect, type Silence } from './ffmpeg/silence.js';
import { limiterLossArgs, measureArgs, remeasureArgs, type AudioProgram } from './encode-args.js';
import { combineParts, correctGain, CORRECT_ABOVE_LIMITING_DB, parseEbur128Summary, parseNamedEbur128Summary, SILENT_LUFS, type LoudnessMeasurement, type LoudnessPlan } from './loudness.js';

export interface ProgrammeMeasurement extends LoudnessMeasurement {
  duration: number;
  silences: Silence[];
  /** Per input (in programme order): loudest sample, dBFS. */
  inputMaxVolume: (number | undefined)[];
}

/** Loudest sample below this: the file holds no usable sound (digital silence is -91 dB). */
export const SILENT_MAX_DB = -60;

/** Parse `[volumedetect@inN …] max_volume: -12.3 dB` lines (pure). */
export function parseInputMaxVolumes(stderr: string, inputs: number): (number | undefined)[] {
  const out: (number | undefined)[] = Array.from({ length: inputs }, () => undefined);
  for (const m of stderr.matchAll(/\[volumedetect@in(\d+) @ [^\]]*\] max_volume: (-?[\d.]+|-inf) dB/g)) {
    const i = Number(m[1]);
    if (i < inputs) out[i] = m[2] === '-inf' ? Number.NEGATIVE_INFINITY : Number(m[2]);
  }
  return out;
}

/**
 * One decoding pass over the assembled programme: ebur128 (integrated loudness + true peak),
 * silencedetect (pauses for estimated chapters) and a level meter per input (a silent take is
 * an error naming the file). `names` are the inputs' display paths, in programme order.
 */
export async function measureProgramme(p: AudioProgram, names: readonly string[], onProgress?: (fraction: number | undefined, speed: number | undefined) => void, approxDuration?: number): Promise<ProgrammeMeasurement> {
  const result = await runFfmpeg(measureArgs(p), {
    label: 'measure',
    purpose: `analysing the loudness of ${names.join(', ')}`,
    durationSeconds: approxDuration,
    onProgress: (pr) => onProgress?.(pr.fraction, pr.speed),
    hint: 'check that every recording plays to the end (re-export any file that fails to decode)',
  });
  const loudness = parseEbur128Summary(result.stderr);
  if (!loudness) throw new CastlineError('measure-failed', `ffmpeg printed no loudness summary for ${names.join(', ')}`, { details: result.stderr.slice(-3000) });
  const inputMaxVolume = parseInputMaxVolumes(result.stderr, names.length);
  const silent = names.filter((_, i) => (inputMaxVolume[i] ?? 0) <= SILENT_MAX_DB);
  if (silent.length) {
    throw new CastlineError('silent-audio', `${silent.join(', ')} ${silent.length > 1 ? 'are' : 'is'} silent (nothing louder than ${SILENT_MAX_DB} dBFS)`, {
      hint: 'check the microphone input and export the recording again',
    });
  }
  if (!(loudness.integrated > SILENT_LUFS)) {
    throw new CastlineError('silent-audio', `${names.join(', ')} ${names.length > 1 ? 'are' : 'is'} too quiet to measure (${loudness.integrated} LUFS)`, {
      hint: 'check the microphone input and export the recording again',
    });
  }
  const duration = result.progress?.outSeconds ?? 0;
  if (!(duration > 0)) throw new CastlineError('measure-failed', `ffmpeg decoded no audio from ${names.join(', ')}`);
  return { ...loudness, duration, silences: parseSilenceDetect(result.stderr, duration), inputMaxVolume };
}

/** Integrated loudness and true peak of a finished file. */
export async function measureFile(file: string, label: string, durationSeconds?: number): Promise<LoudnessMeasurement> {
  const one = async (part?: { start: number; duration?: number }): Promise<LoudnessMeasurement> => {
    const result = await runFfmpeg(remeasureArgs(file, part), { label, purpose: `measuring ${label}` });
    const m = parseEbur128Summary(result.stderr);
    if (!m) throw new CastlineError('measure-failed', `ffmpeg printed no loudness summary for ${label}`);
    return m;
  };
  // True-peak metering (4× oversampling) of an hour of MP3 takes ~10 s of one core, and it
  // is the last step of a build, with the other core idle: measure two halves at once.
  if (durationSeconds === undefined || durationSeconds < SPLIT_MEASURE_ABOVE_SECONDS) return one();
  const half = durationSeconds / 2;
  const [a, b] = await Promise.all([one({ start: 0, duration: half }), one({ start: half })]);
  return combineParts([
    { ...a, duration: half },
    { ...b, duration: durationSeconds - half },
  ]);
}

/** Files longer than this are re-measured in two halves in parallel. */
export const SPLIT_MEASURE_ABOVE_SECONDS = 600;

/** Programmes longer than this settle their gain on a 10 % sample (10 s of every 100 s). */
export const SAMPLE_LOSS_ABOVE_SECONDS = 600;

/**
 * When the limiter works hard, measure how much loudness it takes away and raise the gain
 * until the programme lands within 0.15 LU of the target (at most three passes; each is a
 * decode + limiter + two ebur128 meters, on a 10 % sample for long programmes: ~1 s per hour).
 */
export async function settleLoudness(p: AudioProgram, plan: LoudnessPlan, measured: LoudnessMeasurement & { duration: number }, target: { integrated: number; truePeak: number }, label: string): Promise<LoudnessPlan> {
  let current = plan;
  const tries: { gainDb: number; integrated: number }[] = [];
  const sampleEvery = measured.duration > SAMPLE_LOSS_ABOVE_SECONDS ? 100 : undefined;
  for (let pass = 0; pass < 3 && current.limiter && current.limitingDb > CORRECT_ABOVE_LIMITING_DB; pass++) {
    const result = await runFfmpeg(limiterLossArgs(p, current, sampleEvery), { label: 'verify loudness', purpose: `checking the loudness of ${label} after limiting` });
    const raw = parseNamedEbur128Summary(result.stderr, 'raw');
    const lim = parseNamedEbur128Summary(result.stderr, 'lim');
    if (!raw || !lim || !(raw.integrated > SILENT_LUFS)) break;
    // Whole-programme loudness after gain + limiter = measured + gain − the limiter's loss.
    const predicted = measured.integrated + current.gainDb + (lim.integrated - (raw.integrated + current.gainDb));
    if (Math.abs(target.integrated - predicted) < 0.15) break;
    tries.push({ gainDb: current.gainDb, integrated: predicted });
    current = correctGain(plan, tries, target, measured.truePeak ?? 0);
  }
  if (current !== plan) current = { ...current, warnings: current.warnings.map((w) => w.replace(/needs [\d.]+ dB/, `needs ${current.limitingDb.toFixed(1)} dB`)) };
  return current;
}
