import { WebVTTParser } from 'webvtt-parser';

/**
 * Strict readers for the caption files, independent of the writers under test. WebVTT goes
 * through the W3C's own parser (webvtt-parser, the validator behind the W3C's WebVTT checker),
 * which reports every deviation from the spec as an error. SubRip has no formal spec: this
 * reader accepts only the de-facto format (numbered blocks from 1, `HH:MM:SS,mmm --> HH:MM:SS,mmm`,
 * text lines, one blank line between blocks) and throws on anything else.
 */

export interface ParsedCue {
  start: number;
  end: number;
  lines: string[];
}

export function parseVttStrict(text: string): ParsedCue[] {
  if (!text.startsWith('WEBVTT\n')) throw new Error('WebVTT must start with the WEBVTT signature line');
  const parsed = new WebVTTParser().parse(text, 'subtitles');
  if (parsed.errors.length > 0) throw new Error(`WebVTT errors: ${parsed.errors.map((e) => `line ${e.line}: ${e.message}`).join('; ')}`);
  const timing = /^\d{2}:\d{2}:\d{2}\.\d{3} --> \d{2}:\d{2}:\d{2}\.\d{3}$/;
  for (const line of text.split('\n').filter((l) => l.includes('-->'))) {
    if (!timing.test(line)) throw new Error(`WebVTT timing line not HH:MM:SS.mmm: ${line}`);
  }
  return parsed.cues.map((c) => ({ start: c.startTime, end: c.endTime, lines: decodeVtt(c.text).split('\n') }));
}

function decodeVtt(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

const SRT_TIME = /^(\d{2}):([0-5]\d):([0-5]\d),(\d{3})$/;

function srtSeconds(value: string, where: string): number {
  const m = SRT_TIME.exec(value);
  if (!m) throw new Error(`${where}: bad SRT timestamp ${JSON.stringify(value)}`);
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) + Number(m[4]) / 1000;
}

export function parseSrtStrict(text: string): ParsedCue[] {
  if (!text.endsWith('\n') || text.endsWith('\n\n')) throw new Error('SRT must end with exactly one newline');
  if (text.includes('\r')) throw new Error('SRT line endings must be consistent (LF)');
  const blocks = text.slice(0, -1).split('\n\n');
  return blocks.map((block, i) => {
    const lines = block.split('\n');
    const where = `block ${i + 1}`;
    if (lines[0] !== String(i + 1)) throw new Error(`${where}: index ${JSON.stringify(lines[0])}, expected ${i + 1}`);
    const timing = /^(\S+) --> (\S+)$/.exec(lines[1] ?? '');
    if (!timing) throw new Error(`${where}: bad timing line ${JSON.stringify(lines[1])}`);
    const text = lines.slice(2);
    if (text.length === 0 || text.some((l) => l.trim() === '')) throw new Error(`${where}: empty text line`);
    const start = srtSeconds(timing[1]!, where);
    const end = srtSeconds(timing[2]!, where);
    if (!(end > start)) throw new Error(`${where}: end ${end} is not after start ${start}`);
    return { start, end, lines: text };
  });
}

/** The issue-8 cue rules; returns every broken rule (empty when all hold). */
export function cueRuleViolations(cues: readonly ParsedCue[], durationSeconds: number): string[] {
  const out: string[] = [];
  const eps = 0.0015;
  cues.forEach((cue, i) => {
    const length = cue.end - cue.start;
    if (cue.lines.length < 1 || cue.lines.length > 2) out.push(`cue ${i + 1}: ${cue.lines.length} lines`);
    for (const line of cue.lines) if (line.length > 42) out.push(`cue ${i + 1}: line of ${line.length} chars: ${line}`);
    if (length < 1 - eps || length > 7 + eps) out.push(`cue ${i + 1}: lasts ${length.toFixed(3)} s`);
    if (cue.start < 0 || cue.end > durationSeconds + eps) out.push(`cue ${i + 1}: outside the audio (${cue.start}–${cue.end} of ${durationSeconds})`);
    const prev = cues[i - 1];
    if (prev && cue.start < prev.end - 1e-9) out.push(`cue ${i + 1}: overlaps cue ${i}`);
    if (cue.lines.some((l) => /\[|\]/.test(l))) out.push(`cue ${i + 1}: bracketed host cue in captions`);
  });
  return out;
}
