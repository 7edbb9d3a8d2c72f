import { describe, expect, it } from 'vitest';
import { ShowSchema } from '../../../src/config/show-schema.js';
import { EpisodeSchema } from '../../../src/config/episode-schema.js';
import { planPublication } from '../../../src/publication/plan-publication.js';
import { renderEpisodePage, renderIndexPage } from '../../../src/site/render-pages.js';
import { vttToText } from '../../../src/site/vtt-text.js';
import { EpisodeBuildSchema, type EpisodeBuild } from '../../../src/records/build-record.js';

const HOSTILE = '<script>alert("x")</script> & \'q\' \u0007';

const show = ShowSchema.parse({
  title: `Show ${HOSTILE}`,
  description: `About ${HOSTILE}`,
  author: 'A',
  owner: { name: 'O', email: 'o@podcast.example' },
  language: 'de',
  categories: ['Technology'],
  cover: 'assets/cover.png',
  site: { baseUrl: 'https://podcast.example/show/' },
  links: { spotify: 'https://open.spotify.com/show/x?a=1&b="2"', youtube: 'https://www.youtube.com/@x' },
});
const build: EpisodeBuild = EpisodeBuildSchema.parse({
  id: '2023-01-20-x',
  builtAt: '',
  durationSeconds: 3725,
  outputs: { mp3: { path: 'dist/episodes/2023-01-20-x/2023-01-20-x.mp3', bytes: 10, sha256: '' }, vtt: { path: 'dist/episodes/2023-01-20-x/transcript.vtt', bytes: 1, sha256: '' } },
  chapters: [
    { id: 'a', title: `Intro ${HOSTILE}`, startTime: 0, endTime: 65.5 },
    { id: 'b', title: 'Part two', startTime: 65.5, endTime: 3725 },
  ],
  chaptersEstimated: false,
  loudness: { target: -16, truePeakTarget: -1 },
});
const plan = planPublication(
  show,
  [{ id: build.id, folderDate: '2023-01-20', config: EpisodeSchema.parse({ title: `Title ${HOSTILE}`, number: 7, corrections: [{ date: '2023-01-22', text: `Fix ${HOSTILE}` }] }), build, guid: 'g', videoId: 'vid"1', notes: undefined }],
  { now: new Date('2024-01-01T00:00:00Z'), podcastGuid: 'p', ledgerCreatedAt: '2023-01-01T00:00:00Z', coverDistPath: 'cover.png' },
);
const item = plan.items[0]!;
const page = renderEpisodePage(plan, item, { transcript: ['Hello <there> & you.'] }).html;
const index = renderIndexPage(plan, 'cover.png').html;

describe('site pages', () => {
  it('escape every text from YAML and notes', () => {
    for (const html of [page, index]) {
      expect(html).not.toContain('<script>alert');
      expect(html).not.toContain('\u0007');
      expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;');
    }
    expect(index).toContain('href="https://open.spotify.com/show/x?a=1&amp;b=&quot;2&quot;"');
    expect(page).toContain('href="https://www.youtube.com/watch?v=vid%221"');
    expect(page).toContain('<p>Hello &lt;there&gt; &amp; you.</p>');
  });

  it('declare the language, one h1, and label the player and landmarks', () => {
    for (const html of [page, index]) {
      expect(html).toMatch(/^<!doctype html>\n<html lang="de">/);
      expect(html.match(/<h1>/g)).toHaveLength(1);
      expect(html).toContain('<main id="main">');
      expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    }
    expect(index).toMatch(/<img src="cover.png" alt="Cover art of Show [^"]+"/);
    expect(index).toContain('<nav class="subscribe" aria-label="Subscribe">');
    expect(page).toContain('<audio id="player" controls preload="metadata" src="2023-01-20-x.mp3" aria-label="Play Title');
    expect(page).toContain('<track kind="captions" src="transcript.vtt" srclang="de" label="Transcript" default>');
  });

  it('link pages relatively, load only local assets, and seek by chapter', () => {
    expect(page).toContain('<link rel="stylesheet" href="../../castline.css">');
    expect(page).toContain('<script src="../../castline.js" defer></script>');
    expect(page).toContain('<link rel="canonical" href="https://podcast.example/show/episodes/2023-01-20-x/">');
    expect(page).toContain('<button type="button" data-start="65.5"><span class="time">1:05</span> <span>Part two</span></button>');
    expect(page).toMatch(/· 1:02:05 · Episode 7/);
    expect(index).toContain('<a href="episodes/2023-01-20-x/">');
    // Absolute URLs appear only in links (a, canonical), never as what a page loads.
    for (const html of [page, index]) {
      const loaded = [...html.matchAll(/<(?:script|img|audio|track|source|link rel="stylesheet")[^>]*\b(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
      expect(loaded.length).toBeGreaterThan(0);
      expect(loaded.filter((u) => /^(https?:)?\/\//.test(u))).toEqual([]);
    }
  });

  it('show the correction first, dated', () => {
    expect(page.indexOf('class="correction"')).toBeLessThan(page.indexOf('<audio'));
    expect(page).toContain('<time datetime="2023-01-22">22. Januar 2023</time>: Fix &lt;script&gt;');
  });
});

describe('vttToText', () => {
  it('keeps cue text only, in order', () => {
    const vtt = 'WEBVTT\n\nNOTE a comment\n\n1\n00:00:00.000 --> 00:00:01.000 align:start\n<v Host>Hello &amp; <i>welcome</i></v>\n\n00:00:01.000 --> 00:00:02.000\nline one\nline two\n';
    expect(vttToText(vtt)).toEqual(['Hello & welcome', 'line one line two']);
  });
});

describe('chapter pictures on the episode page', () => {
  const withImages = EpisodeBuildSchema.parse({ ...build, chapterImages: [{ chapterId: 'b', path: 'dist/episodes/2023-01-20-x/chapters/b.jpg', bytes: 1, sha256: '' }] });
  const p = planPublication(show, [{ id: build.id, folderDate: '2023-01-20', config: EpisodeSchema.parse({ title: 'T' }), build: withImages, guid: 'g', videoId: undefined, notes: undefined }], {
    now: new Date('2024-01-01T00:00:00Z'),
    podcastGuid: 'p',
    ledgerCreatedAt: '2023-01-01T00:00:00Z',
    coverDistPath: 'cover.png',
  });
  const html = renderEpisodePage(p, p.items[0]!).html;
  it('shows a chapter\'s picture, relative to the page, only for the chapter that has one', () => {
    expect(html).toContain('<li><button type="button" data-start="65.5"><img src="chapters/b.jpg" alt="" width="128" height="72" loading="lazy"> <span class="time">');
    expect(html.match(/<img src="chapters\//g)).toHaveLength(1);
  });
  it('shows no video player without an MP4', () => {
    expect(html).not.toContain('<video');
  });
});
