import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ShowSchema } from '../../../src/config/show-schema.js';
import { EpisodeSchema, isRealDate } from '../../../src/config/episode-schema.js';

const exampleShow = parse(readFileSync(new URL('../../../show.yaml', import.meta.url), 'utf8')) as Record<string, unknown>;
const messages = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }): string[] =>
  r.success ? [] : (r.error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);

describe('ShowSchema', () => {
  it('accepts the example show.yaml and fills defaults', () => {
    const show = ShowSchema.parse(exampleShow);
    expect(show.site.baseUrl).toBe('https://example.org/mlaisu/');
    expect(show.categories[0]).toEqual({ category: 'Technology', subcategory: undefined });
    expect(show.audio.crossfade).toBe(1.5);
    expect(show.deploy.target).toBe('local');
  });

  it('normalizes the base URL and language', () => {
    const show = ShowSchema.parse({ ...exampleShow, language: 'en-US', site: { baseUrl: 'https://example.org/pod' } });
    expect(show.site.baseUrl).toBe('https://example.org/pod/');
    expect(show.language).toBe('en-us');
  });

  it.each([
    ['site', { baseUrl: 'http://example.org/' }, 'site.baseUrl: must start with https:// (Apple and Spotify require HTTPS)'],
    ['language', 'english', 'language: must be an ISO 639-1 code with an optional region, like "en" or "en-us"'],
    ['categories', ['Technolgy'], 'categories.0: "Technolgy" is not an Apple Podcasts category'],
    ['categories', [{ category: 'Science', subcategory: 'Cooking' }], 'categories.0: "Cooking" is not a subcategory of "Science"'],
    ['categories', [], 'categories: needs at least one Apple Podcasts category'],
    ['cover', '../cover.png', 'cover: must be a path inside the show folder (relative, no "..")'],
    ['cover', '/etc/cover.png', 'cover: must be a path inside the show folder (relative, no "..")'],
    ['owner', { name: 'A', email: 'a@' }, 'owner.email: must be an email address (Spotify sends the claim code there)'],
  ])('rejects a bad %s', (key, value, message) => {
    expect(messages(ShowSchema.safeParse({ ...exampleShow, [key]: value }))).toEqual([message]);
  });

  it('requires youtube.madeForKids when youtube is set', () => {
    const youtube = { ...(exampleShow['youtube'] as object), madeForKids: undefined };
    expect(messages(ShowSchema.safeParse({ ...exampleShow, youtube }))).toEqual([
      'youtube.madeForKids: is required: say whether the videos are made for kids (true or false), as YouTube requires',
    ]);
  });
});

describe('EpisodeSchema', () => {
  it('accepts a minimal episode and fills defaults', () => {
    expect(EpisodeSchema.parse({ title: 'T' })).toMatchObject({ episodeType: 'full', time: '09:00', timezone: 'UTC', visuals: {}, corrections: [], youtube: { skip: false } });
  });

  it.each([
    [{ date: '2023-02-30' }, 'date: is not a real calendar date'],
    [{ date: '20.01.2023' }, 'date: must be a date written YYYY-MM-DD'],
    [{ time: '9am' }, 'time: must be a time written HH:MM (24-hour)'],
    [{ timezone: 'Mars/Olympus' }, 'timezone: must be an IANA time zone like "UTC" or "Europe/Copenhagen"'],
    [{ number: 0 }, 'number: Too small: expected number to be >0'],
    [{ visuals: { intro: '../../secret.png' } }, 'visuals.intro: must be a path inside the show folder (relative, no "..")'],
    [{ corrections: [{ date: '2023-01-20', text: '' }] }, 'corrections.0.text: must not be empty'],
  ])('rejects %j', (patch, message) => {
    expect(messages(EpisodeSchema.safeParse({ title: 'T', ...patch }))).toEqual([message]);
  });
});

describe('isRealDate', () => {
  it.each([
    ['2024-02-29', true],
    ['2023-02-29', false],
    ['2023-02-30', false],
    ['2023-13-01', false],
    ['2023-04-31', false],
    ['2023-12-31', true],
    ['2023-1-5', false],
  ])('%s → %s', (s, ok) => expect(isRealDate(s)).toBe(ok));
});
