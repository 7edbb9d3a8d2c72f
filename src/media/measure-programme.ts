import { CastlineError } from '../core/errors.js';
import { runFfmpeg } from './ffmpeg/run-ffmpeg.js';
import { parseSilenceDetect, type Silence } from './ffmpeg/silence.js';
import { readFile } from 'node:fs/promises';
import { decodeForMeterArgs, measureArgs, type AudioProgram } from './encode-args.js';
import { joinMeterStates, LoudnessMeter, summarise, WavFloatStream, type MeterState } from './bs1770-meter.js';
import { parseEbur128Summary, parseLastIntegrated, SILENT_LUFS, type LoudnessMeasurement } from './loudness.js';

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

/** A part of a file after its first one is decoded from this much earlier: the preroll primes the meter's filters and its true-peak window. */
const PREROLL_SECONDS = 0.5;

/**
 * Meter a file or a part of it: ffmpeg decodes it to float PCM on its stdout
 * (`decodeForMeterArgs`) and castline's BS.1770 meter reads it as it comes (bs1770-meter.ts:
 * a third of the CPU of ffmpeg's ebur128 with true peak). A part starts on a 100 ms
 * boundary, so consecutive parts join to the whole file's measurement.
 */
async function meterPart(file: string, label: string, priority: number, part?: { start: number; duration?: number | undefined }): Promise<MeterState> {
  const from = part ? Math.max(0, part.start - PREROLL_SECONDS) : 0;
  const lead = part ? part.start - from : 0;
  let meter: LoudnessMeter | undefined;
  const wav = new WavFloatStream((samples, format) => {
    meter ??= new LoudnessMeter(format.rate, format.channels, lead > 0 ? { preroll: Math.round(lead * format.rate), peakFrom: 12 } : {});
    meter.push(samples);
  });
  const range = part ? { start: from, duration: part.duration === undefined ? undefined : part.duration + lead } : undefined;
  await runFfmpeg(decodeForMeterArgs(file, range), { label, purpose: `measuring ${label}`, priority, background: priority > 0, onStdout: (chunk) => wav.push(chunk) });
  if (!meter) throw new CastlineError('measure-failed', `ffmpeg decoded no audio from ${label}`);
  return meter.state();
}

/** A meter's state as castline's measurement (rounded as ebur128 prints it: 0.1 LU, 0.1 dB). */
export function toMeasurement(state: MeterState): LoudnessMeasurement {
  const r = summarise(state);
  const round = (v: number): number => (Number.isFinite(v) ? Math.round(v * 10) / 10 : v);
  return { integrated: round(r.integrated), truePeak: round(r.truePeak), lra: r.lra === undefined ? undefined : round(r.lra), samplePeak: round(r.samplePeak) };
}

/** Integrated loudness, loudness range, true and sample peak of a finished file, or of a span of it. */
export async function measureFile(file: string, label: string, durationSeconds?: number, priority = 0, span?: { start: number; duration: number }): Promise<LoudnessMeasurement> {
  if (span) return toMeasurement(await meterPart(file, label, priority, span));
  // An hour of the MP4's AAC takes ~8 s of CPU to meter; when it is the last step of a build,
  // with the other core idle, two halves at once take half the time.
  if (durationSeconds === undefined || durationSeconds < SPLIT_MEASURE_ABOVE_SECONDS) return toMeasurement(await meterPart(file, label, priority));
  const half = Math.round(durationSeconds * 5) / 10;
  const [a, b] = await Promise.all([meterPart(file, label, priority, { start: 0, duration: half }), meterPart(file, label, priority, { start: half })]);
  return toMeasurement(joinMeterStates([a, b]));
}

/** Files longer than this are re-measured in two halves in parallel. */
export const SPLIT_MEASURE_ABOVE_SECONDS = 600;

/** The encoder must be this far past a part before it is read back while still writing (its output buffer is a few seconds of audio). */
const WRITTEN_MARGIN_SECONDS = 10;

/** While a file is being encoded, it is read back in parts of about this length. */
const PART_SECONDS = 300;

/**
 * Measure a file while it is being encoded (the MP3, the critical path): the muxer writes
 * the audio front to back (only the first frame, the Xing header, is rewritten at the end),
 * so each ~5-minute part is read back and metered as soon as the encoder is
 * WRITTEN_MARGIN_SECONDS past it, on the core the encoder leaves free (the AAC finishes
 * first); when the encode is done, only the last part is left, in two halves at once. Same
 * work as measureFile, off the critical path as far as the free core allows. Measured on an
 * hour: with ffmpeg's ebur128 (true peak) as the meter, 4.4 s of parts were still left after
 * the encode, because the MP4's metering shares that core; with castline's meter (about 40 %
 * less CPU), only the last part's two halves: 0.6 s.
 * `progress(outSeconds)` is fed the encoder's progress.
 */
export function measureWhileEncoding(
  file: string,
  label: string,
  durationSeconds: number,
  priority: { whileEncoding: number; last: number } = { whileEncoding: 0, last: 0 },
): { progress: (outSeconds: number) => void; finish: () => Promise<LoudnessMeasurement>; abandon: () => Promise<void> } {
  const one = (part: { start: number; duration?: number }, p = priority.last): Promise<MeterState> => meterPart(file, label, p, part);
  const split = durationSeconds >= SPLIT_MEASURE_ABOVE_SECONDS;
  const count = split ? Math.max(2, Math.round(durationSeconds / PART_SECONDS)) : 1;
  // Cuts on 100 ms boundaries: the parts' meter steps join to the whole file's.
  const cut = (i: number): number => Math.round((i * durationSeconds) / count * 10) / 10;
  const parts = Array.from({ length: count }, (_, i) => ({ start: cut(i), duration: Math.round((cut(i + 1) - cut(i)) * 10) / 10, end: cut(i + 1) }));
  const early: (Promise<MeterState> | undefined)[] = parts.map(() => undefined);
  const meter = (i: number, p = priority.whileEncoding): Promise<MeterState> => {
    const part = parts[i]!;
    const run = one({ start: part.start, duration: part.duration }, p);
    // Awaited in finish(); a failure is reported there, not as an unhandled rejection.
    run.catch(() => undefined);
    return run;
  };
  return {
    progress: (outSeconds) => {
      for (let i = 0; i < count - 1; i++) if (!early[i] && outSeconds >= parts[i]!.end + WRITTEN_MARGIN_SECONDS) early[i] = meter(i);
    },
    abandon: async () => {
      await Promise.all(early.map((e) => e?.catch(() => undefined)));
    },
    finish: async () => {
      if (!split) return toMeasurement(await meterPart(file, label, priority.last));
      const last = parts[count - 1]!;
      const half = Math.round(last.duration * 5) / 10;
      const measured = await Promise.all([
        ...parts.slice(0, -1).map((_, i) => (early[i] ??= meter(i, priority.last))),
        one({ start: last.start, duration: half }),
        one({ start: Math.round((last.start + half) * 10) / 10 }),
      ]);
      return toMeasurement(joinMeterStates(measured));
    },
  };
}
