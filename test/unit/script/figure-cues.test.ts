import { describe, expect, it } from 'vitest';
import { figurePath, findFigureCues, isFigureLine, renderFigureCue } from '../../../src/script/figure-cues.js';
import { parseScriptMd } from '../../../src/script/read-script.js';
import { sniffImage } from '../../../src/script/fetch-figures.js';

describe('figure cues', () => {
  it('renders a cue a host can read, with the note as a comment that cannot end early', () => {
    expect(renderFigureCue({ alt: 'A [chart]\nof scores', target: 'visuals/figure-1.png' })).toBe('[image: A chart of scores](visuals/figure-1.png)');
    expect(renderFigureCue({ alt: '', target: 'https://x.org/a b(1).png' }, 'not downloaded: HTTP 404 --> oops')).toBe('[image](https://x.org/a%20b%281%29.png) <!-- not downloaded: HTTP 404 –> oops -->');
  });
  it('reads cues back, and tells a cue line from a sentence with a cue in it', () => {
    expect(findFigureCues('[image: Chart](visuals/figure-1.png) <!-- note -->')).toEqual([{ alt: 'Chart', target: 'visuals/figure-1.png' }]);
    expect(isFigureLine('[image: Chart](visuals/figure-1.png) <!-- note -->')).toBe(true);
    expect(isFigureLine('See [image: Chart](visuals/figure-1.png) here.')).toBe(false);
    expect(isFigureLine('[the paper](https://x.org)')).toBe(false);
    expect(isFigureLine('[image: a plain cue]')).toBe(false);
  });
  it('keeps figure paths inside the episode folder', () => {
    expect(figurePath('/show/episodes/e', 'visuals/figure-1.png')).toBe('/show/episodes/e/visuals/figure-1.png');
    expect(figurePath('/show/episodes/e', 'visuals/my%20chart.png')).toBe('/show/episodes/e/visuals/my chart.png');
    expect(figurePath('/show/episodes/e', '../other/visuals/x.png')).toBeUndefined();
    expect(figurePath('/show/episodes/e', 'visuals/../../x.png')).toBeUndefined();
    expect(figurePath('/show/episodes/e', '/etc/passwd')).toBeUndefined();
    expect(figurePath('/show/episodes/e', '%2Fetc%2Fpasswd')).toBeUndefined();
  });
  it('sniffs the four image types by their magic numbers, and nothing else', () => {
    expect(sniffImage(Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'))).toBe('png');
    expect(sniffImage(Buffer.from('ffd8ffe000104a464946', 'hex'))).toBe('jpg');
    expect(sniffImage(Buffer.from('GIF89a\x01\x00', 'latin1'))).toBe('gif');
    expect(sniffImage(Buffer.from('RIFF\x24\x00\x00\x00WEBPVP8 ', 'latin1'))).toBe('webp');
    expect(sniffImage(Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt ', 'latin1'))).toBeUndefined();
    expect(sniffImage(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeUndefined();
    expect(sniffImage(Buffer.from('<html>'))).toBeUndefined();
    expect(sniffImage(new Uint8Array())).toBeUndefined();
  });
});

describe('script.md with figure cues', () => {
  const text = [
    '## News {#news}',
    '',
    'First sentence. Second sentence.',
    '[image: Chart](visuals/figure-1.png)',
    'Third sentence.',
    '',
    '[image: Photo](https://x.org/p.png) <!-- not downloaded: HTTP 404 -->',
    '',
    'Fourth sentence with [image: Inline](visuals/figure-3.png) a cue inside.',
    '',
    '## Next {#next}',
    '',
    '[image: First thing](visuals/figure-4.png)',
    '',
    'Only sentence.',
  ].join('\n');
  const doc = parseScriptMd(text, 'script.md');
  it('keeps the cues out of the spoken text and the word counts', () => {
    expect(doc.sections[0]?.paragraphs).toEqual(['First sentence. Second sentence.', 'Third sentence.', 'Fourth sentence with a cue inside.']);
    expect(doc.sections[0]?.words).toBe(12);
    expect(doc.sections.map((s) => s.text).join(' ')).not.toMatch(/image|figure|http|downloaded/);
  });
  it('records where each figure stands (after how many spoken paragraphs) and its line', () => {
    expect(doc.sections[0]?.figures).toEqual([
      { alt: 'Chart', target: 'visuals/figure-1.png', line: 4, afterParagraphs: 1 },
      { alt: 'Photo', target: 'https://x.org/p.png', line: 7, afterParagraphs: 2 },
      { alt: 'Inline', target: 'visuals/figure-3.png', line: 9, afterParagraphs: 3 },
    ]);
    expect(doc.sections[1]?.figures).toEqual([{ alt: 'First thing', target: 'visuals/figure-4.png', line: 13, afterParagraphs: 0 }]);
  });
  it('counts lines from the top of the file, header included', () => {
    const withHeader = `<!-- castline script\nepisode: e\n-->\n\n${text}`;
    expect(parseScriptMd(withHeader, 'script.md').sections[0]?.figures?.[0]?.line).toBe(8);
  });
  it('a section with only figure cues has nothing to read aloud', () => {
    expect(() => parseScriptMd('## A {#a}\n\n[image: x](visuals/x.png)\n', 'script.md')).toThrow(/nothing to read aloud/);
  });
});
