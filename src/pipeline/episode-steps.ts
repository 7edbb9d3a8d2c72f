import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';
import { distUrl } from '../publication/plan-publication.js';
import type { ShowContext } from '../config/load-show.js';
import { episodeDate } from '../config/load-show.js';
import { CastlineError } from '../core/errors.js';
import { produceAtomic, writeFileAtomic } from '../core/fs-atomic.js';
import type { CameraReport, Chapter, CleanupReport, EpisodeBuild, FigureRecord, OutputFile } from '../records/build-record.js';
import { alignCaptions } from '../captions/align-captions.js';
import type { SectionBound } from '../captions/index.js';
import { figureFrames, insetBox, planFigures } from '../media/plan-figures.js';
import { cameraMuxArgs, cameraVideoArgs, lowerThirdFilters, pictureStands, planCameraVideo, planLowerThirds, type CameraPicture } from '../media/camera-args.js';
import { syncCamera } from '../media/camera-sync.js';
import { cleanSpeech } from '../media/clean-speech.js';
import { mapTime } from '../media/plan-cleanup.js';
import { visualKind } from '../media/find-recording.js';
import { cleanupFor } from './episode-keys.js';
import { chaptersFromLabels, chaptersFromTakes, estimateChapters, toFfmetadata, toJsonChapters } from '../media/chapters.js';
import { aacArgs, chapterImageArgs, clipArgs, clipFrames, concatList, type FigureWindow, mp3Args, muxArgs, programmeSampleEvery, sampleArgs, sampleSeconds, thumbnailArgs, type AudioProgram } from '../media/encode-args.js';
import { probeMedia } from '../media/ffmpeg/probe.js';
import { runFfmpeg } from '../media/ffmpeg/run-ffmpeg.js';
import { CRITICAL_PRIORITY } from '../media/ffmpeg/core-slots.js';
import { checkOutputLoudness, type LoudnessMeasurement, type LoudnessPlan } from '../media/loudness.js';
import { measureFile, measureProgramme, measureWhileEncoding } from '../media/measure-programme.js';
import { settleLoudness, type Encoder, type SettledLoudness } from '../media/settle-loudness.js';
import { EnvelopeAccumulator } from '../captions/decode-envelope.js';
import type { Envelope } from '../captions/find-pauses.js';
import { musicMargins } from '../media/music-margins.js';
import { writeMp3Tags } from '../media/write-mp3-tags.js';
import type { CaptionsInput, CaptionsResult } from '../captions/index.js';
import type { EncodeProgress } from './encode-progress.js';
import { captionSpeaker } from './episode-keys.js';
import type { EpisodeBuildPlan, OutputPaths } from './plan-episode-build.js';
import type { EpisodeInputs } from './read-episode-inputs.js';
import type { Step } from './run-steps.js';

/**
 * The apply phase of one episode as a list of steps over one context (run by run-steps.ts):
 * shared work first (analysis, still clips, loudness, chapter times), then one producer per
 * output (MP3, AAC → MP4, thumbnail, chapters.json, captions), each written atomically. The
 * order is the priority on the two cores (PERF.md): the analysis starts first and the stills
 * encode beside it; then MP3 | AAC in parallel (the MP3 is the critical path), the mux when
 * both the AAC and the stills are done. With a camera recording the x264 encode of its picture
 * is the longest job by far, so it comes first and starts at once when nothing it shows needs
 * the measured audio (camera-video), beside all of the audio work. Nothing is written into
 * dist/ before the analysis has passed (it is the last check of the inputs: a silent take
 * fails there).
 * Later stages (audio cleanup, issue 14) add steps to EPISODE_STEPS, e.g. one before
 * `analyse` that replaces `ctx.program` with cleaned speech.
 */

export type Measurement = NonNullable<EpisodeBuild['measurement']>;

export interface EpisodeBuildContext {
  show: ShowContext;
  inputs: EpisodeInputs;
  plan: EpisodeBuildPlan;
  paths: OutputPaths;
  /** Scratch folder for intermediate files (clips, AAC, concat list), removed afterwards. */
  work: string;
  progress: EncodeProgress;
  buildCaptions: ((input: CaptionsInput) => Promise<CaptionsResult>) | undefined;
  /** The programme to encode; a step before `analyse` may replace it (e.g. cleaned speech). */
  program: AudioProgram;
  /** Display names of the programme's inputs, in order, for messages. */
  names: string[];
  /** Length of the programme estimated from the inputs (before it is measured). */
  approxDuration: number;
  warnings: string[];
  /** Aborted when a step fails: the camera encode, which may have started before the analysis, stops then. */
  signal?: AbortSignal;
  // Filled in by the steps, in this order:
  /** What speech cleanup did (or the previous build's report, when the audio is unchanged). */
  cleanup?: CleanupReport;
  measurement?: Measurement;
  /** The loudness sample the analysis wrote (loudness.ts), for the probes. */
  sample?: { path: string; seconds: number };
  /** Per encoder: gain and ceiling, settled on the sample (none when nothing is encoded). */
  loudness?: SettledLoudness;
  /** The captions' envelope, written by the AAC encode (then the captions decode nothing). */
  envelope?: Envelope;
  chapters?: { chapters: Chapter[]; estimated: boolean };
  clips?: { path: string; frames: number }[];
  /** Where the microphone sits in the camera's sound (camera time = mic time + offset). */
  sync?: { offsetSeconds: number; confidence?: number | undefined; margin?: number | undefined };
  /** The camera's picture for the mux: a re-encoded file, or the camera file to copy from. */
  cameraVideo?: { path: string; report: CameraReport; picture: CameraPicture & { until: number } };
  aac?: string;
  measured: Partial<Record<'mp3' | 'mp4', LoudnessMeasurement>>;
  /** Length of the MP3 as written (or kept). */
  durationSeconds?: number;
  captions?: { record: NonNullable<EpisodeBuild['captions']>; vtt: OutputFile; srt: OutputFile };
  /** The chapter pictures made by this build (absent: the chapters output is kept). */
  chapterImages?: { chapterId: string; path: string }[];
  /** Each figure's still clip (title-card videos), by index of inputs.figures. */
  figureClips?: { path: string; frames: number }[];
  /** The figures as placed in time and drawn (issue 15), and each one's index in inputs.figures. */
  figures?: FigureRecord[];
  figureIndex?: number[];
}

/** A value an earlier step sets; missing means the step list is in the wrong order. */
function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`internal: ${what} is not ready (check the order of EPISODE_STEPS)`);
  return value;
}

/** The programme's music margins, from the inputs' probed lengths. */
export function episodeMargins(inputs: EpisodeInputs, crossfade: number): { lead: number; tail: number } {
  return musicMargins({ introSeconds: inputs.intro ? (inputs.intro.duration ?? 0) : undefined, outroSeconds: inputs.outro ? (inputs.outro.duration ?? 0) : undefined, crossfade });
}

/** Length of the programme from the inputs' probed lengths: speech plus the music around it. */
export function approxProgrammeSeconds(inputs: EpisodeInputs, crossfade: number): number {
  const { lead, tail } = episodeMargins(inputs, crossfade);
  return inputs.speech.reduce((n, f) => n + (f.duration ?? 0), 0) + lead + tail;
}

/** The chapters' ids and titles, known before the audio is measured (times come later). */
export function chapterOutline(inputs: EpisodeInputs): { id: string; title: string }[] {
  const sections = inputs.script.sections;
  if (inputs.takes.length) return inputs.takes.map((t) => sections.find((s) => s.id === t.sectionId) ?? { id: t.sectionId, title: t.sectionId });
  if (inputs.labels) return chaptersFromLabels(inputs.labels.labels, sections, 1e9).map(({ id, title }) => ({ id, title }));
  return sections.map(({ id, title }) => ({ id, title }));
}

/** Chapter times: exact from takes or labels, else estimated from word counts and pauses. */
export function computeChapters(inputs: EpisodeInputs, margins: { lead: number; tail: number }, measured: { duration: number; silences: { start: number; end: number }[] }): { chapters: Chapter[]; estimated: boolean } {
  const sections = inputs.script.sections;
  if (inputs.takes.length) {
    const takes = inputs.takes.map((t) => ({ section: sections.find((s) => s.id === t.sectionId) ?? { id: t.sectionId, title: t.sectionId, words: 0 }, duration: t.file.duration ?? 0 }));
    return { chapters: chaptersFromTakes(takes, measured.duration, margins.lead), estimated: false };
  }
  if (inputs.labels) return { chapters: chaptersFromLabels(inputs.labels.labels, sections, measured.duration, margins.lead), estimated: false };
  return { chapters: estimateChapters(sections, { start: margins.lead, end: measured.duration - margins.tail }, measured.silences, measured.duration), estimated: true };
}

function imageMime(path: string): 'image/png' | 'image/jpeg' {
  return extname(path).toLowerCase() === '.png' ? 'image/png' : 'image/jpeg';
}

const THUMBNAIL_MAX_BYTES = 2 * 1024 * 1024;

/** Priorities for the two cores (run-ffmpeg.ts): the MP3's chain first, stills and thumbnail last. */
const CRITICAL = CRITICAL_PRIORITY;
/**
 * Work with slack, after the stills → AAC → mux → MP4 metering chain on the core the MP3
 * leaves: the MP3's parts metered while it encodes, the thumbnail.
 */
const SLACK = 2;

async function encode(ctx: EpisodeBuildContext, label: string, args: string[], duration?: number, priority = 1, onStdout?: (chunk: Buffer) => void, onOutSeconds?: (s: number) => void, signal?: AbortSignal): Promise<void> {
  const id = ctx.plan.id;
  const task = ctx.progress.start(`${id} ${label}`);
  const onProgress = (p: { fraction: number | undefined; speed: number | undefined; outSeconds: number }): void => {
    task.update(p.fraction, p.speed);
    onOutSeconds?.(p.outSeconds);
  };
  await runFfmpeg(args, { label, purpose: `making the ${label} of ${id}`, durationSeconds: duration, onProgress, priority, onStdout, signal });
  task.finish();
}

const encodesAudio = (ctx: EpisodeBuildContext): boolean => ctx.plan.build.has('mp3') || ctx.plan.build.has('mp4');

function plannedFor(ctx: EpisodeBuildContext, encoder: Encoder): LoudnessPlan {
  return need(ctx.loudness?.plans[encoder], `the ${encoder} loudness plan`);
}

function tags(ctx: EpisodeBuildContext): { title: string; artist: string; album: string; date: string; comment: string } {
  const ep = ctx.inputs.episode;
  const cfg = ctx.show.show;
  return { title: ep.config?.title ?? ep.id, artist: cfg.author, album: cfg.title, date: episodeDate(ep), comment: ep.config?.description ?? cfg.description };
}

const builds = (output: 'mp3' | 'mp4' | 'thumbnail' | 'chapters' | 'captions') => (ctx: EpisodeBuildContext): boolean => ctx.plan.build.has(output);

/**
 * The speech as listeners hear it on a timeline: with trimSilence the takes are shorter and
 * labels move with the cuts (pure; chapters are timed on this).
 */
export function cleanedTimeline(inputs: EpisodeInputs, report: CleanupReport | undefined): EpisodeInputs {
  if (!report || report.mode !== 'rendered') return inputs;
  const take = (i: number): CleanupReport['takes'][number] | undefined => report.takes[i];
  return {
    ...inputs,
    takes: inputs.takes.map((t, i) => ({ ...t, file: { ...t.file, duration: take(i)?.durationSeconds.after ?? t.file.duration } })),
    labels: inputs.labels && {
      ...inputs.labels,
      labels: inputs.labels.labels.map((l) => ({ ...l, start: mapTime(l.start, take(0)?.cuts ?? []), end: mapTime(l.end, take(0)?.cuts ?? []) })),
    },
  };
}

/**
 * Speech cleanup (issue 14), take by take before they are joined: swaps the programme's
 * speech for cleaned copies, or adds inline filters (high-pass, hum notches). Runs whenever
 * audio is encoded; when only chapters or captions are redone for unchanged audio, the last
 * build's report (with its cuts) stands.
 */
const cleanup: Step<EpisodeBuildContext> = {
  name: 'cleanup',
  when: (ctx) => (['mp3', 'mp4', 'chapters', 'captions'] as const).some((o) => ctx.plan.build.has(o)),
  async run(ctx) {
    const previous = ctx.inputs.previous;
    const encodes = ctx.plan.build.has('mp3') || ctx.plan.build.has('mp4');
    if (!encodes && previous?.cleanup && previous.measurement?.audioKey === ctx.plan.audioKey && !ctx.plan.measure) {
      ctx.cleanup = previous.cleanup;
      return;
    }
    const settings = cleanupFor(ctx.show.show, ctx.inputs);
    if (ctx.inputs.camera && episodeCleanupAsked(ctx)) ctx.warnings.push('audio.cleanup.trimSilence is off for this episode: cutting pauses from the sound would put the camera picture out of sync');
    const task = ctx.progress.start(`${ctx.plan.id} cleanup`);
    const speech = ctx.inputs.speech.map((f) => ({ abs: f.abs, rel: f.rel, duration: f.duration ?? 0 }));
    const result = await cleanSpeech(speech, settings, { sampleRate: ctx.program.sampleRate, channels: ctx.program.channels }, ctx.work);
    ctx.program = { ...ctx.program, speech: result.speech.map((f) => f.abs), speechFilters: result.inlineFilters };
    ctx.approxDuration -= result.report.takes.reduce((n, t) => n + t.trimmedSeconds, 0);
    ctx.cleanup = result.report;
    task.finish(result.report.mode === 'off' ? 'off' : `${result.report.mode}, ${result.report.seconds.toFixed(1)} s`);
  },
};

/** Loudness, true peak and pauses of the programme: reused from the record when the audio is unchanged. */
const analyse: Step<EpisodeBuildContext> = {
  name: 'analyse',
  after: ['cleanup'],
  async run(ctx) {
    const previous = ctx.inputs.previous?.measurement;
    if (previous?.audioKey === ctx.plan.audioKey && !ctx.plan.measure) {
      ctx.measurement = previous;
      return;
    }
    const task = ctx.progress.start(`${ctx.plan.id} analyse`);
    // The loudness sample is written in the same pass, only when something will be encoded.
    const every = programmeSampleEvery(ctx.approxDuration);
    const files = encodesAudio(ctx) ? { meter: join(ctx.work, 'programme-meter.txt'), sample: join(ctx.work, 'loudness-sample.wav'), every } : undefined;
    const m = await measureProgramme(ctx.program, ctx.names, (f, s) => task.update(f, s), ctx.approxDuration, files);
    task.finish(`${m.integrated.toFixed(1)} LUFS, sample peak ${m.samplePeak?.toFixed(1) ?? '?'} dBFS`);
    if (files) ctx.sample = { path: files.sample, seconds: sampleSeconds(m.duration, every) };
    ctx.measurement = { audioKey: ctx.plan.audioKey, integrated: m.integrated, samplePeak: m.samplePeak, duration: m.duration, silences: m.silences };
  },
};

function episodeCleanupAsked(ctx: EpisodeBuildContext): boolean {
  return Boolean(ctx.inputs.episode.config?.audio?.cleanup?.trimSilence ?? ctx.show.show.audio.cleanup.trimSilence);
}

const hasCamera = (ctx: EpisodeBuildContext): boolean => ctx.inputs.camera !== undefined;

/**
 * Line the microphone recording up with the camera's sound (issue 15), beside the analysis;
 * the loudness step waits for it, so a recording that does not match stops the build before
 * anything is written to dist/. An unchanged pair keeps the recorded offset.
 */
const cameraSync: Step<EpisodeBuildContext> = {
  name: 'camera-sync',
  when: (ctx) => builds('mp4')(ctx) && hasCamera(ctx),
  async run(ctx) {
    const camera = need(ctx.inputs.camera, 'the camera');
    const mic = camera.syncWith;
    if (!mic) {
      ctx.sync = { offsetSeconds: 0 };
      return;
    }
    const prev = ctx.inputs.previous?.camera;
    if (prev?.syncedWith && prev.sha256 === camera.file.sha256 && prev.syncedWith.sha256 === mic.sha256 && !ctx.plan.measure) {
      ctx.sync = { offsetSeconds: prev.offsetSeconds, confidence: prev.confidence, margin: prev.margin };
      return;
    }
    const task = ctx.progress.start(`${ctx.plan.id} camera sync`);
    const result = await syncCamera(camera.file, mic);
    ctx.sync = result;
    task.finish(`${mic.rel} starts ${Math.abs(result.offsetSeconds).toFixed(3)} s ${result.offsetSeconds >= 0 ? 'into' : 'before'} the camera's sound (correlation ${result.confidence.toFixed(2)})`);
  },
};

/**
 * Picture encoded past the programme's estimated length when it is made before the audio is
 * measured: the estimate (probed input lengths) can be a few milliseconds short of the decoded
 * length, and the mux cuts the MP4 to the measured length anyway (finalMuxArgs `-t`).
 */
const PICTURE_MARGIN_SECONDS = 0.5;

/**
 * The camera's picture as known from the inputs alone (issue 15): the picture takes no gain,
 * and with labels the chapters start at the label times plus the intro's lead (a camera
 * episode has no takes and never has pauses trimmed: cleanupFor), so the lower thirds need
 * nothing measured; the episode's length is estimated from the probed inputs. Undefined when
 * the chapters are estimated from the measured pauses: then the picture waits for the analysis.
 */
function earlyPicture(ctx: EpisodeBuildContext): CameraPicture | undefined {
  const v = ctx.show.show.video;
  const durationSeconds = ctx.approxDuration;
  // Figures are placed where the captions alignment puts their cues: after the analysis.
  if ((ctx.inputs.figures ?? []).length) return undefined;
  if (!v.lowerThirds) return { thirds: [], durationSeconds };
  if (!ctx.inputs.labels && !ctx.inputs.takes.length) return undefined;
  const { chapters } = computeChapters(ctx.inputs, episodeMargins(ctx.inputs, ctx.program.crossfade), { duration: durationSeconds, silences: [] });
  return { thirds: planLowerThirds(chapters, v.lowerThirdSeconds, durationSeconds), durationSeconds };
}

/** The camera's picture from the measured audio: the chapters as the MP3 and chapters.json have them. */
function finalPicture(ctx: EpisodeBuildContext): CameraPicture {
  const v = ctx.show.show.video;
  const durationSeconds = need(ctx.measurement, 'the measurement').duration;
  const thirds = v.lowerThirds ? planLowerThirds(need(ctx.chapters, 'the chapters').chapters, v.lowerThirdSeconds, durationSeconds) : [];
  const figures = (ctx.figures ?? []).map((f, i) => ({ path: need((ctx.inputs.figures ?? [])[ctx.figureIndex?.[i] ?? -1], 'the figure file').file.abs, start: f.start, end: f.end, box: f.box }));
  return { thirds, figures, durationSeconds };
}

/**
 * The camera's picture: stream-copied when it is YouTube's H.264 already and nothing is drawn
 * on it, else re-encoded once (shifted into sync, fitted to the frame, lower thirds drawn) to
 * a video-only file that the mux later joins to the AAC by stream copy.
 */
async function makeCameraVideo(ctx: EpisodeBuildContext, picture: CameraPicture, margin: number, beforeAnalysis: boolean): Promise<void> {
  const camera = need(ctx.inputs.camera, 'the camera');
  const v = ctx.show.show.video;
  const size = { width: v.width, height: v.height };
  const { lead } = episodeMargins(ctx.inputs, ctx.program.crossfade);
  const sync = need(ctx.sync, 'the camera sync');
  const shift = sync.offsetSeconds - lead;
  const { thirds } = picture;
  const figures = picture.figures ?? [];
  const plan = planCameraVideo(camera.stream, size, shift, thirds.length, figures.length);
  const report: CameraReport = {
    file: camera.file.rel,
    sha256: camera.file.sha256,
    syncedWith: camera.syncWith && { file: camera.syncWith.rel, sha256: camera.syncWith.sha256 },
    offsetSeconds: sync.offsetSeconds,
    confidence: sync.confidence,
    margin: sync.margin,
    shiftSeconds: shift,
    mode: plan.mode,
    reasons: plan.reasons,
    lowerThirds: thirds.length,
    beforeAnalysis,
  };
  if (plan.mode === 'copy') {
    ctx.cameraVideo = { path: camera.file.abs, report, picture: { ...picture, until: Number.POSITIVE_INFINITY } };
    return;
  }
  const path = join(ctx.work, 'camera.mp4');
  const overlays = lowerThirdFilters(thirds, ctx.inputs.font.abs, size);
  const until = picture.durationSeconds + margin;
  // The longest encode of the build: first in the queue for a core (its x264 threads use
  // both), and killed when another step fails (ctx.signal) rather than finished for nothing.
  await encode(ctx, 'camera video', cameraVideoArgs({ camera: camera.file.abs, cam: camera.stream, shift, size, overlays, figures, durationSeconds: until, preset: v.cameraPreset, crf: v.cameraCrf }, path), until, CRITICAL, undefined, undefined, ctx.signal);
  ctx.cameraVideo = { path, report, picture: { ...picture, until } };
}

/**
 * The camera's picture, started at once when nothing it shows needs the measured audio
 * (earlyPicture): the x264 encode, the longest job of a camera build, then runs beside the
 * analysis, loudness probes and audio encodes instead of after them.
 */
const cameraVideo: Step<EpisodeBuildContext> = {
  name: 'camera-video',
  after: ['camera-sync'],
  when: (ctx) => builds('mp4')(ctx) && hasCamera(ctx) && earlyPicture(ctx) !== undefined,
  run: (ctx) => makeCameraVideo(ctx, need(earlyPicture(ctx), 'the early picture'), PICTURE_MARGIN_SECONDS, true),
};

/**
 * Once the audio is measured: the picture made early is checked against the measured
 * chapters and length (pictureStands) and made again only if it differs; without labels
 * (chapters estimated from the measured pauses) the picture is made here.
 */
const cameraVideoChecked: Step<EpisodeBuildContext> = {
  name: 'camera-video-checked',
  after: ['camera-video', 'chapter-times', 'figure-times'],
  when: (ctx) => builds('mp4')(ctx) && hasCamera(ctx),
  async run(ctx) {
    const camera = need(ctx.inputs.camera, 'the camera');
    const wanted = finalPicture(ctx);
    const sync = need(ctx.sync, 'the camera sync');
    const covered = (camera.file.duration ?? 0) - (sync.offsetSeconds - episodeMargins(ctx.inputs, ctx.program.crossfade).lead);
    if (covered < wanted.durationSeconds - 1) ctx.warnings.push(`${camera.file.rel} covers ${Math.max(0, covered).toFixed(1)} s of the ${wanted.durationSeconds.toFixed(1)} s episode: its last frame stays on screen to the end`);
    const made = ctx.cameraVideo;
    if (made && !wanted.figures?.length && pictureStands(made.picture, wanted, camera.stream.fps)) return;
    await makeCameraVideo(ctx, wanted, 0, false);
  },
};

/**
 * With a camera, the MP4's loudness is measured on its AAC as soon as that is encoded, beside
 * the picture encode: the mux copies those packets into the MP4 unchanged (finalMuxArgs
 * `-c copy`), so this is the MP4's sound, and after the picture only the mux is left.
 */
const cameraAacLoudness: Step<EpisodeBuildContext> = {
  name: 'camera-aac-loudness',
  after: ['aac'],
  when: (ctx) => builds('mp4')(ctx) && hasCamera(ctx),
  async run(ctx) {
    ctx.measured.mp4 = await measureFile(need(ctx.aac, 'the AAC audio'), `${ctx.plan.id}.mp4`, undefined, 1);
  },
};

/** One short still clip per chapter (its visual, or a title card), repeated to length at the mux. */
const stills: Step<EpisodeBuildContext> = {
  name: 'stills',
  // Queued once the critical chain has begun (the analysis is listed first), so the stills
  // take the other core instead of both before the analysis asks.
  after: ['cleanup'],
  when: (ctx) => builds('mp4')(ctx) && !hasCamera(ctx),
  async run(ctx) {
    const v = ctx.show.show.video;
    const { inputs } = ctx;
    const outline = chapterOutline(inputs);
    const unit = clipFrames(ctx.approxDuration, v.fps);
    const made = await Promise.allSettled(
      outline.map(async (c, i) => {
        const own = inputs.visuals[c.id];
        const path = join(ctx.work, `clip-${i}.mp4`);
        const card = own ? undefined : { title: c.title, kicker: ctx.show.show.title, font: inputs.font.abs };
        // A video visual (visuals/<id>.mp4|mov|webm): one pass of it (at most the clip length), looped to the chapter.
        const video = own ? visualKind(own.rel) === 'video' : false;
        const frames = video ? Math.max(1, Math.min(unit, Math.floor((own?.duration ?? 0) * v.fps))) : unit;
        await encode(ctx, `visual ${i + 1}/${outline.length}`, clipArgs({ image: own?.abs ?? inputs.background.abs, video, card, frames, fps: v.fps, size: { width: v.width, height: v.height } }, path));
        return { path, frames };
      }),
    );
    // Each figure's still (issue 15), as long as a figure stays: shown full frame, letterboxed.
    const figureLength = Math.max(1, Math.ceil(v.figureSeconds * v.fps));
    const figures = await Promise.allSettled(
      (inputs.figures ?? []).map(async (f, i) => {
        const path = join(ctx.work, `figure-${i}.mp4`);
        await encode(ctx, `figure ${i + 1}/${(inputs.figures ?? []).length}`, clipArgs({ image: f.file.abs, frames: figureLength, fps: v.fps, size: { width: v.width, height: v.height } }, path), undefined, SLACK);
        return { path, frames: figureLength };
      }),
    );
    // Every clip settles before a failure is reported, so none is left writing into work/.
    const failed = [...made, ...figures].find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    ctx.clips = made.map((r) => (r as PromiseFulfilledResult<{ path: string; frames: number }>).value);
    ctx.figureClips = figures.map((r) => (r as PromiseFulfilledResult<{ path: string; frames: number }>).value);
  },
};

/**
 * Per encoder, the gain and limiter ceiling that land on the target after encoding, settled
 * on the loudness sample (loudness.ts, settle-loudness.ts). When the analysis is reused from
 * the last build, the sample is cut from the programme first (one decoding pass).
 */
const loudness: Step<EpisodeBuildContext> = {
  name: 'loudness',
  after: ['analyse', 'camera-sync'],
  when: encodesAudio,
  async run(ctx) {
    const m = need(ctx.measurement, 'the measurement');
    const cfg = ctx.show.show.audio;
    const task = ctx.progress.start(`${ctx.plan.id} loudness`);
    if (!ctx.sample) {
      const every = programmeSampleEvery(m.duration);
      const path = join(ctx.work, 'loudness-sample.wav');
      await runFfmpeg(sampleArgs(ctx.program, path, every), { label: 'loudness sample', purpose: `sampling the programme of ${ctx.plan.id}`, priority: CRITICAL });
      ctx.sample = { path, seconds: sampleSeconds(m.duration, every) };
    }
    const encoders: Encoder[] = [...(ctx.plan.build.has('mp3') ? (['mp3'] as const) : []), ...(ctx.plan.build.has('mp4') ? (['aac'] as const) : [])];
    ctx.loudness = await settleLoudness(ctx.program, m, ctx.sample, { integrated: cfg.loudness, truePeak: cfg.truePeak }, encoders, { bitrateKbps: cfg.bitrate, work: ctx.work, label: ctx.plan.id });
    const parts = encoders.map((e) => {
      const plan = need(ctx.loudness?.plans[e], 'the plan');
      return `${e} ${plan.gainDb >= 0 ? '+' : ''}${plan.gainDb.toFixed(2)} dB${plan.limiter ? `, limiter ${plan.limiter.ceilingDb.toFixed(2)} dBFS` : ''} (encoder loss ${ctx.loudness?.probes[e]?.lossLu.toFixed(2)} LU)`;
    });
    task.finish(`${parts.join('; ')}; ${ctx.loudness.seconds.toFixed(1)} s`);
    // One warning per episode: the MP3's (the podcast) when there is one.
    ctx.warnings.push(...(ctx.loudness.plans.mp3 ?? ctx.loudness.plans.aac)?.warnings ?? []);
  },
};

const chapterTimes: Step<EpisodeBuildContext> = {
  name: 'chapter-times',
  after: ['analyse'],
  run: async (ctx) => {
    ctx.chapters = computeChapters(cleanedTimeline(ctx.inputs, ctx.cleanup), episodeMargins(ctx.inputs, ctx.program.crossfade), need(ctx.measurement, 'the measurement'));
  },
};

/** Where each chapter's picture is in dist/ (per chapter id, a JPEG named after it). */
export function chapterImagePath(paths: OutputPaths, chapterId: string): string {
  return join(paths.chapterImages, `${chapterId}.jpg`);
}

/**
 * The chapters' pictures (part of the chapters output): each section's own visual, or the
 * title card the video shows for it, as a JPEG (chapterImageArgs). Small and fast beside the
 * encodes; made after the analysis (nothing goes into dist/ before it has passed).
 */
const chapterImages: Step<EpisodeBuildContext> = {
  name: 'chapter-images',
  after: ['analyse'],
  when: builds('chapters'),
  async run(ctx) {
    const { inputs } = ctx;
    const outline = chapterOutline(inputs);
    await mkdir(ctx.paths.chapterImages, { recursive: true });
    const made = await Promise.allSettled(
      outline.map(async (c, i) => {
        const own = inputs.visuals[c.id];
        const card = own ? undefined : { title: c.title, kicker: ctx.show.show.title, font: inputs.font.abs };
        const path = chapterImagePath(ctx.paths, c.id);
        await produceAtomic(path, (tmp) => encode(ctx, `chapter picture ${i + 1}/${outline.length}`, chapterImageArgs({ image: own?.abs ?? inputs.background.abs, card }, tmp)));
        return { chapterId: c.id, path };
      }),
    );
    // Each figure's picture, for its silent chapter in chapters.json (issue 16).
    const figures = await Promise.allSettled(
      (inputs.figures ?? []).map(async (f, i) => {
        const chapterId = figureChapterId(i);
        const path = chapterImagePath(ctx.paths, chapterId);
        await produceAtomic(path, (tmp) => encode(ctx, `figure picture ${i + 1}`, chapterImageArgs({ image: f.file.abs, card: undefined }, tmp)));
        return { chapterId, path };
      }),
    );
    const failed = [...made, ...figures].find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    // Pictures of chapters that no longer exist (a renamed section) leave dist/ with them.
    const keep = new Set([...outline.map((c) => `${c.id}.jpg`), ...(inputs.figures ?? []).map((_f, i) => `${figureChapterId(i)}.jpg`)]);
    for (const name of await readdir(ctx.paths.chapterImages)) if (!keep.has(name)) await rm(join(ctx.paths.chapterImages, name), { force: true });
    ctx.chapterImages = [...made, ...figures].map((r) => (r as PromiseFulfilledResult<{ chapterId: string; path: string }>).value);
  },
};

/** The picture id of the figure at `index` of inputs.figures: `_` cannot start a section id, so it never collides. */
export function figureChapterId(index: number): string {
  return `_figure-${index + 1}`;
}

/** The chapter pictures as the MP3 tags and chapters.json name them: made now, or kept from the last build. */
function currentChapterImages(ctx: EpisodeBuildContext): Record<string, string> {
  const root = ctx.show.root;
  const list = ctx.chapterImages ?? (ctx.inputs.previous?.chapterImages ?? []).map((f) => ({ chapterId: f.chapterId, path: join(root, f.path) }));
  return Object.fromEntries(list.map((f) => [f.chapterId, f.path]));
}

/** The podcast MP3 with ID3 tags, cover and chapters, then its loudness re-measured. */
const mp3: Step<EpisodeBuildContext> = {
  name: 'mp3',
  // The encode is the critical path: it starts with the AAC (and before it, by priority) the
  // moment the loudness is settled; only the tags wait for the chapter pictures.
  after: ['loudness', 'chapter-times'],
  finishAfter: ['chapter-images'],
  when: builds('mp3'),
  async run(ctx, steps) {
    const duration = need(ctx.measurement, 'the measurement').duration;
    const { chapters } = need(ctx.chapters, 'the chapters');
    const cover = ctx.inputs.coverArt.abs;
    await produceAtomic(ctx.paths.mp3, async (tmp) => {
      // Metered as it is written (castline's BS.1770 meter): all but the last part beside the encode.
      // Parts read back while encoding fill the other core after the MP4's work; the last part is critical.
      const meter = measureWhileEncoding(tmp, `${ctx.plan.id}.mp3`, duration, { whileEncoding: SLACK, last: CRITICAL });
      try {
        await encode(ctx, 'mp3', mp3Args(ctx.program, plannedFor(ctx, 'mp3'), ctx.show.show.audio.bitrate, tmp), duration, CRITICAL, undefined, meter.progress);
      } catch (error) {
        await meter.abandon(); // no meter left reading the file that is removed next
        throw error;
      }
      ctx.measured.mp3 = await meter.finish();
      await steps.finished('chapter-images');
      await writeMp3Tags(tmp, { ...tags(ctx), cover: { path: cover, mime: imageMime(cover) }, chapters, chapterImages: Object.fromEntries(Object.entries(currentChapterImages(ctx)).filter(([id]) => !id.startsWith('_'))), chapterLinks: ctx.inputs.chapterLinks });
    });
  },
};

/**
 * The MP4's audio, encoded beside the MP3 on the other core; when captions are due it also
 * writes their envelope (same programme, same timeline), so they align while the MP3 encodes.
 */
const aac: Step<EpisodeBuildContext> = {
  name: 'aac',
  after: ['loudness'],
  when: builds('mp4'),
  async run(ctx) {
    const path = join(ctx.work, 'audio.m4a');
    const envelope = captionsDue(ctx) || figuresDue(ctx) ? new EnvelopeAccumulator() : undefined;
    await encode(ctx, 'aac', aacArgs(ctx.program, plannedFor(ctx, 'aac'), path, envelope !== undefined), need(ctx.measurement, 'the measurement').duration, 1, envelope && ((chunk) => envelope.push(chunk)));
    ctx.aac = path;
    if (envelope) ctx.envelope = envelope.finish();
  },
};

/** The YouTube MP4: stills stream-copied to each chapter's length, the AAC, chapters and tags. */
const mp4: Step<EpisodeBuildContext> = {
  name: 'mp4',
  after: ['aac', 'stills', 'camera-video-checked', 'camera-aac-loudness', 'chapter-times', 'figure-times'],
  when: builds('mp4'),
  async run(ctx) {
    const { chapters } = need(ctx.chapters, 'the chapters');
    const meta = join(ctx.work, 'chapters.ffmetadata');
    await writeFile(meta, toFfmetadata(tags(ctx), chapters));
    const durationSeconds = need(ctx.measurement, 'the measurement').duration;
    const aacPath = need(ctx.aac, 'the AAC audio');
    if (ctx.cameraVideo) {
      const video = ctx.cameraVideo.path;
      await produceAtomic(ctx.paths.mp4, (tmp) => encode(ctx, 'mp4 mux', cameraMuxArgs({ video, aac: aacPath, ffmetadata: meta, durationSeconds }, tmp)));
    } else {
      const list = join(ctx.work, 'video.ffconcat');
      const fps = ctx.show.show.video.fps;
      const windows: FigureWindow[] = (ctx.figures ?? []).map((f, i) => ({ ...figureFrames(f, fps), clip: need(ctx.figureClips?.[ctx.figureIndex?.[i] ?? -1], 'the figure clips') }));
      await writeFile(list, concatList(chapters, need(ctx.clips, 'the still clips'), fps, windows));
      const input = { concatList: list, aac: aacPath, ffmetadata: meta, durationSeconds };
      await produceAtomic(ctx.paths.mp4, (tmp) => encode(ctx, 'mp4 mux', muxArgs(input, tmp)));
    }
    // In halves (an hour: two processes), so the half left when the MP3 ends uses the core it frees;
    // with a camera it was measured on the AAC already (camera-aac-loudness).
    ctx.measured.mp4 ??= await measureFile(ctx.paths.mp4, `${ctx.plan.id}.mp4`, durationSeconds, 1);
  },
};

/** YouTube's thumbnail: 1280×720 title card, under YouTube's 2 MB limit. */
const thumbnail: Step<EpisodeBuildContext> = {
  name: 'thumbnail',
  // After the loudness step only so the MP3 and AAC encodes take the cores first.
  after: ['loudness'],
  when: builds('thumbnail'),
  async run(ctx) {
    const { id } = ctx.plan;
    const card = { title: tags(ctx).title, kicker: ctx.show.show.title, font: ctx.inputs.font.abs };
    await produceAtomic(ctx.paths.thumbnail, async (tmp) => {
      await encode(ctx, 'thumbnail', thumbnailArgs(ctx.inputs.background.abs, card, tmp), undefined, SLACK);
      const bytes = (await stat(tmp)).size;
      if (bytes > THUMBNAIL_MAX_BYTES) throw new CastlineError('thumbnail-too-big', `The thumbnail of ${id} came out at ${bytes} bytes, over YouTube's 2 MB limit`, { hint: 'use a simpler background image (video.background in show.yaml)' });
    });
  },
};

/** Podcasting 2.0 JSON chapters (podcastnamespace.org "chapters" JSON format). */
const chaptersJson: Step<EpisodeBuildContext> = {
  name: 'chapters',
  after: ['chapter-times', 'chapter-images', 'figure-times'],
  when: builds('chapters'),
  run: (ctx) => {
    const base = ctx.show.show.site.baseUrl;
    const distDir = join(ctx.show.root, 'dist');
    const img = Object.fromEntries(Object.entries(currentChapterImages(ctx)).map(([id, abs]) => [id, distUrl(base, relative(distDir, abs).split(sep).join('/'))]));
    // The figures as the MP4 shows them: placed by this build, or the last one's (the MP4 was kept, so they stand).
    const placed = ctx.figures ?? ctx.inputs.previous?.figures ?? [];
    const byFile = new Map((ctx.inputs.figures ?? []).map((f, i) => [f.file.rel, figureChapterId(i)]));
    const figures = placed.flatMap((f) => {
      const picture = img[byFile.get(f.file) ?? ''];
      return picture ? [{ startTime: f.start, endTime: f.end, title: f.alt || 'Figure', img: picture }] : [];
    });
    const json = toJsonChapters(need(ctx.chapters, 'the chapters').chapters, { img, url: ctx.inputs.chapterLinks, figures });
    return writeFileAtomic(ctx.paths.chapters, `${JSON.stringify(json, null, 2)}\n`);
  },
};

/** The MP3's real length, and the outputs' loudness checked against the target. */
const verify: Step<EpisodeBuildContext> = {
  name: 'verify',
  after: ['mp3', 'mp4', 'thumbnail', 'chapters'],
  async run(ctx) {
    const { root } = ctx.show;
    const probe = await probeMedia(ctx.paths.mp3, relative(root, ctx.paths.mp3));
    ctx.durationSeconds = Number(probe.format.duration) || need(ctx.measurement, 'the measurement').duration;
    const cfg = ctx.show.show.audio;
    const target = { integrated: cfg.loudness, truePeak: cfg.truePeak };
    for (const [label, m] of [
      [`${ctx.plan.id}.mp3`, ctx.measured.mp3],
      [`${ctx.plan.id}.mp4`, ctx.measured.mp4],
    ] as const) {
      if (m) ctx.warnings.push(...checkOutputLoudness(label, m, target));
    }
  },
};

const captionsDue = (ctx: EpisodeBuildContext): boolean => builds('captions')(ctx) && ctx.buildCaptions !== undefined;

/**
 * Captions aligned to the published speech (the music before and after left out). With an
 * MP4 to encode, from the envelope the AAC encode wrote (`captions`, right after the AAC, on
 * the core the MP3 leaves free); otherwise by decoding the MP3 (`captions-from-mp3`).
 */
function captionsStep(name: string, after: readonly string[], fromAac: boolean): Step<EpisodeBuildContext> {
  return {
    name,
    after,
    when: (ctx) => captionsDue(ctx) && builds('mp4')(ctx) === fromAac,
    async run(ctx) {
      const buildCaptions = need(ctx.buildCaptions, 'the captions stage');
      const { id } = ctx.plan;
      const task = ctx.progress.start(`${id} captions`);
      const durationSeconds = fromAac ? need(ctx.measurement, 'the measurement').duration : need(ctx.durationSeconds, 'the MP3 length');
      const result = await buildCaptions({
        root: ctx.show.root,
        episodeId: id,
        script: ctx.inputs.script,
        audioPath: ctx.paths.mp3,
        envelope: fromAac ? need(ctx.envelope, 'the captions envelope') : undefined,
        durationSeconds,
        sections: speechSections(ctx, durationSeconds),
        outDir: ctx.paths.dir,
        speaker: captionSpeaker(ctx.show.show),
      });
      ctx.captions = { record: { confidence: result.confidence, cues: result.cues, changedRegions: result.changedRegions }, vtt: result.vtt, srt: result.srt };
      for (const region of result.changedRegions) {
        ctx.warnings.push(`captions: ${region.sectionId} ${region.start.toFixed(1)}–${region.end.toFixed(1)} s: ${region.note}`);
      }
      task.finish(`${result.cues} cues`);
    },
  };
}

/**
 * The sections' spans of speech, as the captions align them. Captions want the speech, not
 * the music: the first and last chapters include the intro/outro music (beyond the
 * crossfade), which would otherwise read as unscripted speech.
 */
function speechSections(ctx: EpisodeBuildContext, durationSeconds: number): SectionBound[] {
  const { lead, tail } = episodeMargins(ctx.inputs, ctx.program.crossfade);
  const { chapters, estimated } = need(ctx.chapters, 'the chapters');
  const speechEnd = durationSeconds - tail;
  return chapters.map((c) => ({ id: c.id, start: Math.max(c.startTime, lead), end: Math.min(c.endTime, speechEnd), exact: !estimated }));
}

const figuresDue = (ctx: EpisodeBuildContext): boolean => builds('mp4')(ctx) && (ctx.inputs.figures ?? []).length > 0;

/**
 * When each figure is shown (issue 15): the script aligned to the programme as the captions
 * align it (from the envelope the AAC encode wrote: no decode of its own), then the pure plan
 * (media/plan-figures.ts). Over a camera picture each figure is an inset sized from its probe.
 */
const figureTimes: Step<EpisodeBuildContext> = {
  name: 'figure-times',
  after: ['aac', 'chapter-times'],
  when: figuresDue,
  async run(ctx) {
    const durationSeconds = need(ctx.measurement, 'the measurement').duration;
    const v = ctx.show.show.video;
    const frame = { width: v.width, height: v.height };
    const alignment = alignCaptions({ script: ctx.inputs.script, sections: speechSections(ctx, durationSeconds), envelope: need(ctx.envelope, 'the envelope'), durationSeconds });
    const cues = (ctx.inputs.figures ?? []).map((f) => ({ sectionId: f.sectionId, alt: f.figure.alt, target: f.figure.target, line: f.figure.line, afterParagraphs: f.figure.afterParagraphs }));
    const paragraphs = Object.fromEntries(ctx.inputs.script.sections.map((s) => [s.id, s.paragraphs]));
    const plan = planFigures({ cues, paragraphs, sentences: alignment.sentences, changedRegions: alignment.changedRegions, chapters: need(ctx.chapters, 'the chapters').chapters, seconds: v.figureSeconds, durationSeconds });
    ctx.warnings.push(...plan.warnings);
    const camera = ctx.inputs.camera !== undefined;
    ctx.figureIndex = plan.figures.map((f) => f.index);
    ctx.figures = await Promise.all(
      plan.figures.map(async (f) => {
        const file = need((ctx.inputs.figures ?? [])[f.index], 'the figure file').file;
        let box = { x: 0, y: 0, width: frame.width, height: frame.height };
        if (camera) {
          const picture = (await probeMedia(file.abs, file.rel)).streams.find((s) => s.codec_type === 'video');
          box = insetBox(frame, { width: picture?.width ?? frame.width, height: picture?.height ?? frame.height });
        }
        return { file: file.rel, alt: f.alt, sectionId: f.sectionId, line: f.line, start: f.start, end: f.end, placement: f.placement, sentence: f.sentence, reason: f.reason, shown: camera ? 'inset' : 'full', box } satisfies FigureRecord;
      }),
    );
  },
};

/** The steps of an episode build, in priority order (see run-steps.ts). */
export const EPISODE_STEPS: readonly Step<EpisodeBuildContext>[] = [
  cameraSync,
  cameraVideo,
  cleanup,
  analyse,
  stills,
  loudness,
  chapterTimes,
  chapterImages,
  mp3,
  aac,
  figureTimes,
  cameraVideoChecked,
  cameraAacLoudness,
  captionsStep('captions', ['aac', 'chapter-times'], true),
  mp4,
  thumbnail,
  chaptersJson,
  verify,
  captionsStep('captions-from-mp3', ['verify'], false),
];
