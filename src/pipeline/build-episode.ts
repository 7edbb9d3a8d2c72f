import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { ShowContext } from '../config/load-show.js';
import { sha256File } from '../core/hash.js';
import { writeBuildRecord, type EpisodeBuild, type OutputFile } from '../records/build-record.js';
import type { CaptionsInput, CaptionsResult } from '../captions/index.js';
import type { SettledLoudness } from '../media/settle-loudness.js';
import type { EncodeProgress } from './encode-progress.js';
import { audioProgram } from './episode-keys.js';
import { approxProgrammeSeconds, EPISODE_STEPS, type EpisodeBuildContext } from './episode-steps.js';
import { flattenKeys, outputPaths, planEpisode, type EpisodeBuildPlan, type OutputName } from './plan-episode-build.js';
import type { EpisodeInputs, InputFile } from './read-episode-inputs.js';
import { runSteps, type Step } from './run-steps.js';

/**
 * The apply phase for one episode: run the plan's steps (episode-steps.ts), then write
 * build.json last, naming only outputs that exist (feed, site and publish trust it).
 */

export interface ApplyEpisodeOptions {
  show: ShowContext;
  inputs: EpisodeInputs;
  plan: EpisodeBuildPlan;
  progress: EncodeProgress;
  buildCaptions: ((input: CaptionsInput) => Promise<CaptionsResult>) | undefined;
  /** Seam for tests: the steps to run (default EPISODE_STEPS). */
  steps?: readonly Step<EpisodeBuildContext>[];
}

export interface BuildEpisodeResult {
  record: EpisodeBuild;
  plan: EpisodeBuildPlan;
  built: OutputName[];
}

async function outputFile(root: string, path: string): Promise<OutputFile> {
  return { path: relative(root, path), bytes: (await stat(path)).size, sha256: await sha256File(path) };
}

export async function applyEpisodePlan(options: ApplyEpisodeOptions): Promise<BuildEpisodeResult> {
  const { show, inputs, plan } = options;
  const previous = inputs.previous;
  if (!plan.build.size && previous) return { record: previous, plan, built: [] };
  const { root } = show;
  const program = audioProgram(show.show, inputs);
  const abort = new AbortController();
  const ctx: EpisodeBuildContext = {
    show,
    inputs,
    plan,
    paths: outputPaths(root, plan.id),
    work: await mkdtemp(join(tmpdir(), `castline-${plan.id}-`)),
    progress: options.progress,
    buildCaptions: options.buildCaptions,
    program,
    names: [inputs.intro, ...inputs.speech, inputs.outro].filter((f): f is InputFile => f !== undefined).map((f) => f.rel),
    approxDuration: approxProgrammeSeconds(inputs, program.crossfade),
    warnings: [...inputs.warnings],
    measured: {},
    signal: abort.signal,
  };
  try {
    await runSteps(options.steps ?? EPISODE_STEPS, ctx, abort);
    const record = await assembleRecord(ctx);
    // Last: the record names only outputs that exist (feed/site/publish trust it).
    await writeBuildRecord(root, record);
    return { record, plan, built: [...plan.build] };
  } finally {
    await rm(ctx.work, { recursive: true, force: true });
  }
}

/** build.json from what the steps made, keeping the previous record's entries for kept outputs. */
async function assembleRecord(ctx: EpisodeBuildContext): Promise<EpisodeBuild> {
  const { inputs, plan, paths } = ctx;
  const { root } = ctx.show;
  const previous = inputs.previous;
  const po = previous?.outputs;
  const made = (name: 'mp3' | 'mp4' | 'thumbnail' | 'chapters'): Promise<OutputFile> | OutputFile | undefined => (plan.build.has(name) ? outputFile(root, paths[name]) : po?.[name]);
  const measurement = ctx.measurement;
  const settled = ctx.loudness;
  const chapters = ctx.chapters;
  if (!measurement || !chapters || ctx.durationSeconds === undefined) throw new Error('internal: the build steps left the record incomplete');
  const cfg = ctx.show.show.audio;
  const mp3 = (await made('mp3')) ?? (await outputFile(root, paths.mp3));
  return {
    id: plan.id,
    builtAt: new Date().toISOString(),
    durationSeconds: ctx.durationSeconds,
    outputs: {
      mp3,
      mp4: await made('mp4'),
      thumbnail: await made('thumbnail'),
      chapters: await made('chapters'),
      vtt: ctx.captions?.vtt ?? po?.vtt,
      srt: ctx.captions?.srt ?? po?.srt,
    },
    chapters: chapters.chapters,
    chapterImages: ctx.chapterImages
      ? await Promise.all(ctx.chapterImages.map(async (f) => ({ chapterId: f.chapterId, ...(await outputFile(root, f.path)) })))
      : previous?.chapterImages,
    chaptersEstimated: chapters.estimated,
    loudness: {
      target: cfg.loudness,
      truePeakTarget: cfg.truePeak,
      inputIntegrated: measurement.integrated,
      ...loudnessRecord(settled, previous?.loudness),
      mp3Integrated: ctx.measured.mp3?.integrated ?? previous?.loudness.mp3Integrated,
      mp3TruePeak: ctx.measured.mp3?.truePeak ?? previous?.loudness.mp3TruePeak,
      mp4Integrated: ctx.measured.mp4?.integrated ?? previous?.loudness.mp4Integrated,
      mp4TruePeak: ctx.measured.mp4?.truePeak ?? previous?.loudness.mp4TruePeak,
    },
    captions: ctx.captions?.record ?? previous?.captions,
    cleanup: ctx.cleanup ?? previous?.cleanup,
    // Clips are made after the record (build-show.ts, castline clip) and kept until remade.
    clips: previous?.clips,
    camera: ctx.cameraVideo?.report ?? (inputs.camera && !plan.build.has('mp4') ? previous?.camera : undefined),
    figures: ctx.figures ?? ((inputs.figures ?? []).length && !plan.build.has('mp4') ? previous?.figures : undefined),
    inputHashes: flattenKeys(plan.keys),
    inputFiles: Object.fromEntries(
      [...inputs.speech, inputs.camera?.file, inputs.intro, inputs.outro, inputs.labels?.file, ...Object.values(inputs.visuals), ...(inputs.figures ?? []).map((f) => f.file), inputs.background, inputs.coverArt, inputs.font]
        .filter((f): f is InputFile => f !== undefined)
        .map((f) => [f.rel, { size: f.size, mtimeMs: f.mtimeMs, sha256: f.sha256, duration: f.duration }]),
    ),
    measurement,
    steps: plan.steps,
    warnings: ctx.warnings,
  };
}

/**
 * The gains as applied (the MP3's as `gainDb`, the record's long-standing field) and, per
 * encoder, what the probe measured: gain, limiter ceiling, the encoder's loss. Kept from the
 * last record when nothing was encoded.
 */
function loudnessRecord(settled: SettledLoudness | undefined, previous: EpisodeBuild['loudness'] | undefined): Record<string, unknown> {
  const main = settled?.plans.mp3 ?? settled?.plans.aac;
  if (!settled || !main) return { gainDb: previous?.gainDb, limitingDb: previous?.['limitingDb'], encoders: previous?.['encoders'] };
  const encoders = Object.fromEntries(
    (['mp3', 'aac'] as const).flatMap((e) => {
      const plan = settled.plans[e];
      const probe = settled.probes[e];
      return plan ? [[e, { gainDb: plan.gainDb, ceilingDb: plan.limiter?.ceilingDb, limitingDb: plan.limitingDb, lossLu: probe?.lossLu, truePeakRiseDb: probe?.truePeakRiseDb }]] : [];
    }),
  );
  return { gainDb: main.gainDb, limitingDb: main.limitingDb, encoders, probeSeconds: settled.seconds };
}

export interface BuildEpisodeOptions {
  show: ShowContext;
  inputs: EpisodeInputs;
  force: boolean;
  progress: EncodeProgress;
  buildCaptions: ((input: CaptionsInput) => Promise<CaptionsResult>) | undefined;
}

/** Plan and apply one episode whose inputs are read (tests and the media bench). */
export function buildEpisode(options: BuildEpisodeOptions): Promise<BuildEpisodeResult> {
  const plan = planEpisode(options.show.show, options.inputs, { force: options.force, captions: options.buildCaptions !== undefined });
  return applyEpisodePlan({ show: options.show, inputs: options.inputs, plan, progress: options.progress, buildCaptions: options.buildCaptions });
}
