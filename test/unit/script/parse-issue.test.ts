import { describe, expect, it } from 'vitest';
import { CHROME_RULES, chromeRuleFor } from '../../../src/script/chrome-rules.js';
import { isPlainHeading, looksLikeMarkdown, outlineIssue } from '../../../src/script/parse-issue.js';
import { slugSectionId } from '../../../src/script/slug-section-id.js';
import { spokenBlocks } from '../../../src/script/spoken-blocks.js';
import { buildScript } from '../../../src/script/build-script.js';
import { readIssueText } from '../../../src/core/issue-text.js';
import { SETTINGS } from './settings.js';

const speak = (md: string): string[] => spokenBlocks(outlineIssue(md).opening, { urls: 'drop' }).paragraphs;

describe('plain-text heading detector', () => {
  it.each([
    ['Superpositions & Transformers', 'In a recent Anthropic paper, the authors find that overfitting corresponds to neurons.', true],
    ['Other research news', 'In other news…', true],
    ['Opportunities', 'For this week’s opportunities, the website will help us:', true],
    ['In other news…', 'Opportunities', false],
    ['Watch this week’s MLAISU on YouTube.', 'Superpositions', false],
    ['- a list item', 'Some prose follows here.', false],
    ['A short line', 'Another short line', false],
    ['Last line', undefined, false],
  ])('%j before %j → %s', (line, next, expected) => expect(isPlainHeading(line, next)).toBe(expected));

  it('tells markdown from a plain paste', () => {
    expect(looksLikeMarkdown('## Heading\n\ntext')).toBe(true);
    expect(looksLikeMarkdown('See [this](https://x.org).')).toBe(true);
    expect(looksLikeMarkdown('Superpositions & Transformers\nIn a recent paper, a $2 / hour wage.')).toBe(false);
  });

  it('takes a lone markdown H1 as the title and H2s as sections', () => {
    const o = outlineIssue('# Issue 12\n\nHello.\n\n## A\n\nText.\n\n### Sub\n\nMore.\n\n## B\n\nText.');
    expect(o.title).toBe('Issue 12');
    expect(o.sections.map((s) => s.title)).toEqual(['A', 'B']);
    expect(o.sections[0]?.nodes.map((n) => n.type)).toEqual(['paragraph', 'heading', 'paragraph']);
  });

  it('uses H1s as sections when there are several', () => {
    expect(outlineIssue('# A\n\nText.\n\n# B\n\nText.').sections.map((s) => s.title)).toEqual(['A', 'B']);
  });
});

describe('markdown to spoken paragraphs', () => {
  it('reads nested lists item by item, as sentences', () => {
    expect(speak('- one thing\n  - a nested thing\n- two things')).toEqual(['one thing.', 'a nested thing.', 'two things.']);
  });
  it('turns tables, images and code into cues', () => {
    expect(speak('| A | B |\n|---|---|\n| 1 | 2 |\n\n![A chart](c.png)\n\n```js\nx()\n```')).toEqual([
      '[table in the show notes: 1 row, columns A, B]',
      '[image: A chart](c.png)',
      '[code (js) in the show notes]',
    ]);
  });
  it('drops footnote references and definitions, keeps link words', () => {
    expect(speak('Read [the paper](https://x.org/p)[^1] now.\n\n[^1]: A note.')).toEqual(['Read the paper now.']);
  });
  it('strips raw HTML and decodes entities; <img> becomes a cue', () => {
    expect(speak('A <b>bold</b> move &amp; more<br>here. <img src="x.png" alt="Logo">')).toEqual(['A bold move and more here.', '[image: Logo](x.png)']);
  });
  it('removes emoji and keeps non-ASCII letters', () => {
    expect(speak('Zoë 🎉 met Jürgen 👋🏽 in Århus 🇩🇰.')).toEqual(['Zoë met Jürgen in Århus.']);
  });
  it('marks quotes with cues', () => {
    expect(speak('> Quoted words.')).toEqual(['[quote]', 'Quoted words.', '[end of quote]']);
  });
  it('ends a dangling colon as a sentence but keeps one that introduces a list', () => {
    expect(speak('Events this week:')).toEqual(['Events this week.']);
    expect(speak('Events this week:\n\n- a hackathon')).toEqual(['Events this week:', 'a hackathon.']);
  });
});

describe('chrome rules', () => {
  describe.each(CHROME_RULES.map((r) => [r.id, r] as const))('%s', (_id, rule) => {
    it.each(rule.drops)('drops %j', (p) => expect(chromeRuleFor(p)?.id).toBe(rule.id));
    it.each(rule.keeps)('keeps %j', (p) => expect(chromeRuleFor(p)).toBeUndefined());
  });
});

describe('section ids', () => {
  it('slugs headings to ASCII and keeps them unique', () => {
    const taken = new Set(['intro', 'outro']);
    expect(slugSectionId('Superpositions & Transformers', taken)).toBe('superpositions-transformers');
    expect(slugSectionId('Café Ünïcode', taken)).toBe('cafe-unicode');
    expect(slugSectionId('Intro', taken)).toBe('intro-2');
    expect(slugSectionId('日本語', taken, 'section-3')).toBe('section-3');
  });
  it('gives repeated headings distinct ids', () => {
    const build = buildScript('## News\n\nOne.\n\n## News\n\nTwo.', SETTINGS);
    expect(build.doc.sections.map((s) => s.id)).toEqual(['intro', 'news', 'news-2', 'outro']);
  });
});

describe('bad input', () => {
  it('refuses an empty issue and a binary file (core decoding)', () => {
    expect(() => readIssueText(new Uint8Array(), 'episodes/x/issue.md')).toThrow(/is empty/);
    expect(() => readIssueText(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 1]), 'episodes/x/issue.md')).toThrow(/binary file/);
  });
  it('refuses an issue with nothing to read aloud, naming the file', () => {
    expect(() => buildScript('![only](a.png)\n\nhttps://example.org\n\n```\ncode\n```', SETTINGS)).toThrow(/episodes\/2023-01-20-mlaisu\/issue.md has no text to read aloud/);
    expect(() => buildScript('Watch this week’s MLAISU on YouTube or listen to it on Spotify.', SETTINGS)).toThrow(/no text to read aloud/);
  });
});

describe('an issue without headings', () => {
  it('opens with its first paragraph and makes the rest one chapter named after the episode', () => {
    const build = buildScript('Hello and welcome.\n\nThe first story is about tools.\n\nThe second story is about data.', SETTINGS);
    expect(build.doc.sections.map((s) => [s.id, s.title])).toEqual([
      ['intro', 'Intro'],
      ['overfitting-in-superposition-and-a-compiler-for-transformers', SETTINGS.episodeTitle],
      ['outro', 'Outro'],
    ]);
    expect(build.doc.sections[1]?.paragraphs).toEqual(['The first story is about tools.', 'The second story is about data.']);
  });
});

describe('decorated headings', () => {
  it('reads emoji-prefixed plain headings and drops the emoji from titles and ids', () => {
    const build = buildScript('Hello and welcome to the issue.\n🚀 Opportunities\nThe new fellowship opens today, apply soon.\n', SETTINGS);
    expect(build.doc.sections.map((s) => [s.id, s.title])).toEqual([
      ['intro', 'Intro'],
      ['opportunities', 'Opportunities'],
      ['outro', 'Outro'],
    ]);
  });
  it('takes bold-only lines as headings in markdown without headings', () => {
    const o = outlineIssue('Hi there, this is the [issue](https://x.org).\n\n**Research**\n\nA paper came out.\n\n**Jobs**\n\nWe are hiring.');
    expect(o.sections.map((s) => s.title)).toEqual(['Research', 'Jobs']);
    expect(outlineIssue('## Real\n\n**Bold line**\n\ntext').sections.map((s) => s.title)).toEqual(['Real']);
  });
});

describe('intro and outro templates', () => {
  it('fills {show}, {title}, {number}, {date} and reads them aloud', () => {
    const build = buildScript('Hello.\n\n## A\n\nText.', { ...SETTINGS, intro: 'This is {show} number {number}: {title}, for {date}.' });
    expect(build.doc.sections[0]?.paragraphs[0]).toBe('This is ML and AI Safety Update number two: Overfitting in superposition and a compiler for Transformers, for January twentieth, twenty twenty-three.');
  });
  it('leaves out "episode {number}" when the episode has no number', () => {
    const build = buildScript('Hello.\n\n## A\n\nText.', { ...SETTINGS, episodeNumber: undefined });
    expect(build.doc.sections[0]?.paragraphs[0]).toBe('Welcome to ML and AI Safety Update.');
  });
});
