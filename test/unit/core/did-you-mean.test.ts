import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance } from '../../../src/core/did-you-mean.js';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['', 'abc', 3],
    ['titel', 'title', 2],
    ['kitten', 'sitting', 3],
    ['same', 'same', 0],
  ])('%s → %s is %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe('didYouMean', () => {
  const keys = ['title', 'description', 'author', 'owner', 'language', 'categories'];

  it('suggests the closest key for a typo', () => {
    expect(didYouMean('titel', keys)).toBe('title');
    expect(didYouMean('langauge', keys)).toBe('language');
    expect(didYouMean('categores', keys)).toBe('categories');
  });

  it('ignores case but returns the candidate as spelt', () => {
    expect(didYouMean('technolgy', ['Technology', 'Science'])).toBe('Technology');
    expect(didYouMean('TITLE', keys)).toBe('title');
  });

  it('gives nothing when no candidate is close', () => {
    expect(didYouMean('podcastingplatform', keys)).toBeUndefined();
    expect(didYouMean('x', [])).toBeUndefined();
  });

  it('allows more edits for longer words, at least two', () => {
    expect(didYouMean('ab', ['abcd'])).toBe('abcd');
    expect(didYouMean('ab', ['abcde'])).toBeUndefined();
    expect(didYouMean('Natural Science', ['Natural Sciences', 'Nature'])).toBe('Natural Sciences');
  });
});
