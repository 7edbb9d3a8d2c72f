import { describe, expect, it } from 'vitest';
import { figureFrames, insetBox, planFigures, type AlignedSentence, type FigureCueAt } from '../../../src/media/plan-figures.js';
import { cameraVideoArgs, cameraVideoGraph, describeCamera, planCameraVideo } from '../../../src/media/camera-args.js';
import { concatList } from '../../../src/media/encode-args.js';

const chapters = [
  { id: 'intro', title: 'Intro', startTime: 0, endTime: 20 },
  { id: 'news', title: 'News', startTime: 20, endTime: 60 },
];
const paragraphs = { intro: ['One. Two.', 'Three.'], news: ['Four. Five.', 'Six.'] };
const sentences: AlignedSentence[] = [
  { sectionId: 'intro', text: 'One.', start: 1, end: 4, spoken: true },
  { sectionId: 'intro', text: 'Two.', start: 4.5, end: 9, spoken: true },
  { sectionId: 'intro', text: 'Three.', start: 10, end: 18, spoken: true },
  { sectionId: 'news', text: 'Four.', start: 21, end: 30, spoken: true },
  { sectionId: 'news', text: 'Five.', start: 31, end: 40, spoken: false },
  { sectionId: 'news', text: 'Six.', start: 41, end: 58, spoken: true },
];
const cue = (sectionId: string, afterParagraphs: number, line: number): FigureCueAt => ({ sectionId, afterParagraphs, line, alt: `fig ${line}`, target: `visuals/figure-${line}.png` });
const plan = (cues: FigureCueAt[], changedRegions: { sectionId: string; start: number; end: number; note: string }[] = [], seconds = 8) =>
  planFigures({ cues, paragraphs, sentences, changedRegions, chapters, seconds, durationSeconds: 60 });

describe('planFigures', () => {
  it('places a figure at the end of the sentence before its cue, for the figure length', () => {
    // After the first paragraph of intro: two sentences before it, the second ends at 9 s.
    expect(plan([cue('intro', 1, 5)]).figures).toEqual([expect.objectContaining({ start: 9, end: 17, placement: 'after-sentence', sentence: 'Two.' })]);
  });
  it('keeps time order whatever the cue order; a figure stops where the next starts', () => {
    const { figures } = plan([cue('intro', 2, 9), cue('intro', 1, 5)]);
    expect(figures.map((f) => [f.line, f.start, f.end])).toEqual([
      [5, 9, 17],
      [9, 18, 26],
    ]);
  });
  it('a cue that opens its section is shown at the section start', () => {
    expect(plan([cue('news', 0, 3)]).figures[0]).toMatchObject({ start: 20, end: 28, placement: 'section-start' });
  });
  it('reports a cue after an unspoken sentence or in a changed stretch, and shows it at its section start', () => {
    const unspoken = plan([cue('news', 1, 7)]);
    expect(unspoken.figures[0]).toMatchObject({ start: 20, placement: 'unplaced' });
    expect(unspoken.warnings[0]).toMatch(/^figure "fig 7" \(script\.md line 7, visuals\/figure-7\.png\) cannot be placed: the sentence before it \("Five\."\) was not found in the recording; shown at the start of section news \(20\.0 s\) instead$/);
    const changed = plan([cue('intro', 2, 8)], [{ sectionId: 'intro', start: 12, end: 16, note: 'x' }]);
    expect(changed.figures[0]).toMatchObject({ start: 0, placement: 'unplaced' });
    expect(changed.warnings[0]).toMatch(/changed since recording \(12\.0–16\.0 s\)/);
    // A changed stretch elsewhere does not matter.
    expect(plan([cue('intro', 2, 8)], [{ sectionId: 'news', start: 12, end: 16, note: 'x' }]).figures[0]?.placement).toBe('after-sentence');
  });
  it('two cues together follow one another; one past the end or in a section not recorded is left out, said', () => {
    const together = plan([cue('intro', 1, 5), cue('intro', 1, 6)]);
    expect(together.figures.map((f) => [f.line, f.start, f.end])).toEqual([
      [5, 9, 17],
      [6, 17, 25],
    ]);
    const gone = planFigures({ cues: [cue('outro', 0, 4)], paragraphs, sentences, changedRegions: [], chapters, seconds: 8, durationSeconds: 60 });
    expect(gone.figures).toEqual([]);
    expect(gone.warnings[0]).toMatch(/section outro, which is not in the recording/);
    const late = planFigures({ cues: [cue('news', 2, 4)], paragraphs, sentences, changedRegions: [], chapters, seconds: 8, durationSeconds: 58.2 });
    expect(late.figures).toEqual([]);
    expect(late.warnings[0]).toMatch(/under 0\.5 s/);
  });
});

describe('figures in the video', () => {
  it('an inset is 70 % of the frame at most, aspect kept, even sizes, inside the frame at the right', () => {
    expect(insetBox({ width: 1920, height: 1080 }, { width: 1600, height: 900 })).toEqual({ x: 1920 - 1344 - 76, y: 162, width: 1344, height: 756 });
    const tall = insetBox({ width: 1920, height: 1080 }, { width: 500, height: 1000 });
    expect(tall.height).toBe(756);
    expect(tall.width).toBe(378);
    expect(tall.x + tall.width).toBeLessThanOrEqual(1920);
  });
  it('a figure window replaces its frames in the concat list, across a chapter edge too', () => {
    const list = concatList(chapters, [{ path: '/w/a.mp4', frames: 10 }, { path: '/w/b.mp4', frames: 10 }], 1, [{ ...figureFrames({ start: 15.4, end: 23 }, 1), clip: { path: "/w/it's.mp4", frames: 8 } }]);
    expect(list.split('\n')).toEqual([
      'ffconcat version 1.0',
      "file '/w/a.mp4'",
      "file '/w/a.mp4'",
      'outpoint 5.000000',
      "file '/w/it'\\''s.mp4'",
      'outpoint 5.000000',
      "file '/w/it'\\''s.mp4'",
      'outpoint 3.000000',
      "file '/w/b.mp4'",
      "file '/w/b.mp4'",
      "file '/w/b.mp4'",
      "file '/w/b.mp4'",
      'outpoint 7.000000',
      '',
    ]);
    // Frames add up to the chapters' (20 + 40): 10 + 5 (card), 5 + 3 (figure), 10 + 10 + 10 + 7 (card).
  });
  it('over a camera picture: each figure its own input, scaled once, shown only in its window, under the lower thirds', () => {
    const cam = describeCamera({ format: {}, streams: [{ codec_type: 'video', codec_name: 'h264', profile: 'High', pix_fmt: 'yuv420p', width: 1920, height: 1080, r_frame_rate: '30/1', avg_frame_rate: '30/1' }, { codec_type: 'audio' }] } as never);
    if (!cam) throw new Error('no camera');
    const figures = [{ path: '/e/visuals/figure-1.png', start: 9, end: 17, box: { x: 500, y: 162, width: 1344, height: 756 } }];
    const spec = { cam, shift: 0, size: { width: 1920, height: 1080 }, overlays: ["drawtext=text='x'"], figures };
    expect(cameraVideoGraph(spec)).toBe(
      "[0:v]setpts=PTS-STARTPTS,fps=fps=30/1:start_time=0[c0];[1:v]scale=1344:756,setsar=1,format=yuva420p[f0];[c0][f0]overlay=x=500:y=162:eof_action=repeat:enable=\\'between(t\\,9.000\\,17.000)\\'[c1];[c1]drawtext=text='x',format=yuv420p[v]",
    );
    const args = cameraVideoArgs({ camera: '/e/video/cam.mp4', durationSeconds: 30, preset: 'veryfast', crf: 20, ...spec }, '/w/out.mp4');
    expect(args.slice(0, 4)).toEqual(['-i', '/e/video/cam.mp4', '-i', '/e/visuals/figure-1.png']);
    // A figure means the picture cannot be stream-copied.
    expect(planCameraVideo(cam, { width: 1920, height: 1080 }, 0, 0, 1)).toMatchObject({ mode: 'encode', reasons: ['1 figure shown over it'] });
    expect(planCameraVideo(cam, { width: 1920, height: 1080 }, 0, 0, 0).mode).toBe('copy');
  });
});

describe('planFigures: the next figure cuts one short', () => {
  it('ends a figure where the next one starts', () => {
    const { figures } = plan([cue('intro', 1, 5), cue('intro', 2, 9)], [], 12);
    expect(figures.map((f) => [f.line, f.start, f.end])).toEqual([
      [5, 9, 18],
      [9, 18, 30],
    ]);
  });
});

describe('figures in chapters.json (issue 16)', () => {
  it('are silent chapters (toc: false) with their picture, merged in start order after a section starting with them', async () => {
    const { toJsonChapters } = await import('../../../src/media/chapters.js');
    const json = toJsonChapters(chapters, { img: { intro: 'https://x.org/i.jpg' }, figures: [{ startTime: 30, endTime: 38, title: 'Late', img: 'https://x.org/f2.jpg' }, { startTime: 20, endTime: 28, title: 'Opening', img: 'https://x.org/f1.jpg' }] });
    expect(json.chapters).toEqual([
      { startTime: 0, endTime: 20, title: 'Intro', img: 'https://x.org/i.jpg' },
      { startTime: 20, endTime: 60, title: 'News' },
      { startTime: 20, endTime: 28, title: 'Opening', img: 'https://x.org/f1.jpg', toc: false },
      { startTime: 30, endTime: 38, title: 'Late', img: 'https://x.org/f2.jpg', toc: false },
    ]);
  });
});
