import { readFile, readdir, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { parseNotesMd } from '../script/notes.js';
import { sectionLinks } from '../script/section-links.js';
import { sha256, sha256File } from '../core/hash.js';
import type { ShowContext, EpisodeContext } from '../config/load-show.js';
import type { ScriptDoc, ScriptFigure } from '../script/script-doc.js';
import { figurePath, isRemoteTarget } from '../script/figure-cues.js';
import { BuildRecordError, readBuildRecord, type EpisodeBuild, type OutputFile } from '../records/build-record.js';
import { AUDIO_EXT, CAMERA_EXT, LABELS_FILE, VISUAL_EXTS, findCamera, findRecording, visualKind, type Recording } from '../media/find-recording.js';
import { describeCamera, type CameraStream } from '../media/camera-args.js';
import { probeMedia } from '../media/ffmpeg/probe.js';
import { CastlineError } from '../core/errors.js';
import { parseAudacityLabels, type AudacityLabel } from '../media/chapters.js';
import { createInputProbe, type InputKind, type InputProbe } from '../media/probe-input.js';
import { OUTPUTS, type OutputName } from './plan-episode-build.js';

/**
 * The read phase of a build: everything an episode's build depends on, checked before any
 * encode (STYLE §1). Files unchanged since the last build (same size and mtime) reuse the
 * recorded hash and probe, so a no-op build reads no media.
 */

export interface InputFile {
  /** Relative to the show root (for messages and the build record). */
  rel: string;
  abs: string;
  size: number;
  mtimeMs: number;
  sha256: string;
  /** Seconds, for audio. */
  duration?: number | undefined;
}

export interface EpisodeInputs {
  episode: EpisodeContext;
  script: ScriptDoc;
  /** What audio/ holds; `camera` when the camera file's own sound is the episode's. */
  recording: Exclude<Recording, { kind: 'none' }> | { kind: 'camera' };
  /**
   * The host's camera recording in video/ (issue 15): the MP4 shows it instead of title
   * cards. `syncWith` is the audio/ recording to line it up with (its sound is published and
   * the picture follows it); without one the camera's own sound is the speech.
   */
  camera: { file: InputFile; stream: CameraStream; syncWith: InputFile | undefined } | undefined;
  /** Speech files in play order (one recording, or takes in script order). */
  speech: InputFile[];
  takes: { sectionId: string; file: InputFile }[];
  labels: { file: InputFile; labels: AudacityLabel[] } | undefined;
  intro: InputFile | undefined;
  outro: InputFile | undefined;
  /** Per section id: its own visual, if any. */
  visuals: Record<string, InputFile>;
  /** script.md's figure cues that name a file in the episode folder (issue 15), in script order. */
  figures?: { sectionId: string; figure: ScriptFigure; file: InputFile }[] | undefined;
  /** Card background (video.background or the cover), episode image for ID3 (image or cover), font. */
  background: InputFile;
  coverArt: InputFile;
  font: InputFile;
  previous: EpisodeBuild | undefined;
  /** Per section id: the first link of its section in notes.md (chapters.json url, ID3 WXXX). */
  chapterLinks: Record<string, string>;
  /** A build record read back from the deploy target earlier (its MP3/MP4 are there, not in dist/). */
  kept?: EpisodeBuild | undefined;
  /** Outputs the previous record names whose file is missing or not the recorded size. */
  changedOutputs: OutputName[];
  warnings: string[];
}

export type ReadResult = { status: 'ready'; inputs: EpisodeInputs } | { status: 'not-recorded'; episode: EpisodeContext };

/**
 * One input: checked by the shared probe (which reuses a record's probe when size and mtime
 * match), hashed unless the record already has the hash of this very file.
 */
async function inputFile(probe: InputProbe, abs: string, kind: InputKind, previous: EpisodeBuild | undefined, field?: string): Promise<InputFile> {
  const checked = await probe(abs, kind, field);
  const prev = previous?.inputFiles[checked.rel];
  const same = prev && prev.size === checked.size && prev.mtimeMs === checked.mtimeMs;
  return { ...checked, sha256: same ? prev.sha256 : await sha256File(abs), duration: same ? prev.duration : checked.duration };
}


async function listDir(dir: string): Promise<string[]> {
  return existsSync(dir) ? await readdir(dir) : [];
}

/**
 * The episode has some audio file in audio/ or a camera recording in video/ (decided before
 * reading the script: an episode being written has neither).
 */
export async function hasRecording(episode: EpisodeContext): Promise<boolean> {
  const audio = await listDir(episode.files.audio);
  const video = await listDir(episode.files.video);
  return audio.some((f) => AUDIO_EXT.test(f) && !f.startsWith('.')) || video.some((f) => CAMERA_EXT.test(f) && !f.startsWith('.'));
}

export async function readEpisodeInputs(
  show: ShowContext,
  episode: EpisodeContext,
  readScript: (episode: EpisodeContext) => Promise<ScriptDoc>,
  /** The probe shared with the check rules (default: one for this episode, cached by its record). */
  sharedProbe?: InputProbe,
): Promise<ReadResult> {
  const { root } = show;
  const audioRel = relative(root, episode.files.audio);
  if (!(await hasRecording(episode))) return { status: 'not-recorded', episode };
  const files = await listDir(episode.files.audio);
  const script = await readScript(episode);
  const videoRel = relative(root, episode.files.video);
  const cameraName = findCamera(await listDir(episode.files.video), videoRel);
  const found = findRecording(
    files,
    script.sections.map((s) => s.id),
    audioRel,
  );
  if (found.kind === 'none' && !cameraName) return { status: 'not-recorded', episode };
  const recording: EpisodeInputs['recording'] = found.kind === 'none' ? { kind: 'camera' } : found;
  const warnings: string[] = [];
  const { previous, kept } = await readPreviousBuild(root, episode.id, warnings);
  const probe = sharedProbe ?? createInputProbe(root, (rel) => previous?.inputFiles[rel]);
  const audio = (name: string): Promise<InputFile> => inputFile(probe, join(episode.files.audio, name), 'audio', previous);
  const epRel = relative(root, episode.dir);
  // The show's own inputs are probed and hashed beside the recordings (each image is decoded
  // once: ~0.2 s apiece, on the other core), and awaited in this order below, so the error
  // reported first is the same as when they were read one by one.
  const early = <T>(run: () => Promise<T>): Promise<T> => {
    const p = run();
    p.catch(() => undefined);
    return p;
  };
  const music = (path: string | undefined, field: string): Promise<InputFile | undefined> =>
    early(async () => (path === undefined ? undefined : inputFile(probe, join(root, path), 'audio', previous, `show.yaml → ${field}`)));
  const cover = show.show.cover;
  const pending = {
    intro: music(show.show.audio.intro, 'audio.intro'),
    outro: music(show.show.audio.outro, 'audio.outro'),
    background: early(() => inputFile(probe, join(root, show.show.video.background ?? cover), 'image', previous, show.show.video.background ? 'show.yaml → video.background' : 'show.yaml → cover')),
    coverArt: early(() =>
      episode.config?.image
        ? inputFile(probe, join(episode.dir, episode.config.image), 'image', previous, `${epRel}/episode.yaml → image`)
        : inputFile(probe, join(root, cover), 'image', previous, 'show.yaml → cover'),
    ),
    font: early(() => inputFile(probe, join(root, show.show.video.font), 'font', previous, 'show.yaml → video.font')),
  };

  let camera: EpisodeInputs['camera'];
  if (cameraName) {
    const abs = join(episode.files.video, cameraName);
    const file = await inputFile(probe, abs, 'video', previous);
    // Stream details are not cached in the record: ffprobe reads only the header (~50 ms).
    const stream = describeCamera(await probeMedia(abs, file.rel));
    if (!stream) throw new CastlineError('camera-no-video', `${file.rel} has no video stream in it`, { hint: 'put the camera recording (MP4, MOV, MKV or WebM) in video/; a sound-only file belongs in audio/' });
    if (recording.kind === 'takes') {
      throw new CastlineError('camera-with-takes', `${file.rel} is one camera recording, but ${audioRel}/ holds one take per section`, {
        hint: 'line the camera up with one recording: put the whole session\'s microphone recording in audio/ (labels.txt for chapters), or remove the camera file',
      });
    }
    if (!stream.hasAudio) {
      throw new CastlineError(
        'camera-no-audio',
        recording.kind === 'camera' ? `${file.rel} has no sound, and ${audioRel}/ has no recording to use instead` : `${file.rel} has no sound to line ${audioRel}/${recording.file} up with`,
        { hint: recording.kind === 'camera' ? 'put the microphone recording in audio/, or export the camera file with its sound' : 'export the camera file with its sound (the camera\'s own microphone is enough to line the two up)' },
      );
    }
    camera = { file, stream, syncWith: undefined };
  }

  let takes: EpisodeInputs['takes'] = [];
  let speech: InputFile[];
  let labels: EpisodeInputs['labels'];
  if (recording.kind === 'camera') {
    if (!camera) throw new Error('internal: a camera recording without its file');
    // The camera's sound is the episode's: probed as audio (its length) through the same probe.
    speech = [await inputFile(probe, camera.file.abs, 'audio', previous)];
    if (files.includes(LABELS_FILE)) {
      const file = await inputFile(probe, join(episode.files.audio, LABELS_FILE), 'text', previous);
      labels = { file, labels: parseAudacityLabels(await readFile(file.abs, 'utf8'), file.rel) };
    }
  } else if (recording.kind === 'takes') {
    takes = await Promise.all(recording.takes.map(async (t) => ({ sectionId: t.sectionId, file: await audio(t.file) })));
    speech = takes.map((t) => t.file);
    if (recording.missing.length) warnings.push(`no take for section${recording.missing.length > 1 ? 's' : ''} ${recording.missing.join(', ')}: left out of the episode`);
    if (files.includes('labels.txt')) warnings.push(`${audioRel}/labels.txt is ignored: chapters come from the takes`);
  } else {
    speech = [await audio(recording.file)];
    if (camera) camera = { ...camera, syncWith: speech[0] };
    if (recording.labels) {
      const file = await inputFile(probe, join(episode.files.audio, recording.labels), 'text', previous);
      labels = { file, labels: parseAudacityLabels(await readFile(file.abs, 'utf8'), file.rel) };
    }
  }

  const intro = await pending.intro;
  const outro = await pending.outro;

  const visuals: Record<string, InputFile> = {};
  const named = episode.config?.visuals ?? {};
  // A visual named after no section is a check rule (script/check-script.ts), run before this.
  for (const section of script.sections) {
    const explicit = named[section.id];
    if (explicit) {
      visuals[section.id] = await inputFile(probe, join(episode.dir, explicit), visualKind(explicit), previous, `${epRel}/episode.yaml → visuals.${section.id}`);
      continue;
    }
    const found = VISUAL_EXTS.map((ext) => join(episode.files.visuals, `${section.id}.${ext}`)).find((p) => existsSync(p));
    if (found) visuals[section.id] = await inputFile(probe, found, visualKind(found), previous);
  }
  // Figure cues: a URL (not downloaded) is check's warning and shows nothing; a path outside
  // the episode folder is check's error, run before this.
  const figures: EpisodeInputs['figures'] = [];
  for (const section of script.sections) {
    for (const figure of section.figures ?? []) {
      const abs = isRemoteTarget(figure.target) ? undefined : figurePath(episode.dir, figure.target);
      if (!abs) continue;
      figures.push({ sectionId: section.id, figure, file: await inputFile(probe, abs, 'image', previous, `${epRel}/script.md line ${figure.line}`) });
    }
  }
  const background = await pending.background;
  const coverArt = await pending.coverArt;
  const font = await pending.font;
  const changedOutputs = await readChangedOutputs(root, previous);
  const chapterLinks = await readChapterLinks(episode, script, warnings);
  return { status: 'ready', inputs: { episode, script, recording, camera, speech, takes, labels, intro, outro, visuals, figures, background, coverArt, font, previous, kept, chapterLinks, changedOutputs, warnings } };
}

/** The sections' first links from notes.md; none without notes (a notes.md that does not parse is check's to report). */
async function readChapterLinks(episode: EpisodeContext, script: ScriptDoc, warnings: string[]): Promise<Record<string, string>> {
  if (!existsSync(episode.files.notes)) return {};
  const file = relative(dirname(dirname(episode.dir)), episode.files.notes);
  try {
    return sectionLinks(parseNotesMd(await readFile(episode.files.notes, 'utf8'), file), script.sections);
  } catch (error) {
    if (!(error instanceof CastlineError)) throw error;
    warnings.push(`${error.message}: chapters get no links`);
    return {};
  }
}

async function sameAsRecorded(root: string, file: OutputFile | undefined): Promise<boolean> {
  if (!file) return false;
  try {
    return (await stat(join(root, file.path))).size === file.bytes;
  } catch {
    return false;
  }
}

/** Which recorded outputs are gone or changed on disk (a size check: hashing media is slow). */
export async function readChangedOutputs(root: string, previous: EpisodeBuild | undefined): Promise<OutputName[]> {
  const po = previous?.outputs;
  const files: Record<OutputName, (OutputFile | undefined)[]> = {
    mp3: [po?.mp3],
    mp4: [po?.mp4],
    thumbnail: [po?.thumbnail],
    chapters: [po?.chapters, ...(previous?.chapterImages ?? [])],
    captions: [po?.vtt, po?.srt],
  };
  const changed: OutputName[] = [];
  for (const output of OUTPUTS) {
    const same = await Promise.all(files[output].map((f) => sameAsRecorded(root, f)));
    if (!same.every(Boolean)) changed.push(output);
  }
  return changed;
}

/** A hash of the script's spoken content (what captions depend on). */
export function scriptHash(script: ScriptDoc): string {
  return sha256(JSON.stringify(script.sections.map((s) => [s.id, s.title, s.text])));
}

/**
 * The last build's record, the cache for an incremental build. The build stage writes it, so
 * a damaged one is its own to replace: said in a warning, and everything is rebuilt. A record
 * naming an MP3 that is gone is not trusted either (as before: a full rebuild).
 */
async function readPreviousBuild(root: string, id: string, warnings: string[]): Promise<{ previous: EpisodeBuild | undefined; kept: EpisodeBuild | undefined }> {
  try {
    const read = await readBuildRecord(root, id);
    // A kept record is not a cache of files in dist/: the build plans it apart (plan-kept-builds.ts).
    return { previous: read.state === 'present' ? read.record : undefined, kept: read.state === 'kept' ? read.record : undefined };
  } catch (error) {
    if (!(error instanceof BuildRecordError)) throw error;
    warnings.push(`${error.message}; rebuilding every output`);
    return { previous: undefined, kept: undefined };
  }
}
