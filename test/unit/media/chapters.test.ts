import { describe, expect, it } from 'vitest';
import { chaptersFromLabels, chaptersFromTakes, estimateChapters, parseAudacityLabels, toFfmetadata, toJsonChapters } from '../../../src/media/chapters.js';

const sections = [
  { id: 'intro', title: 'Welcome', words: 20 },
  { id: 'news', title: 'Other research news', words: 60 },
  { id: 'outro', title: 'Goodbye', words: 20 },
];

describe('parseAudacityLabels', () => {
  it('reads start, end and text; skips spectral lines; accepts decimal commas; sorts', () => {
    const text = '12,5\t12,5\tnews\n\\\t100.0\t2000.0\n0.000000\t0.000000\tintro\n40\t41\tOutro bits\n';
    expect(parseAudacityLabels(text, 'audio/labels.txt')).toEqual([
      { start: 0, end: 0, text: 'intro' },
      { start: 12.5, end: 12.5, text: 'news' },
      { start: 40, end: 41, text: 'Outro bits' },
    ]);
  });
  it('names the file and line of a malformed label', () => {
    expect(() => parseAudacityLabels('0\t0\tintro\nabc\tdef\n', 'episodes/x/audio/labels.txt')).toThrow(/episodes\/x\/audio\/labels\.txt line 2 is not an Audacity label/);
    expect(() => parseAudacityLabels('\n', 'l.txt')).toThrow(/has no labels/);
  });
});

describe('chapters', () => {
  it('from labels: section titles for labels naming a section, the label text otherwise, first at 0', () => {
    const ch = chaptersFromLabels([{ start: 0.4, end: 0.4, text: 'intro' }, { start: 10, end: 10, text: 'Other research news' }, { start: 30, end: 30, text: 'Bonus: Q&A' }], sections, 45, 2);
    expect(ch).toEqual([
      { id: 'intro', title: 'Welcome', startTime: 0, endTime: 12 },
      { id: 'news', title: 'Other research news', startTime: 12, endTime: 32 },
      { id: 'bonus-q-a', title: 'Bonus: Q&A', startTime: 32, endTime: 45 },
    ]);
  });
  it('from takes: back to back after the intro music offset', () => {
    const ch = chaptersFromTakes(sections.map((s, i) => ({ section: s, duration: [5, 10, 4][i] ?? 0 })), 21.5, 2.5);
    expect(ch.map((c) => [c.startTime, c.endTime])).toEqual([
      [0, 7.5],
      [7.5, 17.5],
      [17.5, 21.5],
    ]);
  });
  it('estimated: word counts scaled to the length, snapped to the nearest long pause', () => {
    // 100 words over 100 s: raw boundaries at 20 s and 80 s; pauses near both, and a short one ignored.
    const silences = [
      { start: 18, end: 19.5 },
      { start: 21, end: 21.2 },
      { start: 83, end: 84 },
      { start: 50, end: 52 },
    ];
    const ch = estimateChapters(sections, { start: 0, end: 100 }, silences, 100);
    expect(ch.map((c) => c.startTime)).toEqual([0, 19.25, 83.75]);
    expect(ch.at(-1)?.endTime).toBe(100);
  });
  it('estimated: keeps the raw estimate when no pause is near, and stays strictly ordered', () => {
    const ch = estimateChapters(sections, { start: 0, end: 100 }, [{ start: 50, end: 51 }], 100);
    expect(ch.map((c) => c.startTime)).toEqual([0, 20, 80]);
    const tiny = estimateChapters([...sections, { id: 'x', title: 'X', words: 0 }], { start: 0, end: 3 }, [], 3);
    for (let i = 1; i < tiny.length; i++) expect(tiny[i]?.startTime).toBeGreaterThan(tiny[i - 1]?.startTime ?? 0);
  });
});

describe('chapter formats', () => {
  const ch = [
    { id: 'a', title: 'It\'s 100% "x": a\\b;c [d] ,e\n= #', startTime: 0, endTime: 1.5 },
    { id: 'b', title: 'B', startTime: 1.5, endTime: 3 },
  ];
  it('Podcasting 2.0 JSON chapters', () => {
    expect(toJsonChapters(ch)).toEqual({ version: '1.2.0', chapters: [{ startTime: 0, endTime: 1.5, title: ch[0]?.title }, { startTime: 1.5, endTime: 3, title: 'B' }] });
  });
  it('ffmetadata with escaped titles and millisecond chapters', () => {
    expect(toFfmetadata({ title: 'T=1' }, ch)).toBe(
      ';FFMETADATA1\ntitle=T\\=1\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=1500\ntitle=It\'s 100% "x": a\\\\b\\;c [d] ,e\\\n\\= \\#\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=1500\nEND=3000\ntitle=B\n',
    );
  });
});
