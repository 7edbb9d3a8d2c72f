import { describe, expect, it } from 'vitest';
import { ShowSchema, type ShowInput } from '../../../src/config/show-schema.js';
import { EpisodeSchema } from '../../../src/config/episode-schema.js';
import type { EpisodeContext, ShowContext } from '../../../src/config/load-show.js';
import { feedLintRule, soundbiteProblems } from '../../../src/feed/lint-feed.js';

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

describe('namespace lint', () => {
  it('errors on an http enclosure prefix and on txt values and names over the namespace limits', async () => {
    const problems = await feedLintRule(
      ctx({
        feed: { enclosurePrefix: 'http://op3.dev/e/' },
        podcast: { txt: [{ value: 'x'.repeat(4001), purpose: 'p'.repeat(129) }, { value: 'é'.repeat(4000) }], seasons: { '2': 's'.repeat(129) }, updateFrequency: { rrule: 'FREQ=WEEKLY', text: 'Weekly' } },
      }),
      undefined,
    );
    expect(problems.map((p) => `${p.severity}:${p.code}:${p.path}`)).toEqual([
      'error:feed-enclosure-prefix:feed.enclosurePrefix',
      'error:feed-txt-length:podcast.txt[0].value',
      'error:feed-txt-length:podcast.txt[0].purpose',
      'error:feed-name-length:podcast.seasons.2',
    ]);
    // Characters, not bytes: 4000 two-byte characters are within the limit (txt[1] passed).
    expect(problems[1]?.message).toContain('4001 characters');
  });

  it('passes an https prefix and values at the limits', async () => {
    expect(await codes(ctx({ feed: { enclosurePrefix: 'https://op3.dev/e/' }, podcast: { txt: [{ value: 'v'.repeat(4000), purpose: 'p'.repeat(128) }] } }))).toEqual([]);
  });
});

describe('soundbite lint', () => {
  const sb = (start: number, duration: number) => ({ start, duration });
  it('errors on a soundbite past the end of the built episode and warns outside 15–120 s', () => {
    const problems = soundbiteProblems([sb(10, 30), sb(590, 20), sb(0, 5), sb(100, 121)], 600, 'episodes/x/episode.yaml');
    expect(problems.map((p) => `${p.severity}:${p.code}:${p.path}`)).toEqual([
      'error:feed-soundbite-outside:soundbites[1]',
      'warning:feed-soundbite-length:soundbites[2].duration',
      'warning:feed-soundbite-length:soundbites[3].duration',
    ]);
    expect(problems[0]?.message).toBe('590–610 s runs past the end of the episode (600 s)');
  });
  it('cannot judge the end before the episode is built, but still the length', () => {
    expect(soundbiteProblems([sb(5000, 30), sb(0, 3)], undefined, 'f').map((p) => p.code)).toEqual(['feed-soundbite-length']);
  });
});
