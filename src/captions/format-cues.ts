import type { Cue } from './plan-cues.js';

/**
 * Caption writers. Pure and unit-tested; checked in tests by the W3C's WebVTT parser
 * (webvtt-parser) and a strict SubRip reader.
 */

function clock(seconds: number, separator: '.' | ','): string {
  const totalMs = Math.max(0, Math.round(seconds * 1000));
  const h = Math.floor(totalMs / 3_600_000);
  const m = Math.floor((totalMs % 3_600_000) / 60_000);
  const s = Math.floor((totalMs % 60_000) / 1000);
  const milli = totalMs % 1000;
  const pad = (v: number, n = 2): string => String(v).padStart(n, '0');
  return `${pad(h)}:${pad(m)}:${pad(s)}${separator}${pad(milli, 3)}`;
}

/** WebVTT timestamp, always with hours: HH:MM:SS.mmm (WebVTT §4.5 "WebVTT timestamp"). */
export function formatVttTime(seconds: number): string {
  return clock(seconds, '.');
}

/** SubRip timestamp: HH:MM:SS,mmm. */
export function formatSrtTime(seconds: number): string {
  return clock(seconds, ',');
}

/**
 * Cue text for WebVTT: & < > become character references (WebVTT §4.2.2 cue text: a bare & or
 * < starts markup, and "-->" may not occur), and no line may be empty (a blank line ends a cue).
 */
export function escapeVttText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function cleanLines(lines: readonly string[]): string[] {
  return lines.map((l) => l.replace(/\s+/g, ' ').trim()).filter((l) => l.length > 0);
}

/**
 * A WebVTT file: the WEBVTT signature line, a blank line, then numbered cues. With a speaker,
 * each cue's text is a voice span, `<v Name>` (WebVTT §4.2.2 "cue voice span": the
 * annotation is the name, character references allowed), which Apple Podcasts shows as the
 * speaker in its transcripts (podcast namespace docs/examples/transcripts/transcripts.md).
 */
export function formatVtt(cues: readonly Cue[], options: { speaker?: string | undefined } = {}): string {
  const name = options.speaker?.replace(/\s+/g, ' ').trim();
  const voice = name ? `<v ${escapeVttText(name)}>` : '';
  const blocks = cues.map((cue, i) => `${i + 1}\n${formatVttTime(cue.start)} --> ${formatVttTime(cue.end)}\n${voice}${cleanLines(cue.lines).map(escapeVttText).join('\n')}`);
  return `WEBVTT\n\n${blocks.join('\n\n')}\n`;
}

/** SubRip text: neutralize what a reader could take for markup or a timing line. */
export function escapeSrtText(text: string): string {
  return text.replace(/<(?=\/?[a-zA-Z])/g, '‹').replace(/-->/g, '->');
}

/**
 * A SubRip file: index from 1, timing line, text lines, blank line. SubRip has no escaping;
 * players read a few HTML-like tags (<i>, <b>, <font>), so a literal "<" that would open one is
 * replaced by the look-alike "‹" rather than risk being swallowed as markup, and "-->" (which
 * would read as a timing line) becomes "->".
 */
export function formatSrt(cues: readonly Cue[]): string {
  const blocks = cues.map((cue, i) => `${i + 1}\n${formatSrtTime(cue.start)} --> ${formatSrtTime(cue.end)}\n${cleanLines(cue.lines).map(escapeSrtText).join('\n')}`);
  return `${blocks.join('\n\n')}\n`;
}
