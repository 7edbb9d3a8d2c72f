import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CastlineError } from '../core/errors.js';
import { runFfmpeg } from './ffmpeg/run-ffmpeg.js';
import { encoderProbeArgs, limitedCheckArgs, limiterCurveArgs, probeMeterArgs, type AudioProgram } from './encode-args.js';
import {
  CURVE_STEPS_DB,
  gainForLoudness,
  parseLastIntegrated,
  parseNamedEbur128Summary,
  planEncoderLoudness,
  planLoudness,
  SILENT_LUFS,
  TRUE_PEAK_MARGIN_DB,
  type EncoderProbe,
  type LimitedCheck,
  type LimiterCurve,
  type LoudnessPlan,
} from './loudness.js';

/**
 * The apply side of loudness (loudness.ts explains the method): on the sample the analysis
 * wrote, meter the limiter curve, then probe the encoders at the gain the curve gives, then
 * plan each encoder's gain and ceiling (pure). Three rounds of short ffmpeg runs over a
 * 2-minute WAV, two processes side by side in each (the chain is the critical path), nothing
 * decoded from the recordings again.
 */

export type Encoder = 'mp3' | 'aac';

export interface SettledLoudness {
  plans: Partial<Record<Encoder, LoudnessPlan>>;
  /** What was measured, for build.json and the report. */
  probes: Partial<Record<Encoder, EncoderProbe>>;
  check: LimitedCheck | undefined;
  seconds: number;
}

/** Plain gains this close to the limiter's knee (or past it) need the curve metered. */
const CURVE_NEAR_KNEE_DB = 2;

async function meterOf(file: string, what: string): Promise<number> {
  const value = parseLastIntegrated(await readFile(file, 'utf8').catch(() => ''));
  if (value === undefined || !(value > SILENT_LUFS)) throw new CastlineError('measure-failed', `ffmpeg measured no loudness for ${what}`);
  return value;
}

export async function settleLoudness(
  p: AudioProgram,
  measured: { integrated: number; samplePeak?: number | undefined; truePeak?: number | undefined },
  sample: { path: string; seconds: number },
  target: { integrated: number; truePeak: number },
  encoders: readonly Encoder[],
  options: { bitrateKbps: number; work: string; label: string },
): Promise<SettledLoudness> {
  const started = performance.now();
  const run = (args: string[], what: string) => runFfmpeg(args, { label: 'loudness probe', purpose: `${what} of ${options.label}`, priority: 0 });
  const plain = planLoudness(measured, target);
  const c0 = target.truePeak - TRUE_PEAK_MARGIN_DB;
  const samplePeak = measured.samplePeak ?? measured.truePeak ?? 0;
  const curve: LimiterCurve = { integrated: measured.integrated, samplePeak, ceilingDb: c0, points: [] };
  // What the limiter takes from the sample, carried over to the whole programme (loudness.ts).
  let toWhole: number | undefined;
  if (plain.gainDb + CURVE_NEAR_KNEE_DB > c0 - samplePeak) {
    const plans = CURVE_STEPS_DB.map((d) => ({ ...plain, gainDb: plain.gainDb + d, limiter: { limit: 10 ** (c0 / 20), ceilingDb: c0 } }));
    const files = { raw: join(options.work, 'curve-raw.txt'), points: plans.map((_, i) => join(options.work, `curve-${i}.txt`)) };
    // Two processes of three meters each, one per core (the analysis has ended: both are free
    // once the stills are done): the curve is on the critical path.
    const split = Math.floor(plans.length / 2);
    await Promise.all([
      run(limiterCurveArgs(sample.path, plans.slice(0, split), { raw: files.raw, points: files.points.slice(0, split) }), 'measuring the limiter curve'),
      run(limiterCurveArgs(sample.path, plans.slice(split), { points: files.points.slice(split) }), 'measuring the limiter curve'),
    ]);
    toWhole = measured.integrated - (await meterOf(files.raw, 'the loudness sample'));
    for (const [i, plan] of plans.entries()) curve.points.push({ gainDb: plan.gainDb, integrated: (await meterOf(files.points[i] as string, 'the limited sample')) + toWhole });
  }

  // The encoders' probe at the gain that would land on the target if they lost nothing.
  const checkGain = gainForLoudness(curve, target.integrated);
  const checkPlan: LoudnessPlan = { ...plain, gainDb: checkGain, limiter: samplePeak + checkGain > c0 ? { limit: 10 ** (c0 / 20), ceilingDb: c0 } : undefined };
  const file = (name: string): string => join(options.work, name);
  const probeFiles = { pre: file('probe-pre.txt'), mp3: encoders.includes('mp3') ? file('probe.mp3') : undefined, aac: encoders.includes('aac') ? file('probe.m4a') : undefined };
  const checkFile = file('probe-check.txt');
  // The limited sample's check and the encoders' probe side by side, one core each.
  const [checkRun, probeRun] = await Promise.all([
    run(limitedCheckArgs(sample.path, checkPlan, checkFile), 'checking the limited sample'),
    run(encoderProbeArgs(p, sample, checkPlan, options.bitrateKbps, probeFiles), 'probing the encoders'),
  ]);
  const checkSummary = parseNamedEbur128Summary(checkRun.stderr, 'check');
  const preSummary = parseNamedEbur128Summary(probeRun.stderr, 'pre');
  const pre = await meterOf(probeFiles.pre, 'the encoder probe');
  const checkIntegrated = await meterOf(checkFile, 'the limited sample');
  const check: LimitedCheck = {
    gainDb: checkGain,
    integrated: toWhole === undefined ? undefined : checkIntegrated + toWhole,
    interSampleDb: checkSummary?.truePeak !== undefined && checkSummary.samplePeak !== undefined ? checkSummary.truePeak - checkSummary.samplePeak : 0,
  };
  const probes = encoders.map((name) => ({ name, path: (name === 'mp3' ? probeFiles.mp3 : probeFiles.aac) as string, meter: file(`probe-${name}.txt`) }));
  // One process per encoded probe, side by side.
  const meterRuns = await Promise.all(probes.map((pr) => run(probeMeterArgs([pr]), `metering the ${pr.name} probe`)));
  const out: SettledLoudness = { plans: {}, probes: {}, check, seconds: 0 };
  for (const [i, pr] of probes.entries()) {
    const encoded = await meterOf(pr.meter, `the ${pr.name} probe`);
    const tp = parseNamedEbur128Summary(meterRuns[i]!.stderr, pr.name)?.truePeak;
    const probe: EncoderProbe = { lossLu: round3(pre - encoded), truePeakRiseDb: tp !== undefined && preSummary?.truePeak !== undefined ? round3(tp - preSummary.truePeak) : 0 };
    out.probes[pr.name] = probe;
    out.plans[pr.name] = planEncoderLoudness(curve, check, probe, target);
  }
  out.seconds = Math.round((performance.now() - started) / 10) / 100;
  return out;
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}
