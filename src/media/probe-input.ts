import { access, open, stat } from 'node:fs/promises';
import { constants } from 'node:fs';
import { relative } from 'node:path';
import { CastlineError } from '../core/errors.js';
import { probeMedia } from './ffmpeg/probe.js';
import { runFfmpeg } from './ffmpeg/run-ffmpeg.js';

/**
 * The one check of an input file (recording, take, labels, music, visual, background, cover,
 * font) that both `castline check` and the build's read phase use: it exists, can be read, is
 * not empty, and is what it should be: audio with a length, an image that really decodes (a
 * truncated PNG still probes, so its first frame is decoded: ~0.1 s), a video whose picture
 * decodes at its start, middle and end (a camera file cut short keeps its index), a
 * TrueType/OpenType font. Errors name the file (and the setting that names it) and say what to do.
 */
export type InputKind = 'audio' | 'image' | 'video' | 'font' | 'text';

export interface CheckedInput {
  rel: string;
  abs: string;
  size: number;
  mtimeMs: number;
  /** Seconds, for audio. */
  duration?: number | undefined;
}

/** What a previous build recorded of a file: when size and mtime still match, it is not probed again. */
export interface KnownInput {
  size: number;
  mtimeMs: number;
  duration?: number | undefined;
}

export interface ProbeInputOptions {
  /** The setting that names the file (`show.yaml → audio.intro`), for the message. */
  field?: string | undefined;
  known?: KnownInput | undefined;
}

const IMAGE_HINT = 'export it again as PNG or JPEG (the file is damaged or not an image)';

// sfnt versions (OpenType spec, "Organization of an OpenType Font": sfntVersion 0x00010000 or
// 'OTTO'; Apple's 'true'), and 'ttcf' for a font collection.
const FONT_MAGIC = ['00010000', '4f54544f', '74727565', '74746366'];

export async function probeInput(root: string, abs: string, kind: InputKind, options: ProbeInputOptions = {}): Promise<CheckedInput> {
  const rel = relative(root, abs);
  const { field } = options;
  let info;
  try {
    info = await stat(abs);
  } catch {
    throw new CastlineError('missing-input', `${rel} is missing${field ? ` (named by ${field})` : ''}`, {
      hint: field ? `add the file, or fix ${field}` : 'add the file, or remove the reference to it',
    });
  }
  try {
    await access(abs, constants.R_OK);
  } catch {
    throw new CastlineError('unreadable-input', `${rel} cannot be read (permission denied)`, { hint: `make it readable: chmod a+r "${rel}"` });
  }
  if (info.size === 0) {
    throw new CastlineError('empty-input', `${rel} is empty (0 bytes)`, { hint: kind === 'audio' ? 'export the recording again; the copy is empty' : 'replace it with the real file' });
  }
  const checked: CheckedInput = { rel, abs, size: info.size, mtimeMs: info.mtimeMs };
  const known = options.known;
  if (known && known.size === info.size && known.mtimeMs === info.mtimeMs) return { ...checked, duration: known.duration };
  if (kind === 'font') {
    await checkFont(abs, rel, field);
    return checked;
  }
  if (kind === 'text') return checked;
  const probe = await probeMedia(abs, rel);
  if (kind === 'video') {
    if (!probe.streams.some((s) => s.codec_type === 'video' && !s.disposition?.['attached_pic'])) {
      throw new CastlineError('camera-no-video', `${rel} has no video stream in it`, { hint: 'put the camera recording (MP4, MOV, MKV or WebM) in video/; a sound-only file belongs in audio/' });
    }
    const duration = Number(probe.format.duration ?? probe.streams.find((s) => s.codec_type === 'video')?.duration);
    if (!Number.isFinite(duration) || duration <= 0) throw new CastlineError('video-corrupt', `${rel} is a damaged video: it has no length`, { hint: VIDEO_HINT });
    await decodeVideo(abs, rel, duration);
    return { ...checked, duration };
  }
  const wanted = kind === 'audio' ? 'audio' : 'video';
  if (!probe.streams.some((s) => s.codec_type === wanted)) {
    throw new CastlineError('no-media-stream', `${rel} has no ${kind === 'audio' ? 'audio' : 'image'} in it`, {
      hint: kind === 'audio' ? 'put an audio recording here (wav, flac, mp3, m4a, ogg, opus)' : 'use a PNG or JPEG image',
    });
  }
  if (kind === 'image') {
    await decodeImage(abs, rel);
    return checked;
  }
  const duration = Number(probe.format.duration ?? probe.streams.find((s) => s.codec_type === 'audio')?.duration);
  if (!Number.isFinite(duration) || duration <= 0) {
    throw new CastlineError('empty-audio', `${rel} contains no audio (duration 0)`, { hint: 'export the recording again' });
  }
  return { ...checked, duration };
}

/** Decode the first frame: ffprobe reads only the header, which a truncated image still has. */
async function decodeImage(abs: string, rel: string): Promise<void> {
  let stderr: string;
  let failed = false;
  try {
    stderr = (await runFfmpeg(['-v', 'error', '-i', abs, '-frames:v', '1', '-f', 'null', '-'], { label: 'decode image', purpose: `decoding ${rel}` })).stderr;
  } catch (error) {
    if (!(error instanceof CastlineError) || error.code !== 'ffmpeg-failed') throw error;
    failed = true;
    stderr = (error.details ?? '').split('stderr (tail):\n')[1] ?? '';
  }
  // At `-v error` ffmpeg prints only errors; a damaged PNG may still exit 0 after printing them.
  const lines = stderr.split('\n').map((l) => l.replace(/^\[[^\]]*\]\s*/, '').trim()).filter(Boolean);
  const problem = lines.find((l) => /invalid|error|corrupt|truncat|too big|EOF/i.test(l)) ?? (failed ? (lines.at(-1) ?? 'ffmpeg could not decode it') : undefined);
  if (problem) throw new CastlineError('image-corrupt', `${rel} is a damaged image: it does not decode (${problem})`, { hint: IMAGE_HINT });
}

const VIDEO_HINT = 'export or copy the recording again (the file is cut short or damaged)';

/**
 * Decode a second of the picture at the start, the middle and the end: the three points find
 * a file cut short (its index, written first, still promises the whole length) or damaged
 * in the middle, at a fraction of decoding it all (an hour of 1080p takes minutes).
 */
async function decodeVideo(abs: string, rel: string, duration: number): Promise<void> {
  const points = [...new Set([0, duration / 2, Math.max(0, duration - 1.5)].map((t) => Number(t.toFixed(3))))];
  for (const at of points) {
    const span = Math.min(1, duration - at);
    let stderr = '';
    let decoded = 0;
    let failed = false;
    try {
      const run = await runFfmpeg(['-v', 'error', '-ss', at.toFixed(3), '-i', abs, '-t', span.toFixed(3), '-map', '0:v:0', '-f', 'null', '-'], { label: 'decode video', purpose: `decoding ${rel}` });
      stderr = run.stderr;
      decoded = run.progress?.outSeconds ?? 0;
    } catch (error) {
      if (!(error instanceof CastlineError) || error.code !== 'ffmpeg-failed') throw error;
      failed = true;
      stderr = (error.details ?? '').split('stderr (tail):\n')[1] ?? '';
    }
    const lines = stderr.split('\n').map((l) => l.replace(/^\[[^\]]*\]\s*/, '').trim()).filter(Boolean);
    const problem =
      lines.find((l) => /invalid|error|corrupt|truncat|missing|EOF|no frame/i.test(l)) ??
      (failed ? (lines.at(-1) ?? 'ffmpeg could not decode it') : decoded < span * 0.5 ? 'no frames there: the file ends early' : undefined);
    if (problem) throw new CastlineError('video-corrupt', `${rel} is a damaged video: it does not decode at ${at.toFixed(1)} s (${problem})`, { hint: VIDEO_HINT });
  }
}

async function checkFont(abs: string, rel: string, field: string | undefined): Promise<void> {
  const handle = await open(abs, 'r');
  try {
    const head = Buffer.alloc(4);
    await handle.read(head, 0, 4, 0);
    if (!FONT_MAGIC.includes(head.toString('hex'))) {
      throw new CastlineError('font-invalid', `${rel} is not a TrueType or OpenType font${field ? ` (named by ${field})` : ''}`, {
        hint: 'point video.font at a .ttf or .otf file (DejaVuSans-Bold.ttf ships in assets/fonts/)',
      });
    }
  } finally {
    await handle.close();
  }
}

/** probeInput memoized per file for one command run: a file named by check rules and the read phase is probed once. */
export type InputProbe = (abs: string, kind: InputKind, field?: string) => Promise<CheckedInput>;

export function createInputProbe(root: string, known: (rel: string) => KnownInput | undefined = () => undefined): InputProbe {
  const seen = new Map<string, Promise<CheckedInput>>();
  return (abs, kind, field) => {
    const key = `${kind}\0${abs}`;
    let result = seen.get(key);
    if (!result) {
      result = probeInput(root, abs, kind, { field, known: known(relative(root, abs)) });
      seen.set(key, result);
    }
    return result;
  };
}
