import { describe, expect, it } from 'vitest';
import { SPEAK_RULES, makeSpeakable, speakUrl, tidySpoken } from '../../../src/script/speakable-rules.js';
import { integerWords, numberWords, ordinalWords, yearWords } from '../../../src/script/number-words.js';

// Each rule's documented examples run through the whole table, so the rule order is tested too.
describe.each(SPEAK_RULES.map((r) => [r.id, r] as const))('rule %s', (_id, rule) => {
  it.each(rule.examples)('drop: %s → %s', (written, spoken) => {
    expect(makeSpeakable(written, { urls: 'drop' })).toBe(spoken);
  });
  if (rule.speakExamples?.length) {
    it.each(rule.speakExamples)('speak: %s → %s', (written, spoken) => {
      expect(makeSpeakable(written, { urls: 'speak' })).toBe(spoken);
    });
  }
  if (rule.nearMisses?.length) {
    it.each(rule.nearMisses)('near miss: %s stays as written', (text) => {
      expect(makeSpeakable(text, { urls: 'drop' }, [rule])).toBe(tidySpoken(text));
    });
  }
  it('has at least one example and a description', () => {
    expect(rule.examples.length).toBeGreaterThan(0);
    expect(rule.description.length).toBeGreaterThan(10);
    // makeSpeakable reuses the pattern: it must replace every occurrence.
    expect(rule.pattern.flags).toContain('g');
  });
});

// The rules added for issue 17 (real newsletters) each carry near misses.
it.each(['inline-code', 'platform-metadata', 'read-or-listen-elsewhere', 'scientific-notation', 'count-times-name', 'product-code', 'numbered-abbreviation', 'day-month', 'units'])('rule %s has near misses', (id) => {
  expect(SPEAK_RULES.find((r) => r.id === id)?.nearMisses?.length).toBeGreaterThan(0);
});

describe('number words', () => {
  it.each([
    [0, 'zero'],
    [21, 'twenty-one'],
    [115, 'one hundred fifteen'],
    [1200, 'one thousand two hundred'],
    [40000, 'forty thousand'],
    [8_000_000, 'eight million'],
    [1_000_001, 'one million one'],
  ])('%d → %s', (n, words) => expect(integerWords(n)).toBe(words));
  it('reads decimals digit by digit', () => expect(numberWords('3.14')).toBe('three point one four'));
  it('reads years', () => {
    expect(yearWords(2023)).toBe('twenty twenty-three');
    expect(yearWords(2005)).toBe('two thousand five');
    expect(yearWords(1905)).toBe('nineteen oh five');
    expect(yearWords(1900)).toBe('nineteen hundred');
  });
  it('reads ordinals', () => {
    expect(ordinalWords(1)).toBe('first');
    expect(ordinalWords(12)).toBe('twelfth');
    expect(ordinalWords(20)).toBe('twentieth');
    expect(ordinalWords(103)).toBe('one hundred third');
  });
});

describe('urls', () => {
  it('speaks short paths and points long ones to the notes', () => {
    expect(speakUrl('ais.pub/mechint')).toBe('ais dot pub slash mechint');
    expect(speakUrl('https://www.example.org/a/very/long/path/that/nobody/reads')).toBe('example dot org, linked in the show notes');
  });
  it('never leaves an address in drop mode', () => {
    const out = makeSpeakable('Read https://example.org/x, example.org and www.example.com/page today.', { urls: 'drop' });
    expect(out).not.toMatch(/example|https?:|www\./);
  });
  it('leaves words with dots that are not addresses alone', () => {
    expect(makeSpeakable('Node.js and e.g. this', { urls: 'drop' })).toBe('Node.js and for example this');
  });
});
