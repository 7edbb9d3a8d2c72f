import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, relative } from 'node:path';
import type { ShowContext } from '../config/load-show.js';
import { episodeDate } from '../config/load-show.js';
import { CastlineError } from '../core/errors.js';
import { produceAtomic, writeFileAtomic } from '../core/fs-atomic.js';
import { sha256File } from '../core/hash.js';
import { buildRecordPath, type Chapter, type EpisodeBuild, type OutputFile } from '../media/build-record.js';
import { chaptersFromLabels, chaptersFromTakes, estimateChapters, toFfmetadata, toJsonChapters } from '../media/chapters.js';
import { aacArgs, clipArgs, clipFrames, concatList, mp3Args, muxArgs, thumbnailArgs, type AudioProgram } from '../media/encode-args.js';
import { runFfmpeg } from '../media/ffmpeg/run-ffmpeg.js';
import { probeMedia } from '../media/ffmpeg/probe.js';
import { checkOutputLoudness, planLoudness, type LoudnessMeasurement } from '../media/loudness.js';
import { measureFile, measureProgramme, settleLoudness } from '../media/measure-programme.js';
import { writeMp3Tags } from '../media/write-mp3-tags.js';
import type { CaptionsInput, CaptionsResult } from '../captions/index.js';
import type { EncodeProgress } from './encode-progress.js';
import { audioProgram, episodeKeys } from './episode-keys.js';
import { flattenKeys, planEpisodeBuild, stepsToBuild, type EpisodePlan, type OutputName } from './plan-episode-build.js';
import type { EpisodeInputs, InputFile } from './read-episode-inputs.js';

/** The apply phase for one episode: run the plan's encodes, then write build.json last. */

export interface BuildEpisodeOptions {
  show: ShowContext;
  inputs: EpisodeInputs;
  force: boolean;
  progress: EncodeProgress;
  buildCaptions: ((input: CaptionsInput) => Promise<CaptionsResult>) | undefined;
}

export interface BuildEpisodeResult {
  record: EpisodeBuild;
  plan: EpisodePlan;
  built: OutputName[];
}

export function outputPaths(root: string, id: string): { dir: string; mp3: string; mp4: string; thumbnail: string; chapters: string } {
  const dir = join(root, 'dist', 'episodes', id);
  return { dir, mp3: join(dir, `${id}.mp3`), mp4: join(dir, `${id}.mp4`), thumbnail: join(dir, 'thumbnail.jpg'), chapters: join(dir, 'chapters.json') };
}

async function sameAsRecorded(root: string, file: OutputFile | undefined): Promise<boolean> {
  if (!file) return false;
  try {
    return (await stat(join(root, file.path))).size === file.bytes;
  } catch {
    return false;
  }
}

async function outputFile(root: string, path: string): Promise<OutputFile> {
  return { path: relative(root, path), bytes: (await stat(path)).size, sha256: await sha256File(path) };
}

/** The chapters' ids and titles, known before the audio is measured (times come later). */
export function chapterOutline(inputs: EpisodeInputs): { id: string; title: string }[] {
  const sections = inputs.script.sections;
  if (inputs.takes.length) return inputs.takes.map((t) => sections.find((s) => s.id === t.sectionId) ?? { id: t.sectionId, title: t.sectionId });
  if (inputs.labels) return chaptersFromLabels(inputs.labels.labels, sections, 1e9).map(({ id, title }) => ({ id, title }));
  return sections.map(({ id, title }) => ({ id, title }));
}

/** Chapter times: exact from takes or labels, else estimated from word counts and pauses. */
export function computeChapters(inputs: EpisodeInputs, program: AudioProgram, measured: { duration: number; silences: { start: number; end: number }[] }, introSeconds: number, outroSeconds: number): { chapters: Chapter[]; estimated: boolean } {
  const sections = inputs.script.sections;
  const offset = inputs.intro ? Math.max(0, introSeconds - program.crossfade) : 0;
  if (inputs.takes.length) {
    const takes = inputs.takes.map((t) => ({ section: sections.find((s) => s.id === t.sectionId) ?? { id: t.sectionId, title: t.sectionId, words: 0 }, duration: t.file.duration ?? 0 }));
    return { chapters: chaptersFromTakes(takes, measured.duration, offset), estimated: false };
  }
  if (inputs.labels) return { chapters: chaptersFromLabels(inputs.labels.labels, sections, measured.duration, offset), estimated: false };
  const end = measured.duration - (inputs.outro ? Math.max(0, outroSeconds - program.crossfade) : 0);
  return { chapters: estimateChapters(sections, { start: offset, end }, measured.silences, measured.duration), estimated: true };
}

function imageMime(path: string): 'image/png' | 'image/jpeg' {
  return extname(path).toLowerCase() === '.png' ? 'image/png' : 'image/jpeg';
}

const THUMBNAIL_MAX_BYTES = 2 * 1024 * 1024;

export async function buildEpisode(options: BuildEpisodeOptions): Promise<BuildEpisodeResult> {
  const { show, inputs, progress } = options;
  const { root } = show;
  const cfg = show.show;
  const id = inputs.episode.id;
  const paths = outputPaths(root, id);
  const previous = inputs.previous;
  const { audioKey, keys } = episodeKeys(cfg, inputs);

  const missing = new Set<OutputName>();
  const po = previous?.outputs;
  if (!(await sameAsRecorded(root, po?.mp3))) missing.add('mp3');
  if (!(await sameAsRecorded(root, po?.mp4))) missing.add('mp4');
  if (!(await sameAsRecorded(root, po?.thumbnail))) missing.add('thumbnail');
  if (!(await sameAsRecorded(root, po?.chapters))) missing.add('chapters');
  if (!(await sameAsRecorded(root, po?.vtt)) || !(await sameAsRecorded(root, po?.srt))) missing.add('captions');
  const plan = planEpisodeBuild({ keys, previous, missingOutputs: missing, captions: options.buildCaptions !== undefined, audioKey, force: options.force });
  const build = stepsToBuild(plan);
  if (!build.size && previous) return { record: previous, plan, built: [] };

  const program = audioProgram(cfg, inputs);
  const names = [inputs.intro, ...inputs.speech, inputs.outro].filter((f): f is InputFile => f !== undefined).map((f) => f.rel);
  const introSeconds = inputs.intro?.duration ?? 0;
  const outroSeconds = inputs.outro?.duration ?? 0;
  const speechSeconds = inputs.speech.reduce((n, f) => n + (f.duration ?? 0), 0);
  const approxDuration = speechSeconds + (inputs.intro ? introSeconds - program.crossfade : 0) + (inputs.outro ? outroSeconds - program.crossfade : 0);
  const warnings = [...inputs.warnings];
  const work = await mkdtemp(join(tmpdir(), `castline-${id}-`));
  const tasks: Promise<unknown>[] = [];
  // Every started task is awaited before leaving (even on failure), so no ffmpeg outlives us
  // writing into a deleted work folder.
  const track = <T>(p: Promise<T>): Promise<T> => {
    tasks.push(p.catch(() => undefined));
    return p;
  };
  const encode = async (label: string, args: string[], duration?: number): Promise<void> => {
    const task = progress.start(`${id} ${label}`);
    await runFfmpeg(args, { label, purpose: `making the ${label} of ${id}`, durationSeconds: duration, onProgress: (p) => task.update(p.fraction, p.speed) });
    task.finish();
  };

  try {
    // The analysis starts first (ffmpeg processes queue in start order, one per core); the
    // still clips depend only on the visuals, so they encode on the other core meanwhile.
    const cached = previous?.measurement?.audioKey === audioKey && !plan.measure ? previous.measurement : undefined;
    const measuring = cached
      ? Promise.resolve(cached)
      : track(
          (async () => {
            const task = progress.start(`${id} analyse`);
            const m = await measureProgramme(program, names, (f, s) => task.update(f, s), approxDuration);
            task.finish(`${m.integrated.toFixed(1)} LUFS, true peak ${m.truePeak?.toFixed(1) ?? '?'} dBTP`);
            return { audioKey, integrated: m.integrated, truePeak: m.truePeak, duration: m.duration, silences: m.silences };
          })(),
        );
    const v = cfg.video;
    const size = { width: v.width, height: v.height };
    const outline = chapterOutline(inputs);
    const unit = clipFrames(approxDuration, v.fps);
    const clips = build.has('mp4')
      ? track(
          Promise.all(
            outline.map(async (c, i) => {
              const own = inputs.visuals[c.id];
              const path = join(work, `clip-${i}.mp4`);
              const card = own ? undefined : { title: c.title, kicker: cfg.title, font: inputs.font.abs };
              await encode(`visual ${i + 1}/${outline.length}`, clipArgs({ image: own?.abs ?? inputs.background.abs, card, frames: unit, fps: v.fps, size }, path));
              return { path, frames: unit };
            }),
          ),
        )
      : undefined;
    const measurement = await measuring;
    const target = { integrated: cfg.audio.loudness, truePeak: cfg.audio.truePeak };
    const measured = { integrated: measurement.integrated, truePeak: measurement.truePeak, lra: undefined, duration: measurement.duration };
    const loudness = await track(settleLoudness(program, planLoudness(measured, target), measured, target, id));
    warnings.push(...loudness.warnings);
    const duration = measurement.duration;
    const { chapters, estimated } = computeChapters(inputs, program, measurement, introSeconds, outroSeconds);
    const ep = inputs.episode;
    const title = ep.config?.title ?? ep.id;

    const results: Partial<Record<'mp3' | 'mp4', LoudnessMeasurement>> = {};
    const mp3 = build.has('mp3')
      ? track(
          (async () => {
            await produceAtomic(paths.mp3, async (tmp) => {
              await encode('mp3', mp3Args(program, loudness, cfg.audio.bitrate, tmp), duration);
              await writeMp3Tags(tmp, {
                title,
                artist: cfg.author,
                album: cfg.title,
                date: episodeDate(ep),
                comment: ep.config?.description ?? cfg.description,
                cover: { path: inputs.coverArt.abs, mime: imageMime(inputs.coverArt.abs) },
                chapters,
              });
            });
            results.mp3 = await measureFile(paths.mp3, `${id}.mp3`, duration);
          })(),
        )
      : undefined;
    const mp4 = build.has('mp4')
      ? track(
          (async () => {
            const aac = join(work, 'audio.m4a');
            await encode('aac', aacArgs(program, loudness, aac), duration);
            const list = join(work, 'video.ffconcat');
            const meta = join(work, 'chapters.ffmetadata');
            await writeFile(list, concatList(chapters, (await clips) ?? [], v.fps));
            await writeFile(meta, toFfmetadata({ title, artist: cfg.author, album: cfg.title, date: episodeDate(ep), comment: ep.config?.description ?? cfg.description }, chapters));
            await produceAtomic(paths.mp4, async (tmp) => {
              await encode('mp4 mux', muxArgs({ concatList: list, aac, ffmetadata: meta, durationSeconds: duration }, tmp));
            });
            results.mp4 = await measureFile(paths.mp4, `${id}.mp4`);
          })(),
        )
      : undefined;
    const thumbnail = build.has('thumbnail')
      ? track(
          produceAtomic(paths.thumbnail, async (tmp) => {
            await encode('thumbnail', thumbnailArgs(inputs.background.abs, { title, kicker: cfg.title, font: inputs.font.abs }, tmp));
            const bytes = (await stat(tmp)).size;
            if (bytes > THUMBNAIL_MAX_BYTES) throw new CastlineError('thumbnail-too-big', `The thumbnail of ${id} came out at ${bytes} bytes, over YouTube's 2 MB limit`, { hint: 'use a simpler background image (video.background in show.yaml)' });
          }),
        )
      : undefined;
    if (build.has('chapters')) await writeFileAtomic(paths.chapters, `${JSON.stringify(toJsonChapters(chapters), null, 2)}\n`);
    // Wait for every encode, and only then report the first failure.
    const settled = await Promise.allSettled([clips, mp3, mp4, thumbnail].filter((p) => p !== undefined));
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;

    const mp3Probe = await probeMedia(paths.mp3, relative(root, paths.mp3));
    const durationSeconds = Number(mp3Probe.format.duration) || duration;
    for (const [label, m, tol] of [
      [`${id}.mp3`, results.mp3, 1],
      [`${id}.mp4`, results.mp4, 0.5],
    ] as const) {
      if (m) warnings.push(...checkOutputLoudness(label, m, target, tol));
    }

    let captions = previous?.captions;
    let vtt = po?.vtt;
    let srt = po?.srt;
    if (build.has('captions') && options.buildCaptions) {
      const task = progress.start(`${id} captions`);
      const speechStart = inputs.intro ? Math.max(0, introSeconds - program.crossfade) : 0;
      const speechEnd = durationSeconds - (inputs.outro ? Math.max(0, outroSeconds - program.crossfade) : 0);
      const result = await options.buildCaptions({
        root,
        episodeId: id,
        script: inputs.script,
        audioPath: paths.mp3,
        durationSeconds,
        // Captions want the speech, not the music: the first and last chapters include the
        // intro/outro music (beyond the crossfade), which would otherwise read as unscripted speech.
        sections: chapters.map((c) => ({ id: c.id, start: Math.max(c.startTime, speechStart), end: Math.min(c.endTime, speechEnd), exact: !estimated })),
        outDir: paths.dir,
      });
      captions = { confidence: result.confidence, cues: result.cues, changedRegions: result.changedRegions };
      vtt = result.vtt;
      srt = result.srt;
      for (const region of result.changedRegions) {
        warnings.push(`captions: ${region.sectionId} ${region.start.toFixed(1)}–${region.end.toFixed(1)} s: ${region.note}`);
      }
      task.finish(`${result.cues} cues`);
    }

    const keep = (name: 'mp4' | 'thumbnail' | 'chapters'): OutputFile | undefined => po?.[name];
    const record: EpisodeBuild = {
      id,
      builtAt: new Date().toISOString(),
      durationSeconds,
      outputs: {
        mp3: build.has('mp3') || !po ? await outputFile(root, paths.mp3) : po.mp3,
        mp4: build.has('mp4') ? await outputFile(root, paths.mp4) : keep('mp4'),
        thumbnail: build.has('thumbnail') ? await outputFile(root, paths.thumbnail) : keep('thumbnail'),
        chapters: build.has('chapters') ? await outputFile(root, paths.chapters) : keep('chapters'),
        vtt,
        srt,
      },
      chapters,
      chaptersEstimated: estimated,
      loudness: {
        target: target.integrated,
        truePeakTarget: target.truePeak,
        inputIntegrated: measurement.integrated,
        gainDb: loudness.gainDb,
        limitingDb: loudness.limitingDb,
        mp3Integrated: results.mp3?.integrated ?? previous?.loudness.mp3Integrated,
        mp3TruePeak: results.mp3?.truePeak ?? previous?.loudness.mp3TruePeak,
        mp4Integrated: results.mp4?.integrated ?? previous?.loudness.mp4Integrated,
        mp4TruePeak: results.mp4?.truePeak ?? previous?.loudness.mp4TruePeak,
      },
      captions,
      inputHashes: flattenKeys(keys),
      inputFiles: Object.fromEntries(
        [...inputs.speech, inputs.intro, inputs.outro, inputs.labels?.file, ...Object.values(inputs.visuals), inputs.background, inputs.coverArt, inputs.font]
          .filter((f): f is InputFile => f !== undefined)
          .map((f) => [f.rel, { size: f.size, mtimeMs: f.mtimeMs, sha256: f.sha256, duration: f.duration }]),
      ),
      measurement,
      steps: plan.steps,
      warnings,
    };
    // Last: the record names only outputs that exist (feed/site/publish trust it).
    await writeFileAtomic(buildRecordPath(root, id), `${JSON.stringify(record, null, 2)}\n`);
    return { record, plan, built: [...build] };
  } finally {
    await Promise.all(tasks);
    await rm(work, { recursive: true, force: true });
  }
}
