import { CastlineError } from '../core/errors.js';
import type { Cue } from '../captions/plan-cues.js';
import { slugSectionId } from '../script/slug-section-id.js';

/**
 * A short clip of an episode for social video (issue 15), planned without I/O: the span, the
 * frame size of its format, its file name. Times come as `12:30`, `1:02:03.5` or seconds.
 */

export const CLIP_FORMATS = ['vertical', 'square', 'landscape'] as const;
export type ClipFormat = (typeof CLIP_FORMATS)[number];

/** Frame sizes: 9:16 for Shorts/Reels/TikTok, 1:1 for feeds, 16:9. */
export const CLIP_SIZES: Record<ClipFormat, { width: number; height: number }> = {
  vertical: { width: 1080, height: 1920 },
  square: { width: 1080, height: 1080 },
  landscape: { width: 1920, height: 1080 },
};

/** YouTube Shorts (and Reels/TikTok's short form) take vertical videos up to 60 s. */
export const VERTICAL_MAX_SECONDS = 60;

export interface ClipRequest {
  from: string | number;
  to: string | number;
  format?: ClipFormat | undefined;
  title?: string | undefined;
  waveform?: boolean | undefined;
}

/** What a clip is: also the shape a podcast:soundbite needs ({start, duration, title}). */
export interface ClipPlan {
  name: string;
  start: number;
  duration: number;
  title?: string | undefined;
  format: ClipFormat;
  size: { width: number; height: number };
  waveform: boolean;
}

/** `12:30` → 750, `1:02:03.5` → 3723.5, `90` or 90 → 90; anything else is undefined. */
export function parseClipTime(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  const m = /^(?:(\d+):)?(?:(\d+):)?(\d+(?:\.\d+)?)$/.exec(value.trim());
  if (!m) return undefined;
  const parts = [m[1], m[2], m[3]].filter((p): p is string => p !== undefined).map(Number);
  if (parts.slice(1).some((p) => p >= 60)) return undefined;
  return parts.reduce((total, p) => total * 60 + p, 0);
}

function stamp(seconds: number): string {
  const s = Math.floor(seconds);
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/** Check the request against the episode's length and make the plan; `where` names the request in errors. */
export function planClip(request: ClipRequest, episodeSeconds: number, where: string): ClipPlan {
  const format = request.format ?? 'vertical';
  const start = parseClipTime(request.from);
  const end = parseClipTime(request.to);
  if (start === undefined || end === undefined) {
    const bad = start === undefined ? request.from : request.to;
    throw new CastlineError('clip-range-invalid', `${where}: "${bad}" is not a time (write 12:30, 1:02:03 or seconds)`, { hint: 'give --from and --to as minutes:seconds into the episode, like --from 12:30 --to 13:15' });
  }
  if (end <= start || end > episodeSeconds + 0.05) {
    throw new CastlineError('clip-range-invalid', `${where}: ${stamp(start)}–${stamp(end)} is ${end <= start ? 'empty (the end is not after the start)' : `outside the episode, which is ${stamp(episodeSeconds)} (${episodeSeconds.toFixed(1)} s) long`}`, {
      hint: 'pick a span inside the episode: the times are those of the published audio (see chapters.json)',
    });
  }
  const duration = Math.min(end, episodeSeconds) - start;
  if (format === 'vertical' && duration > VERTICAL_MAX_SECONDS + 1e-6) {
    throw new CastlineError('clip-too-long', `${where}: a vertical clip is at most ${VERTICAL_MAX_SECONDS} s (YouTube Shorts, Reels, TikTok); ${stamp(start)}–${stamp(end)} is ${duration.toFixed(1)} s`, {
      hint: 'shorten the span, or make it --format square or landscape',
    });
  }
  const label = request.title ? slugSectionId(request.title, new Set(), '').slice(0, 40) : '';
  const name = `${stamp(start)}-${stamp(start + duration)}-${format}${label ? `-${label}` : ''}`;
  return { name, start, duration, title: request.title, format, size: CLIP_SIZES[format], waveform: request.waveform ?? false };
}

/** The episode's caption cues within the clip, moved to the clip's own time and cut at its ends. */
export function clipCues(cues: readonly Cue[], start: number, duration: number): Cue[] {
  return cues
    .filter((c) => c.end > start && c.start < start + duration)
    .map((c) => ({ start: Math.max(0, c.start - start), end: Math.min(duration, c.end - start), lines: c.lines }))
    .filter((c) => c.end - c.start > 0.05);
}

/** Parse castline's own transcript.srt (captions/format-cues.ts writes it) back into cues. */
export function parseSrt(text: string): Cue[] {
  const time = (t: string): number => {
    const m = /^(\d+):(\d\d):(\d\d)[,.](\d{3})$/.exec(t.trim());
    return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) + Number(m[4]) / 1000 : Number.NaN;
  };
  return text
    .replace(/\r/g, '')
    .split(/\n{2,}/)
    .map((block) => block.split('\n').filter((l) => l.length))
    .filter((lines) => lines.length >= 2)
    .map((lines) => {
      const at = lines.findIndex((l) => l.includes('-->'));
      const [a, b] = (lines[at] ?? '').split('-->');
      return { start: time(a ?? ''), end: time(b ?? ''), lines: lines.slice(at + 1) };
    })
    .filter((c) => Number.isFinite(c.start) && Number.isFinite(c.end) && c.lines.length);
}
