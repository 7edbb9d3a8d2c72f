import { breakLines, fitsCue, normalizeSpace } from './split-sentences.js';

/**
 * Timed text chunks → caption cues that obey the issue-8 rules: at most 2 lines of 42
 * characters, 1–7 s on screen, never overlapping, inside the audio. Pure and unit-tested.
 */

export interface TimedText {
  text: string;
  start: number;
  end: number;
}

export interface Cue {
  start: number;
  end: number;
  lines: string[];
}

export const MIN_CUE_SECONDS = 1;
export const MAX_CUE_SECONDS = 7;
/** A cue stays up a little after the words end (into the pause), which reads more calmly. */
const LINGER_SECONDS = 0.4;

const ms = (t: number): number => Math.round(t * 1000) / 1000;

/** Split a chunk longer than 7 s into word groups, timed in proportion to their characters. */
function splitLong(chunk: TimedText): TimedText[] {
  const length = chunk.end - chunk.start;
  const words = chunk.text.split(' ');
  if (length <= MAX_CUE_SECONDS || words.length < 2) return [chunk];
  const pieces = Math.min(words.length, Math.ceil(length / (MAX_CUE_SECONDS - 1)));
  const perPiece = chunk.text.length / pieces;
  const groups: string[][] = [[]];
  let at = 0;
  for (const word of words) {
    const current = groups[groups.length - 1]!;
    if (current.length > 0 && at + word.length / 2 > perPiece * groups.length && groups.length < pieces) groups.push([word]);
    else current.push(word);
    at += word.length + 1;
  }
  const out: TimedText[] = [];
  let t = chunk.start;
  for (const group of groups) {
    const text = group.join(' ');
    const span = (length * (text.length + 1)) / (chunk.text.length + 1);
    out.push({ text, start: t, end: Math.min(chunk.end, t + span) });
    t += span;
  }
  return out;
}

export function planCues(chunks: readonly TimedText[], durationSeconds: number): Cue[] {
  const clean = chunks
    .map((c) => ({ text: normalizeSpace(c.text), start: Math.max(0, Math.min(c.start, durationSeconds)), end: Math.max(0, Math.min(c.end, durationSeconds)) }))
    .filter((c) => c.text.length > 0)
    .sort((a, b) => a.start - b.start);
  const items = clean.flatMap(splitLong);

  // A chunk shorter than 1 s first borrows the pause after it. Only when that pause is too
  // short is it merged into a neighbour, and only when the joined text still fits one cue and
  // the gap between them is short (else the cue would show text during an unrelated pause).
  const cramped = (list: readonly TimedText[], i: number): boolean => {
    const c = list[i]!;
    const room = (list[i + 1]?.start ?? durationSeconds) - c.start;
    return c.end - c.start < MIN_CUE_SECONDS && room < MIN_CUE_SECONDS;
  };
  const merged: TimedText[] = [];
  items.forEach((item, i) => {
    const prev = merged[merged.length - 1];
    const prevCramped = prev !== undefined && item.start - prev.start < MIN_CUE_SECONDS && prev.end - prev.start < MIN_CUE_SECONDS;
    if (prev && (prevCramped || cramped(items, i)) && item.start - prev.end < 1 && item.end - prev.start <= MAX_CUE_SECONDS && fitsCue(`${prev.text} ${item.text}`)) {
      prev.text = `${prev.text} ${item.text}`;
      prev.end = Math.max(prev.end, item.end);
      return;
    }
    merged.push({ ...item });
  });

  // Timing: linger, then guarantee 1 s by taking time from the gap, the next cue, or the
  // previous one, in that order; never overlap, never leave the audio.
  for (let i = 0; i < merged.length; i++) {
    const cue = merged[i]!;
    const next = merged[i + 1];
    const prev = merged[i - 1];
    const limit = Math.min(next ? next.start : durationSeconds, durationSeconds);
    cue.end = Math.min(Math.max(cue.end + LINGER_SECONDS, cue.start + MIN_CUE_SECONDS), limit, cue.start + MAX_CUE_SECONDS);
    if (cue.end - cue.start < MIN_CUE_SECONDS && next && next.end - (cue.start + MIN_CUE_SECONDS) >= MIN_CUE_SECONDS) {
      next.start = cue.start + MIN_CUE_SECONDS;
      cue.end = next.start;
    }
    if (cue.end - cue.start < MIN_CUE_SECONDS) {
      cue.start = Math.max(prev ? prev.end : 0, cue.end - MIN_CUE_SECONDS);
      if (cue.end - cue.start < MIN_CUE_SECONDS) cue.end = Math.min(cue.start + MIN_CUE_SECONDS, next ? next.start : durationSeconds, durationSeconds);
    }
  }

  const cues: Cue[] = [];
  let floor = 0;
  for (const c of merged) {
    const start = Math.max(ms(c.start), floor);
    const end = Math.min(ms(c.end), ms(durationSeconds));
    if (end <= start) continue;
    cues.push({ start, end, lines: breakLines(c.text) ?? hardBreak(c.text) });
    floor = end;
  }
  return cues;
}

/** Last resort for text that cannot be balanced (never produced by splitCueText). */
function hardBreak(text: string): string[] {
  return [text.slice(0, 42), text.slice(42, 84)].filter((l) => l.length > 0);
}
