import { CastlineError } from '../core/errors.js';
import { runFfmpeg } from './ffmpeg/run-ffmpeg.js';
import { parseSilenceDetect, type Silence } from './ffmpeg/silence.js';
import { readFile } from 'node:fs/promises';
import { measureArgs, remeasureArgs, type AudioProgram } from './encode-args.js';
import { combineParts, parseEbur128Summary, parseLastIntegrated, SILENT_LUFS, type LoudnessMeasurement } from './loudness.js';

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
 * One decoding pass over the assembled programme: ebur128 (integrated loudness + sample
 * peak: true peak is 4× dearer and the limiter works on sample peaks; the outputs' true peaks
 * are measured after encoding), silencedetect (pauses for estimated chapters), a level meter
 * per input (a silent take is an error naming the file) and, with `files`, the loudness
 * sample for the probes (encode-args.ts measureArgs). `names` are the inputs' display paths.
 */
export async function measureProgramme(
  p: AudioProgram,
  names: readonly string[],
  onProgress?: (fraction: number | undefined, speed: number | undefined) => void,
  approxDuration?: number,
  files?: { meter: string; sample: string; every: number | undefined },
): Promise<ProgrammeMeasurement> {
  const result = await runFfmpeg(measureArgs(p, files), {
    label: 'measure',
    priority: 0,
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
  // The meter file holds the same integrated loudness to 1/1000 LU (the summary rounds to 1/10).
  const precise = files ? parseLastIntegrated(await readFile(files.meter, 'utf8')) : undefined;
  return { ...loudness, integrated: precise ?? loudness.integrated, duration, silences: parseSilenceDetect(result.stderr, duration), inputMaxVolume };
}

/** Integrated loudness and true peak of a finished file. */
export async function measureFile(file: string, label: string, durationSeconds?: number, priority = 0): Promise<LoudnessMeasurement> {
  const one = async (part?: { start: number; duration?: number }): Promise<LoudnessMeasurement> => {
    const result = await runFfmpeg(remeasureArgs(file, part), { label, purpose: `measuring ${label}`, priority });
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

/** The encoder must be this far past a part before it is read back while still writing (its output buffer is a few seconds of audio). */
const WRITTEN_MARGIN_SECONDS = 10;

/**
 * Measure a file while it is being encoded (the MP3, the critical path): the muxer writes
 * the audio front to back (only the first frame, the Xing header, is rewritten at the end),
 * so once the encoder is WRITTEN_MARGIN_SECONDS past the middle, the first half is read back
 * and metered on the core the encoder leaves free (the AAC finishes first); when the encode
 * is done, only the second half is left, in two quarters at once. Same work as measureFile,
 * most of it off the critical path. `progress(outSeconds)` is fed the encoder's progress.
 */
export function measureWhileEncoding(
  file: string,
  label: string,
  durationSeconds: number,
  priority = 0,
): { progress: (outSeconds: number) => void; finish: () => Promise<LoudnessMeasurement>; abandon: () => Promise<void> } {
  const one = async (part: { start: number; duration?: number }): Promise<LoudnessMeasurement> => {
    const result = await runFfmpeg(remeasureArgs(file, part), { label, purpose: `measuring ${label}`, priority });
    const m = parseEbur128Summary(result.stderr);
    if (!m) throw new CastlineError('measure-failed', `ffmpeg printed no loudness summary for ${label}`);
    return m;
  };
  const half = durationSeconds / 2;
  let early: Promise<LoudnessMeasurement> | undefined;
  const split = durationSeconds >= SPLIT_MEASURE_ABOVE_SECONDS;
  return {
    progress: (outSeconds) => {
      if (split && !early && outSeconds >= half + WRITTEN_MARGIN_SECONDS) {
        early = one({ start: 0, duration: half });
        // Awaited in finish(); a failure is reported there, not as an unhandled rejection.
        early.catch(() => undefined);
      }
    },
    abandon: async () => {
      await early?.catch(() => undefined);
    },
    finish: async () => {
      if (!split) return one({ start: 0 });
      const quarter = half / 2;
      const [a, b, c] = await Promise.all([early ?? one({ start: 0, duration: half }), one({ start: half, duration: quarter }), one({ start: half + quarter })]);
      return combineParts([
        { ...a, duration: half },
        { ...b, duration: quarter },
        { ...c, duration: durationSeconds - half - quarter },
      ]);
    },
  };
}
