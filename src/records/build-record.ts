import { readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { z } from 'zod';
import { CastlineError, errorMessage } from '../core/errors.js';
import { writeFileAtomic } from '../core/fs-atomic.js';

/**
 * What `castline build` made for one episode: `dist/episodes/<id>/build.json`. The feed, site,
 * captions and YouTube stages read this instead of re-probing media. Paths are relative to
 * the show root. Written atomically, last, after every output it names exists.
 */
export const OutputFileSchema = z.object({
  path: z.string(),
  bytes: z.number().int().nonnegative(),
  sha256: z.string(),
});

export const ChapterSchema = z.object({
  id: z.string(),
  title: z.string(),
  /** Seconds from the start of the published audio. */
  startTime: z.number().nonnegative(),
  endTime: z.number().nonnegative(),
});

const HumBaseSchema = z.union([z.literal(50), z.literal(60)]);

/** What speech cleanup did to one take, measured (issue 14; clean-speech.ts fills it). */
export const TakeCleanupReportSchema = z.object({
  file: z.string(),
  highpassHz: z.number().optional(),
  hum: z.object({ found: HumBaseSchema.optional(), removed: HumBaseSchema.optional(), excessDb: z.object({ 50: z.number(), 60: z.number() }) }).optional(),
  /** Median RMS level of the pauses (dBFS), before and after. */
  noiseFloorDb: z.object({ before: z.number(), after: z.number().optional() }).optional(),
  /** EBU R128 loudness range (LU), before and after. */
  lra: z.object({ before: z.number().optional(), after: z.number().optional() }).optional(),
  denoise: z.union([z.object({ strength: z.enum(['light', 'medium', 'strong']), nf: z.number() }), z.object({ skipped: z.string() })]).optional(),
  leveler: z.object({ moves: z.number(), rangeDb: z.tuple([z.number(), z.number()]) }).optional(),
  trimmedSeconds: z.number(),
  /** What trimSilence cut, in the take's own time (chapters and labels are moved by it). */
  cuts: z.array(z.object({ start: z.number(), end: z.number() })).default([]),
  durationSeconds: z.object({ before: z.number(), after: z.number() }),
});

export const CleanupReportSchema = z.object({
  mode: z.enum(['off', 'inline', 'rendered']),
  takes: z.array(TakeCleanupReportSchema),
  /** Wall-clock seconds the cleanup stage took (its own cost, apart from the encodes). */
  seconds: z.number(),
});

/** How the camera recording became the MP4's picture (issue 15). */
export const CameraReportSchema = z.object({
  file: z.string(),
  sha256: z.string(),
  /** The audio/ recording the picture was lined up with, when the camera's own sound is not used. */
  syncedWith: z.object({ file: z.string(), sha256: z.string() }).optional(),
  /** Camera time = microphone time + offset (seconds), found by cross-correlating the two sounds. */
  offsetSeconds: z.number(),
  /** Correlation of the two loudness envelopes at that offset (0–1), and its lead over the next candidate. */
  confidence: z.number().optional(),
  margin: z.number().optional(),
  /** Camera seconds shown at the start of the MP4 (the offset less any intro music). */
  shiftSeconds: z.number(),
  mode: z.enum(['copy', 'encode']),
  /** Why the picture was re-encoded rather than copied. */
  reasons: z.array(z.string()).default([]),
  lowerThirds: z.number().int().nonnegative(),
  /**
   * The picture was made beside the audio analysis (nothing it shows waits for the measured
   * audio: lower thirds from labels, or none), not after it; absent in older records.
   */
  beforeAnalysis: z.boolean().optional(),
});

/** Where and when a figure of script.md was shown in the MP4 (issue 15). */
export const FigureRecordSchema = z.object({
  file: z.string(),
  alt: z.string(),
  sectionId: z.string(),
  /** The cue's line in script.md. */
  line: z.number().int().nonnegative(),
  /** Seconds of the published audio. */
  start: z.number().nonnegative(),
  end: z.number().nonnegative(),
  /** after-sentence: at the end of the sentence before the cue (captions alignment); section-start: the cue opens its section; unplaced: the sentence could not be timed, shown at the section start. */
  placement: z.enum(['after-sentence', 'section-start', 'unplaced']),
  sentence: z.string().optional(),
  reason: z.string().optional(),
  /** full: the whole frame (over title cards); inset: a box over the camera picture. */
  shown: z.enum(['full', 'inset']),
  box: z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() }),
});

/**
 * A short clip made from the episode (`castline clip`, episode.yaml `clips`): start and
 * duration in seconds of the published audio and the title, the shape of a podcast:soundbite.
 */
export const ClipRecordSchema = z.object({
  name: z.string(),
  path: z.string(),
  bytes: z.number().int().nonnegative(),
  start: z.number().nonnegative(),
  duration: z.number().positive(),
  title: z.string().optional(),
  format: z.enum(['vertical', 'square', 'landscape']),
  /** Integrated loudness of the clip as made (LUFS). */
  integrated: z.number().optional(),
  /** What it was made from (the request, the MP4's and captions' hashes): unchanged → not made again. */
  key: z.string().optional(),
});

export const EpisodeBuildSchema = z.object({
  id: z.string(),
  builtAt: z.string(),
  /** Duration of the MP3 in seconds (the MP4 matches within 0.1 s). */
  durationSeconds: z.number().positive(),
  outputs: z.object({
    mp3: OutputFileSchema,
    mp4: OutputFileSchema.optional(),
    thumbnail: OutputFileSchema.optional(),
    chapters: OutputFileSchema.optional(),
    vtt: OutputFileSchema.optional(),
    srt: OutputFileSchema.optional(),
  }),
  chapters: z.array(ChapterSchema),
  /**
   * Per chapter, in order: its picture (the section visual or a title card) as a JPEG in
   * dist/, for chapters.json `img` and the MP3's CHAP APIC frames. Part of the chapters output.
   */
  chapterImages: z.array(OutputFileSchema.extend({ chapterId: z.string() })).optional(),
  /** Chapter times came from word counts + pauses, not from takes or labels. */
  chaptersEstimated: z.boolean(),
  loudness: z
    .object({
      target: z.number(),
      truePeakTarget: z.number(),
      inputIntegrated: z.number().optional(),
      mp3Integrated: z.number().optional(),
      mp3TruePeak: z.number().optional(),
      mp4Integrated: z.number().optional(),
      mp4TruePeak: z.number().optional(),
      gainDb: z.number().optional(),
    })
    .passthrough(),
  captions: z
    .object({
      confidence: z.number().min(0).max(1),
      cues: z.number().int().nonnegative(),
      /** Regions where script and recording disagree (host edited after recording). */
      changedRegions: z.array(z.object({ sectionId: z.string(), start: z.number(), end: z.number(), note: z.string() })).default([]),
    })
    .optional(),
  /** Hash of every input and setting, per output, for incremental builds. */
  inputHashes: z.record(z.string(), z.string()).default({}),
  /**
   * Input files by path (relative to the show root) with size + mtime, so an unchanged file
   * is neither re-hashed nor re-probed by the next build (a no-op build stays fast).
   */
  inputFiles: z
    .record(z.string(), z.object({ size: z.number(), mtimeMs: z.number(), sha256: z.string(), duration: z.number().optional() }))
    .default({}),
  /** The loudness/pause analysis of the assembled programme, reused while the audio is unchanged. */
  measurement: z
    .object({
      audioKey: z.string(),
      integrated: z.number(),
      truePeak: z.number().optional(),
      /** Sample peak of the programme (dBFS): what the limiter works on. */
      samplePeak: z.number().optional(),
      duration: z.number(),
      silences: z.array(z.object({ start: z.number(), end: z.number() })),
    })
    .optional(),
  /** The camera recording's sync and encode (absent without one, or when the MP4 was kept). */
  camera: CameraReportSchema.optional(),
  /** The figures the MP4 shows, with their placed times (absent without figures or when the MP4 was kept). */
  figures: z.array(FigureRecordSchema).optional(),
  /** Clips made from this build, for social video and podcast:soundbite ({start, duration, title}). */
  clips: z.array(ClipRecordSchema).optional(),
  /** What speech cleanup did, measured per take (absent when the build kept the audio). */
  cleanup: CleanupReportSchema.optional(),
  /** What the last build did per output, with why (`castline build --json` prints the same). */
  steps: z.array(z.object({ output: z.string(), action: z.enum(['build', 'keep']), reason: z.string() })).default([]),
  warnings: z.array(z.string()).default([]),
});

export type OutputFile = z.infer<typeof OutputFileSchema>;
export type Chapter = z.infer<typeof ChapterSchema>;
export type EpisodeBuild = z.infer<typeof EpisodeBuildSchema>;
export type TakeCleanupReport = z.infer<typeof TakeCleanupReportSchema>;
export type CleanupReport = z.infer<typeof CleanupReportSchema>;
export type CameraReport = z.infer<typeof CameraReportSchema>;
export type FigureRecord = z.infer<typeof FigureRecordSchema>;
export type ClipRecord = z.infer<typeof ClipRecordSchema>;

export function buildRecordPath(root: string, id: string): string {
  return join(root, 'dist', 'episodes', id, 'build.json');
}

/**
 * Write the episode's build.json, atomically (a crash leaves the old record or the new).
 * The build calls it last, once every output the record names exists: the feed, the site and
 * publish trust it.
 */
export async function writeBuildRecord(root: string, record: EpisodeBuild): Promise<void> {
  await writeFileAtomic(buildRecordPath(root, record.id), `${JSON.stringify(record, null, 2)}\n`);
  // Built here now: the outputs are in dist/, no longer only on the deploy target.
  await rm(keptMarkerPath(root, record.id), { force: true });
}

/**
 * A build record read back from the deploy target (a fresh clone, CI): the episode was built
 * and deployed with these very inputs, so it is not encoded again and its MP3/MP4 stay on the
 * target only. The marker beside build.json says so (a dot-file: never deployed); build.json
 * itself keeps the exact bytes read from the target, so the next deploy sees it unchanged.
 */
export const KeptMarkerSchema = z.object({
  /** Where the outputs are: the deploy target's description (`s3://bucket/prefix/`). */
  target: z.string(),
  readAt: z.string(),
});

export type KeptMarker = z.infer<typeof KeptMarkerSchema>;

export function keptMarkerPath(root: string, id: string): string {
  return join(dirname(buildRecordPath(root, id)), '.kept-on-target.json');
}

/** Marker first, then build.json: a crash between the two leaves no record (the next run reads it again). */
export async function writeKeptBuildRecord(root: string, id: string, bytes: Uint8Array, marker: KeptMarker): Promise<void> {
  await writeFileAtomic(keptMarkerPath(root, id), `${JSON.stringify(marker)}\n`);
  await writeFileAtomic(buildRecordPath(root, id), bytes);
}

/**
 * An episode's build record as read: `absent` (never built, or dist/ was removed), `stale`
 * (the record names an MP3 that is no longer there, so nothing may link to it), `kept` (read
 * back from the deploy target: its MP3/MP4 are there, not in dist/), or `present`.
 * Anything else (unreadable, not JSON, not this schema) is a BuildRecordError naming the file:
 * silently treating a damaged record as "not built" would drop a published episode from the feed.
 */
export type BuildRecordRead =
  | { state: 'absent'; file: string }
  | { state: 'stale'; file: string; record: EpisodeBuild; missing: string }
  | { state: 'kept'; file: string; record: EpisodeBuild; marker: KeptMarker }
  | { state: 'present'; file: string; record: EpisodeBuild };

/** A build.json that exists but cannot be used; `file` is relative to the show root. */
export class BuildRecordError extends CastlineError {
  readonly file: string;

  constructor(id: string, file: string, problem: string, cause?: unknown) {
    super('build-record-invalid', `${file} is not a valid build record: ${problem}`, {
      hint: `castline writes it; run castline build ${id} to rebuild the episode and rewrite it`,
      ...(cause === undefined ? {} : { cause }),
    });
    this.name = 'BuildRecordError';
    this.file = file;
  }
}

/** Read dist/episodes/<id>/build.json: the build stage writes it; every later stage reads it. */
export async function readBuildRecord(root: string, id: string): Promise<BuildRecordRead> {
  const path = buildRecordPath(root, id);
  const file = relative(root, path).split(sep).join('/');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'absent', file };
    throw new CastlineError('build-record-unreadable', `${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? errorMessage(error)})`, {
      hint: 'check the permissions of dist/ (castline build writes it)',
      cause: error,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new BuildRecordError(id, file, `not JSON (${errorMessage(error)})`, error);
  }
  const parsed = EpisodeBuildSchema.safeParse(json);
  if (!parsed.success) throw new BuildRecordError(id, file, z.prettifyError(parsed.error).replace(/\n\s*/g, ' '));
  const mp3 = parsed.data.outputs.mp3.path;
  if (!existsSync(join(root, mp3))) {
    const marker = await readKeptMarker(root, id);
    if (marker) return { state: 'kept', file, record: parsed.data, marker };
    return { state: 'stale', file, record: parsed.data, missing: mp3 };
  }
  return { state: 'present', file, record: parsed.data };
}

async function readKeptMarker(root: string, id: string): Promise<KeptMarker | undefined> {
  const text = await readFile(keptMarkerPath(root, id), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const parsed = KeptMarkerSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The record when the episode is built (present, or kept on the deploy target), else
 * undefined; for stages that need what was built, not the media bytes (feed, site, links).
 */
export function presentBuild(read: BuildRecordRead): EpisodeBuild | undefined {
  return read.state === 'present' || read.state === 'kept' ? read.record : undefined;
}

/** An output's path inside dist/ (`dist/episodes/x/x.mp3` → `episodes/x/x.mp3`), which is also its path on the target. */
export function distRelative(file: OutputFile): string {
  return file.path.split(sep).join('/').replace(/^dist\//, '');
}
