import { describe, expect, it } from 'vitest';
import { ShowSchema, type ShowInput } from '../../../src/config/show-schema.js';
import { EpisodeSchema } from '../../../src/config/episode-schema.js';
import type { EpisodeContext, ShowContext } from '../../../src/config/load-show.js';
import { feedLintRule } from '../../../src/feed/lint-feed.js';

const base: ShowInput = {
  title: 'Show',
  description: 'About',
  author: 'A',
  owner: { name: 'O', email: 'o@podcast.example' },
  language: 'en',
  categories: ['Technology'],
  cover: 'assets/cover.png',
  site: { baseUrl: 'https://podcast.example/' },
};

function ctx(show: Partial<ShowInput>, titles: string[] = [], description?: string): ShowContext {
  const episodes = titles.map((title, i) => ({ id: `2023-01-0${i + 1}-x`, config: EpisodeSchema.parse({ title, ...(description ? { description } : {}) }) }) as unknown as EpisodeContext);
  return { root: '/x', showFile: '/x/show.yaml', show: ShowSchema.parse({ ...base, ...show }), episodes, problems: [] };
}

const codes = async (c: ShowContext) => (await feedLintRule(c, undefined)).map((p) => `${p.severity}:${p.code}:${p.file}`);

describe('feed lint', () => {
  it('passes a clean show', async () => {
    expect(await codes(ctx({}, ['Superpositions and a compiler for Transformers', 'GPT-4 and the step 4 problem']))).toEqual([]);
  });

  it('errors on a description over 4000 bytes, naming file and field', async () => {
    const [p] = await feedLintRule(ctx({ description: "é".repeat(2001) }), undefined);
    expect(p).toMatchObject({ severity: 'error', code: 'feed-description-length', file: 'show.yaml', path: 'description' });
    expect(p?.message).toContain('4002 bytes');
    expect(p?.hint).toBeTruthy();
  });

  it('warns about episode numbers in titles and long episode descriptions', async () => {
    expect(await codes(ctx({}, ['Episode 12: Superposition', '#3 Compilers', 'Transformers, ep. 4'], 'x'.repeat(4001)))).toEqual([
      'warning:feed-title-number:episodes/2023-01-01-x/episode.yaml',
      'warning:feed-episode-description-length:episodes/2023-01-01-x/episode.yaml',
      'warning:feed-title-number:episodes/2023-01-02-x/episode.yaml',
      'warning:feed-episode-description-length:episodes/2023-01-02-x/episode.yaml',
      'warning:feed-title-number:episodes/2023-01-03-x/episode.yaml',
      'warning:feed-episode-description-length:episodes/2023-01-03-x/episode.yaml',
    ]);
  });

  it('errors when new-feed-url points at the feed itself', async () => {
    expect(await codes(ctx({ podcast: { newFeedUrl: 'https://podcast.example/feed.xml' } }))).toEqual(['error:feed-new-url-self:show.yaml']);
  });
});
