import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { CleanupSettings } from '../config/show-schema.js';
import { CastlineError } from '../core/errors.js';
import { analyseTakeArgs, humProbeArgs, parseHumTroughs, parseLevels, renderTakeArgs, renderTakeGraph, type TakeFormat } from './cleanup-args.js';
import type { CleanupReport, TakeCleanupReport } from '../records/build-record.js';
import type { Filter } from './filter-chain.js';
import { runFfmpeg } from './ffmpeg/run-ffmpeg.js';
import { CRITICAL_PRIORITY } from './ffmpeg/core-slots.js';
import { parseEbur128Summary } from './loudness.js';
import { classifyFrames, energyMeanDb, needsRender, pauseFloorAfter, planTakeCleanup, trimmedSeconds, type Cut } from './plan-cleanup.js';

/**
 * The apply step of speech cleanup (issue 14): probe, plan (pure, plan-cleanup.ts), and either
 * hand back filters that run inline in every later pass (high-pass and hum notches only: two
 * cheap biquads per sample, no extra decode) or render a cleaned copy of each take (denoise,
 * leveler, trimming: analysed and filtered once, not once per encoder). Takes are cleaned
 * one by one, before they are joined; music never passes through here.
 */

export interface SpeechFile {
  abs: string;
  /** For the report and messages (relative to the show root). */
  rel: string;
  duration: number;
}

export interface CleanSpeechResult {
  /** The speech to assemble, in order: cleaned copies, or the originals. */
  speech: SpeechFile[];
  /** Per speech input: filters every later pass runs on it (empty when rendered). */
  inlineFilters: Filter[][];
  /** Per speech input: what was cut (original take time), for chapters and labels. */
  cuts: Cut[][];
  report: CleanupReport;
}

export function cleanupIsOff(s: CleanupSettings): boolean {
  return s.highpass === false && s.dehum === false && !needsRender(s);
}

async function limit<T, R>(items: readonly T[], n: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i] as T, i);
      }
    }),
  );
  return out;
}

export async function cleanSpeech(files: readonly SpeechFile[], settings: CleanupSettings, format: TakeFormat, work: string, onStep?: (label: string) => void): Promise<CleanSpeechResult> {
  const started = performance.now();
  const seconds = (): number => Math.round((performance.now() - started) / 10) / 100;
  const noCuts = files.map((): Cut[] => []);
  if (cleanupIsOff(settings)) {
    return { speech: [...files], inlineFilters: files.map(() => []), cuts: noCuts, report: { mode: 'off', takes: [], seconds: 0 } };
  }
  const highpassHz = settings.highpass === false ? undefined : settings.highpass;

  if (!needsRender(settings)) {
    // Default path: one short probe process for all takes, then two biquads inline.
    let troughs = files.map(() => new Map<number, number>());
    if (settings.dehum !== false) {
      onStep?.('hum probe');
      const r = await runFfmpeg(humProbeArgs(files.map((f) => f.abs)), { label: 'hum probe', priority: CRITICAL_PRIORITY, purpose: `listening for mains hum in ${files.map((f) => f.rel).join(', ')}` });
      troughs = parseHumTroughs(r.stderr, files.length);
    }
    const plans = files.map((f, i) => planTakeCleanup(settings, { duration: f.duration, levels: [], humTroughs: troughs[i] ?? new Map() }, { sampleRate: format.sampleRate, targetSpeechDb: undefined, levelerCommandsFile: '' }));
    return {
      speech: [...files],
      inlineFilters: plans.map((p) => p.filters),
      cuts: noCuts,
      report: {
        mode: 'inline',
        takes: plans.map((p, i) => ({
          file: files[i]?.rel ?? '',
          highpassHz,
          hum: settings.dehum === false ? undefined : { found: p.hum.base, removed: p.hum.removed, excessDb: p.hum.excessDb },
          noiseFloorDb: undefined,
          lra: undefined,
          denoise: undefined,
          leveler: undefined,
          trimmedSeconds: 0,
          cuts: [],
          durationSeconds: { before: files[i]?.duration ?? 0, after: files[i]?.duration ?? 0 },
        })),
        seconds: seconds(),
      },
    };
  }

  // Full path: analyse every take (levels, loudness range, hum), plan, render.
  onStep?.('analyse takes');
  const analyses = await limit(files, 2, async (f, i) => {
    const levelsFile = join(work, `cleanup-${i}-before.txt`);
    const r = await runFfmpeg(analyseTakeArgs(f.abs, format, levelsFile), { label: `cleanup analysis ${i + 1}`, priority: CRITICAL_PRIORITY, purpose: `analysing ${f.rel} for cleanup`, durationSeconds: f.duration });
    const levels = parseLevels(await readFile(levelsFile, 'utf8'));
    if (!levels.length) throw new CastlineError('measure-failed', `ffmpeg measured no levels in ${f.rel}`, { details: r.stderr.slice(-2000) });
    return { duration: f.duration, levels, humTroughs: parseHumTroughs(r.stderr, 1)[0] ?? new Map(), lra: parseEbur128Summary(r.stderr)?.lra };
  });
  // One target for every take: the leveler also evens out takes recorded at different levels.
  const targetSpeechDb = energyMeanDb(
    analyses.flatMap((a) => {
      const { pause } = classifyFrames(a.levels);
      return a.levels.filter((_, k) => !pause[k]);
    }),
  );
  onStep?.('clean takes');
  const rendered = await limit(files, 2, async (f, i) => {
    const a = analyses[i];
    if (!a) throw new Error('analysis missing');
    const commandsFile = join(work, `cleanup-${i}-leveler.cmd`);
    const plan = planTakeCleanup(settings, a, { sampleRate: format.sampleRate, targetSpeechDb, levelerCommandsFile: commandsFile });
    if (plan.levelerCommands !== undefined) await writeFile(commandsFile, plan.levelerCommands);
    const graphFile = join(work, `cleanup-${i}.graph`);
    const afterFile = join(work, `cleanup-${i}-after.txt`);
    const out = join(work, `clean-${i}.wav`);
    await writeFile(graphFile, renderTakeGraph(plan.filters, format, afterFile));
    const r = await runFfmpeg(renderTakeArgs(f.abs, graphFile, out), { label: `clean ${i + 1}`, priority: CRITICAL_PRIORITY, purpose: `cleaning ${f.rel}`, durationSeconds: f.duration });
    const after = parseLevels(await readFile(afterFile, 'utf8'));
    const duration = r.progress?.outSeconds && r.progress.outSeconds > 0 ? r.progress.outSeconds : f.duration - trimmedSeconds(plan.cuts);
    const report: TakeCleanupReport = {
      file: f.rel,
      highpassHz,
      hum: settings.dehum === false ? undefined : { found: plan.hum.base, removed: plan.hum.removed, excessDb: plan.hum.excessDb },
      noiseFloorDb: plan.classes?.noiseFloorDb === undefined ? undefined : { before: round1(plan.classes.noiseFloorDb), after: optRound1(pauseFloorAfter(plan.classes, plan.cuts, after)) },
      lra: { before: a.lra, after: parseEbur128Summary(r.stderr)?.lra },
      denoise: plan.denoise,
      leveler: plan.leveler,
      trimmedSeconds: trimmedSeconds(plan.cuts),
      cuts: plan.cuts,
      durationSeconds: { before: f.duration, after: round3(duration) },
    };
    return { file: { abs: out, rel: f.rel, duration: round3(duration) }, cuts: plan.cuts, report };
  });
  return {
    speech: rendered.map((r) => r.file),
    inlineFilters: files.map(() => []),
    cuts: rendered.map((r) => r.cuts),
    report: { mode: 'rendered', takes: rendered.map((r) => r.report), seconds: seconds() },
  };
}

/** One line per take for the build report: what each step did, measured. */
export function describeTakeCleanup(t: TakeCleanupReport): string {
  const parts: string[] = [];
  if (t.highpassHz !== undefined) parts.push(`high-pass ${t.highpassHz} Hz`);
  if (t.hum) {
    const signed = (n: number): string => `${n >= 0 ? '+' : ''}${n.toFixed(0)}`;
    const ex = `50 Hz ${signed(t.hum.excessDb[50])} dB, 60 Hz ${signed(t.hum.excessDb[60])} dB over neighbours`;
    parts.push(t.hum.removed ? `hum ${t.hum.found ? 'found' : 'set'} at ${t.hum.removed} Hz, notched (${ex})` : `no hum (${ex})`);
  }
  if (t.noiseFloorDb) parts.push(`noise floor in pauses ${t.noiseFloorDb.before.toFixed(1)} → ${t.noiseFloorDb.after?.toFixed(1) ?? '?'} dBFS`);
  if (t.denoise && 'skipped' in t.denoise) parts.push(`denoise skipped: ${t.denoise.skipped}`);
  else if (t.denoise) parts.push(`denoise ${t.denoise.strength}`);
  if (t.leveler) parts.push(`leveler ${t.leveler.rangeDb[0].toFixed(1)}…${t.leveler.rangeDb[1].toFixed(1)} dB`);
  if (t.lra && (t.lra.before !== undefined || t.lra.after !== undefined)) parts.push(`LRA ${t.lra.before?.toFixed(1) ?? '?'} → ${t.lra.after?.toFixed(1) ?? '?'} LU`);
  if (t.trimmedSeconds > 0) parts.push(`trimmed ${t.trimmedSeconds.toFixed(1)} s`);
  return `${t.file}: ${parts.join('; ') || 'untouched'}`;
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
function optRound1(n: number | undefined): number | undefined {
  return n === undefined ? undefined : round1(n);
}
function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}
