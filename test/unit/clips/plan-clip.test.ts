import { describe, expect, it } from 'vitest';
import { clipCues, parseClipTime, parseSrt, planClip } from '../../../src/clips/plan-clip.js';
import { clipArgs, clipLayout, libassSafe } from '../../../src/clips/clip-args.js';
import { formatSrt } from '../../../src/captions/format-cues.js';
import { buildFluentCommand } from '../../../src/media/ffmpeg/build-fluent-command.js';

describe('clip times and spans', () => {
  it('reads 12:30, 1:02:03.5 and seconds; rejects the rest', () => {
    expect(parseClipTime('12:30')).toBe(750);
    expect(parseClipTime('1:02:03.5')).toBe(3723.5);
    expect(parseClipTime('90')).toBe(90);
    expect(parseClipTime(42.5)).toBe(42.5);
    for (const bad of ['12:75', 'abc', '-3', '1:2:3:4', '']) expect(parseClipTime(bad), bad).toBeUndefined();
  });
  it('plans a vertical clip with a name from its span and title', () => {
    expect(planClip({ from: '12:30', to: '13:15', title: 'The big result!' }, 3600, 'x')).toEqual({
      name: '12m30s-13m15s-vertical-the-big-result',
      start: 750,
      duration: 45,
      title: 'The big result!',
      format: 'vertical',
      size: { width: 1080, height: 1920 },
      waveform: false,
    });
    expect(planClip({ from: 0, to: 120, format: 'landscape' }, 3600, 'x').size).toEqual({ width: 1920, height: 1080 });
  });
  it('refuses a span outside the episode, an empty one, and a vertical clip over 60 s', () => {
    expect(() => planClip({ from: '12:30', to: '13:15' }, 600, 'castline clip e')).toThrow(/castline clip e: 12m30s–13m15s is outside the episode, which is 10m00s \(600\.0 s\) long/);
    expect(() => planClip({ from: '1:00', to: '0:30' }, 600, 'x')).toThrow(/is empty/);
    expect(() => planClip({ from: '1:00', to: '2:01' }, 600, 'x')).toThrow(expect.objectContaining({ code: 'clip-too-long' }));
    expect(planClip({ from: '1:00', to: '2:01', format: 'square' }, 600, 'x').duration).toBe(61);
  });
});

describe('clip captions', () => {
  const cues = [
    { start: 0.5, end: 2, lines: ['First.'] },
    { start: 2.5, end: 5, lines: ['Second {\\fs200}big\\N', 'line two'] },
    { start: 6, end: 8, lines: ['Third.'] },
  ];
  it('round-trips castline\'s own SubRip', () => {
    expect(parseSrt(formatSrt(cues))).toEqual(cues);
  });
  it('moves cues into clip time and cuts them at its ends', () => {
    expect(clipCues(cues, 1.5, 5)).toEqual([
      { start: 0, end: 0.5, lines: ['First.'] },
      { start: 1, end: 3.5, lines: cues[1]?.lines },
      { start: 4.5, end: 5, lines: ['Third.'] },
    ]);
  });
  it('neutralizes libass override blocks and escapes', () => {
    expect(libassSafe('Second {\\fs200}big\\N')).toBe('Second ❴⧵fs200❵big⧵N');
  });
});

describe('clip command line', () => {
  const plan = planClip({ from: 10, to: 20, title: "It's 100%: a;b" }, 60, 'x');
  const args = clipArgs(plan, { mp4: '/d/ep.mp4', srt: "/w/it's.srt", font: '/f/Font.ttf', fontsDir: '/f', showName: 'Show, [x]', loudness: 'volume=1.00dB', fps: 30 }, '/o/c.mp4');
  const graph = args[args.indexOf('-filter_complex') + 1] ?? '';
  it('cuts the span, escapes every text and path that reaches the graph', () => {
    expect(args.slice(0, 6)).toEqual(['-ss', '10.000', '-t', '10.000', '-i', '/d/ep.mp4']);
    expect(graph).toContain("text=\\'Show\\, \\[x\\]\\'");
    expect(graph).toContain("text=\\'It\\'\\\\\\'\\'s 100%: a\\;b\\'");
    expect(graph).toContain("subtitles=filename=\\'/w/it\\'\\\\\\'\\'s.srt\\'");
    expect(graph).toContain('expansion=none');
    expect(graph).toContain('color=c=black:s=1080x1920:r=30');
    expect(buildFluentCommand(args)._getArguments()).toEqual([...args.slice(0, 6), '-y', ...args.slice(6)]);
  });
  it('vertical layout: picture 1080×608 under the header, waveform near the bottom', () => {
    expect(clipLayout(plan)).toMatchObject({ video: { width: 1080, height: 608, y: 500 }, waveform: { y: 1660 } });
  });
});
