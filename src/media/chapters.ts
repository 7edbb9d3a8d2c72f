import { CastlineError } from '../core/errors.js';
import { escapeFfmetadata } from './ffmpeg/escape-filter.js';
import type { Silence } from './ffmpeg/silence.js';
import type { Chapter } from '../records/build-record.js';

/** The part of a script section chapters need. */
export interface ChapterSection {
  id: string;
  title: string;
  words: number;
}

export interface AudacityLabel {
  start: number;
  end: number;
  text: string;
}

/**
 * Audacity's "Export Labels" text: `start<TAB>end<TAB>label` per line, seconds with a dot;
 * lines starting with `\` carry the frequency range of a spectral selection and are skipped.
 */
export function parseAudacityLabels(text: string, file: string): AudacityLabel[] {
  const labels: AudacityLabel[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim() || line.startsWith('\\')) return;
    const m = /^\s*(\d+(?:[.,]\d+)?)\s+(\d+(?:[.,]\d+)?)(?:\s+(.*))?$/.exec(line);
    if (!m?.[1] || !m[2]) {
      throw new CastlineError('bad-labels', `${file} line ${i + 1} is not an Audacity label ("start<TAB>end<TAB>title"): ${JSON.stringify(line.slice(0, 60))}`, {
        hint: 'export the labels again from Audacity (File → Export → Export Labels…), or fix that line',
      });
    }
    labels.push({ start: Number(m[1].replace(',', '.')), end: Number(m[2].replace(',', '.')), text: (m[3] ?? '').trim() });
  });
  if (!labels.length) throw new CastlineError('bad-labels', `${file} has no labels`, { hint: 'add one label per section in Audacity, or delete labels.txt to estimate chapters' });
  return labels.sort((a, b) => a.start - b.start);
}

function close(chapters: Omit<Chapter, 'endTime'>[], duration: number): Chapter[] {
  return chapters.map((c, i) => ({ ...c, startTime: round3(c.startTime), endTime: round3(i + 1 < chapters.length ? (chapters[i + 1]?.startTime ?? duration) : duration) }));
}

/** Exact chapters from labels: a label naming a section (id or title) takes its title. */
export function chaptersFromLabels(labels: readonly AudacityLabel[], sections: readonly ChapterSection[], duration: number, offset = 0): Chapter[] {
  const used = new Set<string>();
  const starts = labels.map((label, i) => {
    const key = label.text.toLowerCase();
    const section = sections.find((s) => s.id.toLowerCase() === key || s.title.toLowerCase() === key);
    let id = section?.id ?? (slug(label.text) || `chapter-${i + 1}`);
    while (used.has(id)) id = `${id}-${i + 1}`;
    used.add(id);
    return { id, title: section?.title ?? (label.text || `Chapter ${i + 1}`), startTime: i === 0 ? 0 : Math.min(duration, label.start + offset) };
  });
  return close(starts, duration);
}

/** Exact chapters from one take per section: each starts where the previous take ended. */
export function chaptersFromTakes(takes: readonly { section: ChapterSection; duration: number }[], duration: number, offset = 0): Chapter[] {
  let t = offset;
  const starts = takes.map((take, i) => {
    const start = i === 0 ? 0 : t;
    t += take.duration;
    return { id: take.section.id, title: take.section.title, startTime: start };
  });
  return close(starts, duration);
}

/**
 * Estimated chapters for one recording without labels: section word counts scaled to the
 * speech's real length, each boundary snapped to the nearest pause of at least `minPause`
 * seconds within a window (a quarter of the shorter neighbouring section, at most 20 s).
 */
export function estimateChapters(
  sections: readonly ChapterSection[],
  speech: { start: number; end: number },
  silences: readonly Silence[],
  duration: number,
  minPause = 0.5,
): Chapter[] {
  const total = sections.reduce((n, s) => n + Math.max(1, s.words), 0);
  const length = speech.end - speech.start;
  const raw: number[] = [];
  let acc = 0;
  for (const s of sections) {
    raw.push(speech.start + (acc / total) * length);
    acc += Math.max(1, s.words);
  }
  const pauses = silences.filter((s) => s.end - s.start >= minPause);
  const starts: number[] = raw.map((t, i) => {
    if (i === 0) return 0;
    const prevLen = t - (raw[i - 1] ?? 0);
    const nextLen = (raw[i + 1] ?? speech.end) - t;
    const window = Math.min(20, Math.min(prevLen, nextLen) / 4);
    let best: number | undefined;
    for (const p of pauses) {
      // A chapter starts just before speech resumes after the pause.
      const candidate = Math.max(p.start, p.end - 0.25);
      if (Math.abs(candidate - t) <= window && (best === undefined || Math.abs(candidate - t) < Math.abs(best - t))) best = candidate;
    }
    return best ?? t;
  });
  // Keep the order strict even when two boundaries snapped to the same pause.
  for (let i = 1; i < starts.length; i++) starts[i] = Math.max(starts[i] ?? 0, (starts[i - 1] ?? 0) + 1);
  return close(
    sections.map((s, i) => ({ id: s.id, title: s.title, startTime: Math.min(starts[i] ?? 0, duration) })),
    duration,
  );
}

export interface JsonChapter {
  startTime: number;
  endTime: number;
  title: string;
  img?: string;
  url?: string;
  /** false: a "silent" chapter, not listed in the table of contents (a figure, issue 16). */
  toc?: false;
}

/**
 * Podcasting 2.0 JSON chapters, version 1.2 (podcastindex-org/podcast-namespace,
 * docs/examples/chapters/jsonChapters.md): per chapter `startTime`, `endTime` and `title`,
 * plus `img` ("the url of an image to use as chapter art") and `url` ("a web page or
 * supporting document that's related to the topic of this chapter") when there is one.
 * Figures (issue 16) are chapters of their own with their picture and `toc: false` ("this
 * chapter should not display visibly to the user in either the table of contents or as a
 * jump-to point": the picture changes, the chapter list stays the sections). The spec assumes
 * ascending `startTime`: figures are merged in order, after a section starting at the same time.
 */
export function toJsonChapters(
  chapters: readonly Chapter[],
  extra: { img?: Record<string, string>; url?: Record<string, string>; figures?: readonly { startTime: number; endTime: number; title: string; img: string }[] } = {},
): { version: string; chapters: JsonChapter[] } {
  const sections: JsonChapter[] = chapters.map((c) => {
    const img = extra.img?.[c.id];
    const url = extra.url?.[c.id];
    return { startTime: c.startTime, endTime: c.endTime, title: c.title, ...(img ? { img } : {}), ...(url ? { url } : {}) };
  });
  const figures: JsonChapter[] = (extra.figures ?? []).map((f) => ({ startTime: f.startTime, endTime: f.endTime, title: f.title, img: f.img, toc: false }));
  // Array.prototype.sort is stable: sections come first among equal start times.
  return { version: '1.2.0', chapters: [...sections, ...figures].sort((a, b) => a.startTime - b.startTime) };
}

/** An `;FFMETADATA1` document with global tags and one [CHAPTER] per chapter (ms timebase). */
export function toFfmetadata(tags: Record<string, string>, chapters: readonly Chapter[]): string {
  const lines = [';FFMETADATA1'];
  for (const [k, v] of Object.entries(tags)) lines.push(`${k}=${escapeFfmetadata(v)}`);
  for (const c of chapters) {
    lines.push('[CHAPTER]', 'TIMEBASE=1/1000', `START=${Math.round(c.startTime * 1000)}`, `END=${Math.round(c.endTime * 1000)}`, `title=${escapeFfmetadata(c.title)}`);
  }
  return `${lines.join('\n')}\n`;
}

function slug(s: string): string {
  return s
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}
