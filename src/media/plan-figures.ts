import type { Chapter } from '../records/build-record.js';
import { splitSentences } from '../captions/split-sentences.js';
import type { FrameSize } from './encode-args.js';

/**
 * When and where each figure of script.md is shown (issue 15), as a pure plan: a figure
 * appears where its cue stands in the recording, that is at the end of the sentence before
 * the cue as the captions alignment timed it, for `seconds` or until the next figure. A cue
 * whose sentence lies in a stretch the alignment marks as changed since recording (or not
 * spoken at all) cannot be placed: it is reported and shown at its section's start.
 */

export interface FigureCueAt {
  sectionId: string;
  alt: string;
  /** The file (relative to the episode folder), for messages and the record. */
  target: string;
  line: number;
  /** The section's spoken paragraphs before the cue. */
  afterParagraphs: number;
}

/** The alignment as the planner needs it (captions/align-captions.ts gives both). */
export interface AlignedSentence {
  sectionId: string;
  text: string;
  start: number;
  end: number;
  spoken: boolean;
}

export interface ChangedStretch {
  sectionId: string;
  start: number;
  end: number;
  note: string;
}

export type FigurePlacement = 'after-sentence' | 'section-start' | 'unplaced';

export interface PlannedFigure {
  /** Index into the cues given (the figure's file). */
  index: number;
  sectionId: string;
  alt: string;
  target: string;
  line: number;
  start: number;
  end: number;
  /** after-sentence: at the end of the sentence before the cue; section-start: the cue opens its section; unplaced: shown at the section start because the sentence could not be timed. */
  placement: FigurePlacement;
  /** The sentence the figure follows (when placed after one). */
  sentence?: string | undefined;
  /** Why it could not be placed (placement `unplaced`). */
  reason?: string | undefined;
}

export interface FigurePlanInput {
  cues: readonly FigureCueAt[];
  /** Each section's spoken paragraphs (the script as read). */
  paragraphs: Readonly<Record<string, readonly string[]>>;
  sentences: readonly AlignedSentence[];
  changedRegions: readonly ChangedStretch[];
  chapters: readonly Chapter[];
  seconds: number;
  durationSeconds: number;
}

/** Shorter than this a figure is not worth a cut (it would flash). */
const MIN_SHOWN = 0.5;

const clip = (text: string): string => (text.length <= 50 ? text : `${text.slice(0, 47)}...`);

export function planFigures(input: FigurePlanInput): { figures: PlannedFigure[]; warnings: string[] } {
  const warnings: string[] = [];
  const placed: PlannedFigure[] = [];
  input.cues.forEach((cue, index) => {
    const where = `figure "${cue.alt || cue.target}" (script.md line ${cue.line}, ${cue.target})`;
    const chapter = input.chapters.find((c) => c.id === cue.sectionId);
    if (!chapter) {
      warnings.push(`${where} is in section ${cue.sectionId}, which is not in the recording: not shown`);
      return;
    }
    const base = { index, sectionId: cue.sectionId, alt: cue.alt, target: cue.target, line: cue.line };
    // Sentences before the cue, split as the alignment splits them (paragraphs always end one).
    const before = splitSentences((input.paragraphs[cue.sectionId] ?? []).slice(0, cue.afterParagraphs).join('\n\n')).length;
    if (before === 0) {
      placed.push({ ...base, start: chapter.startTime, end: 0, placement: 'section-start' });
      return;
    }
    const ofSection = input.sentences.filter((s) => s.sectionId === cue.sectionId);
    const sentence = ofSection[Math.min(before, ofSection.length) - 1];
    const changed = sentence && input.changedRegions.find((r) => r.sectionId === cue.sectionId && r.start < sentence.end && r.end > sentence.start);
    const reason = !sentence
      ? 'the alignment has no sentences for its section'
      : !sentence.spoken
        ? `the sentence before it ("${clip(sentence.text)}") was not found in the recording`
        : changed
          ? `the sentence before it ("${clip(sentence.text)}") is in a stretch that changed since recording (${changed.start.toFixed(1)}–${changed.end.toFixed(1)} s)`
          : undefined;
    if (!sentence || reason) {
      warnings.push(`${where} cannot be placed: ${reason}; shown at the start of section ${cue.sectionId} (${chapter.startTime.toFixed(1)} s) instead`);
      placed.push({ ...base, start: chapter.startTime, end: 0, placement: 'unplaced', reason });
      return;
    }
    placed.push({ ...base, start: sentence.end, end: 0, placement: 'after-sentence', sentence: sentence.text });
  });
  // In time order; figures at the same moment (two cues together) follow one another.
  placed.sort((a, b) => a.start - b.start || a.index - b.index);
  for (let i = 1; i < placed.length; i++) {
    const prev = placed[i - 1]!;
    const cur = placed[i]!;
    if (cur.start < prev.start + MIN_SHOWN) cur.start = prev.start + input.seconds;
  }
  placed.sort((a, b) => a.start - b.start || a.index - b.index);
  const figures: PlannedFigure[] = [];
  placed.forEach((f, i) => {
    const next = placed[i + 1]?.start ?? Number.POSITIVE_INFINITY;
    const start = Math.max(0, f.start);
    const end = Math.min(start + input.seconds, next, input.durationSeconds);
    if (end - start < MIN_SHOWN) {
      warnings.push(`figure "${f.alt || f.target}" (script.md line ${f.line}) would be shown for under ${MIN_SHOWN} s at ${start.toFixed(1)} s: left out`);
      return;
    }
    figures.push({ ...f, start: round(start), end: round(end) });
  });
  return { figures, warnings };
}

const round = (t: number): number => Math.round(t * 1000) / 1000;

/** The inset over a camera picture: the figure fitted into 70 % of the frame, at the right, centred vertically. */
export const INSET_FRACTION = 0.7;

export interface InsetBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Even sizes: yuv420p halves the chroma, so odd dimensions and offsets shift colour edges. */
const even = (n: number): number => Math.max(2, 2 * Math.round(n / 2));

export function insetBox(frame: FrameSize, image: { width: number; height: number }): InsetBox {
  const boxW = frame.width * INSET_FRACTION;
  const boxH = frame.height * INSET_FRACTION;
  const scale = Math.min(boxW / image.width, boxH / image.height);
  const width = even(image.width * scale);
  const height = even(image.height * scale);
  const margin = even(frame.width * 0.04);
  return { x: frame.width - width - margin, y: even((frame.height - height) / 2), width, height };
}

/** A window of whole frames on the video's grid: [start, end) frame numbers. */
export function figureFrames(figure: { start: number; end: number }, fps: number): { from: number; to: number } {
  return { from: Math.round(figure.start * fps), to: Math.round(figure.end * fps) };
}
