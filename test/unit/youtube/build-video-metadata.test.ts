import { describe, expect, it } from 'vitest';
import { ShowSchema } from '../../../src/config/show-schema.js';
import { EpisodeSchema } from '../../../src/config/episode-schema.js';
import { buildVideoMetadata, fitTags, youtubeChapterLines, youtubeSafeText } from '../../../src/youtube/build-video-metadata.js';
import { formatTimestamp } from '../../../src/core/clock.js';

const show = ShowSchema.parse({
  title: 'Show', description: 'A show.', author: 'A', owner: { name: 'O', email: 'o@example.org' }, language: 'en-us',
  categories: ['Technology'], cover: 'cover.png', site: { baseUrl: 'https://example.org/show' },
  youtube: { madeForKids: false, tags: ['AI safety', 'research'], categoryId: '27', privacy: 'unlisted' },
  links: { spotify: 'https://open.spotify.com/show/x', apple: 'https://podcasts.apple.com/x' },
});
const chapter = (title: string, startTime: number) => ({ id: title.toLowerCase(), title, startTime, endTime: startTime + 10 });
const chapters = [chapter('Intro', 0), chapter('News', 30), chapter('Outro', 90)];
const input = (episode: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  show, episodeId: '2023-01-20-x', episode: EpisodeSchema.parse({ title: 'Episode', ...episode }), chapters, durationSeconds: 120, notesText: 'Notes here.', marker: 'castline:guid-1', ...extra,
});

describe('buildVideoMetadata', () => {
  it('puts corrections first (newest first), then notes, chapters, podcast links and the marker', () => {
    const m = buildVideoMetadata(input({ corrections: [{ date: '2023-01-21', text: 'First fix.' }, { date: '2023-01-28', text: 'Second\nfix.' }] }));
    const d = m.resource.snippet.description;
    expect(d.indexOf('CORRECTION (2023-01-28): Second fix.')).toBe(0);
    expect(d.indexOf('CORRECTION (2023-01-21)')).toBeLessThan(d.indexOf('Notes here.'));
    expect(d).toContain('Chapters:\n0:00 Intro\n0:30 News\n1:30 Outro');
    expect(d).toContain('Podcast RSS: https://example.org/show/feed.xml');
    expect(d).toContain('Spotify: https://open.spotify.com/show/x');
    expect(d).toContain('Episode page and transcript: https://example.org/show/episodes/2023-01-20-x/');
    expect(d.trimEnd().endsWith('[castline:guid-1]')).toBe(true);
    expect(m.resource.snippet).toMatchObject({ categoryId: '27', defaultLanguage: 'en', defaultAudioLanguage: 'en', tags: ['AI safety', 'research'] });
    expect(m.resource.status).toEqual({ privacyStatus: 'unlisted', selfDeclaredMadeForKids: false });
  });

  it('keeps the title ≤ 100 characters without < or >, and the description ≤ 5000 bytes keeping links and marker', () => {
    const m = buildVideoMetadata(input({ title: `${'<ß>'.repeat(60)}` }, { notesText: 'ü'.repeat(6000) }));
    expect([...m.resource.snippet.title].length).toBeLessThanOrEqual(100);
    expect(m.resource.snippet.title).not.toMatch(/[<>]/);
    const d = m.resource.snippet.description;
    expect(Buffer.byteLength(d)).toBeLessThanOrEqual(5000);
    expect(d).toContain('[castline:guid-1]');
    expect(d).toContain('Chapters:');
    expect(m.notes.join(' ')).toMatch(/shortened/);
  });

  it('publishAt forces private and is sent as ISO 8601', () => {
    const m = buildVideoMetadata(input({ youtube: { publishAt: '2030-01-01T09:00:00+01:00', privacy: 'public' } }));
    expect(m.resource.status).toMatchObject({ privacyStatus: 'private', publishAt: '2030-01-01T08:00:00.000Z' });
  });
});

describe('YouTube chapter rules', () => {
  it('accepts ≥ 3 ascending chapters from 0:00, each ≥ 10 s', () => {
    expect(youtubeChapterLines(chapters, 120).lines).toHaveLength(3);
  });
  it.each([
    ['two chapters', [chapter('A', 0), chapter('B', 30)], /at least 3/],
    ['not from 0:00', [chapter('A', 5), chapter('B', 30), chapter('C', 60)], /0:00/],
    ['too few left after folding short ones', [chapter('A', 0), chapter('B', 30), chapter('C', 35)], /at least 3 chapters of 10 s/],
    ['out of order', [chapter('A', 0), chapter('B', 60), chapter('C', 30)], /does not start after/],
  ])('omits them with %s', (_label, list, reason) => {
    const r = youtubeChapterLines(list, 120);
    expect(r.lines).toBeUndefined();
    expect(r.reason).toMatch(reason);
  });
  it('folds a chapter under 10 s into the one before (a short outro, a short middle one)', () => {
    const r = youtubeChapterLines([chapter('A', 0), chapter('B', 30), chapter('Quick', 60), chapter('C', 65), chapter('Outro', 115)], 120);
    expect(r.lines).toEqual(['0:00 A', '0:30 B', '1:05 C']);
    expect(r.merged).toEqual(['Quick', 'Outro']);
  });
  it('formats timestamps as YouTube reads them', () => {
    expect([0, 59.9, 61, 3600, 3725].map(formatTimestamp)).toEqual(['0:00', '0:59', '1:01', '1:00:00', '1:02:05']);
  });
});

describe('tags and text', () => {
  it('fits tags into 500 characters, counting commas and quotes around spaced tags', () => {
    const tags = Array.from({ length: 60 }, (_, i) => `tag number ${i}`);
    const r = fitTags(tags);
    const used = r.tags.reduce((n, t) => n + t.length + 2, 0) + r.tags.length - 1;
    expect(used).toBeLessThanOrEqual(500);
    expect(r.dropped.length).toBeGreaterThan(0);
    expect(fitTags(['a', 'a', '<b>']).tags).toEqual(['a', '‹b›']);
  });
  it('replaces < and > and strips control characters', () => {
    expect(youtubeSafeText('a <b> \u0007c\n')).toBe('a ‹b› c\n');
  });
});
