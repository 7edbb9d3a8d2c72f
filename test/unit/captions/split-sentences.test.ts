import { describe, expect, it } from 'vitest';
import { breakLines, countSyllables, fitsCue, splitClauses, splitCueText, splitSentences, stripHostCues } from '../../../src/captions/split-sentences.js';

describe('splitSentences', () => {
  it('splits at sentence ends and paragraph breaks', () => {
    expect(splitSentences('Welcome back. This is week three!\n\nIs it? Yes.')).toEqual(['Welcome back.', 'This is week three!', 'Is it?', 'Yes.']);
  });

  it('keeps abbreviations, initials and decimals inside a sentence', () => {
    expect(splitSentences('Dr. Smith and J. Doe wrote it, e.g. In March. Version 2.5 is out.')).toEqual(['Dr. Smith and J. Doe wrote it, e.g. In March.', 'Version 2.5 is out.']);
  });

  it('leaves out host cues in brackets', () => {
    expect(splitSentences('[pause] Hello there. [smile] [music up]\n\nBye.')).toEqual(['Hello there.', 'Bye.']);
    expect(stripHostCues('a [b] c')).toBe('a   c');
  });

  it('closes quotes with their sentence', () => {
    expect(splitSentences('He said "stop." Then we left.')).toEqual(['He said "stop."', 'Then we left.']);
  });
});

describe('countSyllables', () => {
  it('approximates English syllables, acronyms letter by letter, commas as a pause', () => {
    expect(countSyllables('Welcome')).toBe(2);
    expect(countSyllables('the cat sat')).toBe(3);
    expect(countSyllables('AI')).toBe(2);
    expect(countSyllables('one, two')).toBe(3);
    expect(countSyllables('superposition')).toBe(5);
  });
});

describe('breakLines', () => {
  it('keeps short text on one line and balances two', () => {
    expect(breakLines('Short line.')).toEqual(['Short line.']);
    const lines = breakLines('A new paper studies how small transformers store more features than dims');
    expect(lines).toHaveLength(2);
    for (const l of lines!) expect(l.length).toBeLessThanOrEqual(42);
  });

  it('refuses text that cannot fit two lines', () => {
    expect(breakLines('word '.repeat(30))).toBeUndefined();
    expect(fitsCue('x'.repeat(43))).toBe(false);
  });
});

describe('splitCueText', () => {
  it('splits long sentences at clauses first, and every piece fits a cue', () => {
    const sentence = 'When inputs are sparse, features share directions, and interference becomes the price of capacity, which matters a great deal for interpretability research.';
    const parts = splitCueText(sentence);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.join(' ')).toBe(sentence);
    for (const p of parts) expect(fitsCue(p)).toBe(true);
    expect(parts[0]!.endsWith(',')).toBe(true);
  });

  it('falls back to word boundaries, and cuts a word longer than a line', () => {
    const long = 'word '.repeat(40).trim();
    const parts = splitCueText(long);
    expect(parts.join(' ')).toBe(long);
    for (const p of parts) expect(fitsCue(p)).toBe(true);
    const url = 'https://example.com/' + 'a'.repeat(100);
    expect(splitCueText(url).join('')).toBe(url);
    for (const p of splitCueText(url)) expect(p.length).toBeLessThanOrEqual(42);
  });

  it('finds clause boundaries at punctuation and conjunctions', () => {
    expect(splitClauses('one, two; three and four')).toEqual(['one,', 'two;', 'three', 'and four']);
  });
});

describe('line and cue breaks', () => {
  it('never end a line on an article or preposition when another break fits', () => {
    const lines = breakLines('the model learns features in the middle of the training run');
    expect(lines).toBeDefined();
    expect(lines![0]).not.toMatch(/\b(the|of|in)$/);
  });
});
