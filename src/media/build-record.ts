import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

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
      duration: z.number(),
      silences: z.array(z.object({ start: z.number(), end: z.number() })),
    })
    .optional(),
  /** What the last build did per output, with why (`castline build --json` prints the same). */
  steps: z.array(z.object({ output: z.string(), action: z.enum(['build', 'keep']), reason: z.string() })).default([]),
  warnings: z.array(z.string()).default([]),
});

export type OutputFile = z.infer<typeof OutputFileSchema>;
export type Chapter = z.infer<typeof ChapterSchema>;
export type EpisodeBuild = z.infer<typeof EpisodeBuildSchema>;

export function buildRecordPath(root: string, id: string): string {
  return join(root, 'dist', 'episodes', id, 'build.json');
}

/** The episode's build record, or undefined when it was never built (or dist/ was removed). */
export async function readEpisodeBuild(root: string, id: string): Promise<EpisodeBuild | undefined> {
  const path = buildRecordPath(root, id);
  if (!existsSync(path)) return undefined;
  try {
    const parsed = EpisodeBuildSchema.safeParse(JSON.parse(await readFile(path, 'utf8')));
    if (!parsed.success) return undefined;
    if (!existsSync(join(root, parsed.data.outputs.mp3.path))) return undefined;
    return parsed.data;
  } catch {
    return undefined;
  }
}
