import { describe, expect, it } from 'vitest';
import { escapeVttText, formatSrt, formatSrtTime, formatVtt, formatVttTime } from '../../../src/captions/format-cues.js';
import type { Cue } from '../../../src/captions/plan-cues.js';
import { parseSrtStrict, parseVttStrict } from './helpers/check-captions.js';
import { WebVTTParser } from 'webvtt-parser';

const cues: Cue[] = [
  { start: 0.5, end: 2.25, lines: ['Tom & Jerry <script>', 'say --> hi'] },
  { start: 2.25, end: 5, lines: ['ML & AI Safety Update'] },
  { start: 3599.9995, end: 3605.1234, lines: ['an hour in'] },
];

describe('timestamps', () => {
  it('always carries hours and milliseconds', () => {
    expect(formatVttTime(0)).toBe('00:00:00.000');
    expect(formatVttTime(61.0005)).toBe('00:01:01.001');
    expect(formatVttTime(3725.5)).toBe('01:02:05.500');
    expect(formatSrtTime(3725.5)).toBe('01:02:05,500');
    expect(formatSrtTime(59.9996)).toBe('00:01:00,000');
  });
});

describe('formatVtt', () => {
  it('escapes & < > so cue text is never markup', () => {
    expect(escapeVttText('a & b < c > d')).toBe('a &amp; b &lt; c &gt; d');
    const vtt = formatVtt(cues);
    expect(vtt.startsWith('WEBVTT\n\n')).toBe(true);
    expect(vtt).toContain('Tom &amp; Jerry &lt;script&gt;\nsay --&gt; hi');
  });

  it('passes the W3C WebVTT parser with the same cues back', () => {
    const parsed = parseVttStrict(formatVtt(cues));
    expect(parsed.map((c) => c.lines)).toEqual(cues.map((c) => c.lines));
    expect(parsed.map((c) => c.start)).toEqual([0.5, 2.25, 3600]);
    expect(parsed[2]!.end).toBeCloseTo(3605.123, 3);
  });

  it('is rejected by the strict parser when broken (the check can fail)', () => {
    expect(() => parseVttStrict(formatVtt(cues).replace('00:00:00.500', '0:0:0.5'))).toThrow();
    expect(() => parseVttStrict(formatVtt(cues).replace('WEBVTT', 'WEBVT'))).toThrow();
  });
});

describe('formatVtt with the host as speaker', () => {
  it('opens every cue with a voice span the W3C parser reads as that speaker', () => {
    const vtt = formatVtt(cues, { speaker: '  Ada   Lovelace ' });
    const parsed = new WebVTTParser().parse(vtt, 'subtitles');
    expect(parsed.errors).toEqual([]);
    const spans = parsed.cues.map((c) => c.tree.children[0] as unknown as { name: string; value: string; children: unknown[] });
    expect(spans.map((v) => [v.name, v.value])).toEqual([['v', 'Ada Lovelace'], ['v', 'Ada Lovelace'], ['v', 'Ada Lovelace']]);
    // The cue text sits inside the span, so the line checks above still hold.
    expect(parseVttStrict(vtt).map((c) => c.lines)).toEqual(cues.map((c, i) => (i === 0 ? [`<v Ada Lovelace>${c.lines[0]}`, ...c.lines.slice(1)] : [`<v Ada Lovelace>${c.lines[0]}`])));
  });
  it('escapes a name that would end or break the tag', () => {
    const vtt = formatVtt(cues, { speaker: 'Ada & <Co>' });
    expect(vtt).toContain('<v Ada &amp; &lt;Co&gt;>Tom &amp; Jerry');
    const parsed = new WebVTTParser().parse(vtt, 'subtitles');
    expect(parsed.errors).toEqual([]);
    expect((parsed.cues[0]!.tree.children[0] as unknown as { value: string }).value).toContain('Co');
  });
  it('writes no voice span without a host', () => {
    expect(formatVtt(cues, { speaker: undefined })).not.toContain('<v');
  });
});

describe('formatSrt', () => {
  it('numbers blocks from 1 with comma milliseconds and passes the strict reader', () => {
    const srt = formatSrt(cues);
    expect(srt.startsWith('1\n00:00:00,500 --> 00:00:02,250\n')).toBe(true);
    const parsed = parseSrtStrict(srt);
    expect(parsed).toHaveLength(3);
    expect(parsed[1]!.lines).toEqual(['ML & AI Safety Update']);
    // A literal "<" that would open a SubRip tag is neutralized.
    expect(parsed[0]!.lines[0]).toBe('Tom & Jerry ‹script>');
    expect(parsed[0]!.lines[1]).toBe('say -> hi');
  });

  it('is rejected by the strict reader when broken', () => {
    expect(() => parseSrtStrict(formatSrt(cues).replace('2\n', '3\n'))).toThrow(/index/);
    expect(() => parseSrtStrict(formatSrt(cues).replace('00:00:02,250 -->', '00:00:02.250 -->'))).toThrow(/timestamp/);
  });
});
