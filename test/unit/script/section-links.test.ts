import { describe, expect, it } from 'vitest';
import { sectionLinks } from '../../../src/script/section-links.js';

const markdown = `Intro text without a link.

## Superpositions & Transformers

Anthropic [showed](https://transformer-circuits.pub/2023/toy-double-descent) how models memorise, and [more][ref].

### A sub-heading

[Not this one](https://example.org/sub)

## Other research news

A bare address: aisafety.training is open.

## Opportunities

Nothing linked here, and [a script link](javascript:alert(1)).

[ref]: https://example.org/ref
`;

describe('sectionLinks', () => {
  const chapters = [
    { id: 'intro', title: 'Intro' },
    { id: 'superpositions-transformers', title: 'Superpositions  &  transformers' },
    { id: 'other', title: 'Other research news' },
    { id: 'opportunities', title: 'Opportunities' },
  ];
  it('takes the first safe link under each chapter title, sub-headings included, bare addresses made https', () => {
    expect(sectionLinks({ markdown }, chapters)).toEqual({
      'superpositions-transformers': 'https://transformer-circuits.pub/2023/toy-double-descent',
      other: 'https://aisafety.training',
    });
  });
  it('resolves reference links and gives nothing to a section without one', () => {
    const md = '## A\n\nSee [the paper][p].\n\n## B\n\nNo links.\n\n[p]: https://arxiv.org/abs/1\n';
    expect(sectionLinks({ markdown: md }, [{ id: 'a', title: 'A' }, { id: 'b', title: 'B' }])).toEqual({ a: 'https://arxiv.org/abs/1' });
  });
});
