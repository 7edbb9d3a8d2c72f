import { describe, expect, it } from 'vitest';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ShowSchema, type ShowInput } from '../../../src/config/show-schema.js';
import { EpisodeSchema } from '../../../src/config/episode-schema.js';
import { chapterListHtml, planPublication, type EpisodePublicationInput } from '../../../src/publication/plan-publication.js';
import { buildFeedXml } from '../../../src/feed/build-feed-xml.js';
import { EpisodeBuildSchema, type EpisodeBuild } from '../../../src/records/build-record.js';
import { escapeHtml, byteLength } from '../../../src/core/clean-text.js';

const HOSTILE = 'Q&A <b> "x" ]]> \u0000\u0007\u000B\u001B\uFFFE end';

const baseShow: ShowInput = {
  title: `Show ${HOSTILE}`,
  description: `About ${HOSTILE}`,
  author: 'Apart <Research>',
  owner: { name: 'Ed & Co', email: 'podcast@example.org' },
  language: 'en',
  categories: ['Technology', { category: 'Science', subcategory: 'Natural Sciences' }],
  cover: 'assets/cover.png',
  site: { baseUrl: 'https://example.org/show' },
  podcast: { funding: [{ url: 'https://example.org/support', text: 'Support us' }], persons: [{ name: 'Host & Friend', role: 'host' }], newFeedUrl: 'https://new.example.org/feed.xml' },
};

function build(id: string, bytes = 12345): EpisodeBuild {
  // The schema fills the bookkeeping fields (input hashes, steps, warnings) with their defaults.
  return EpisodeBuildSchema.parse({
    id,
    builtAt: '2023-01-19T00:00:00Z',
    durationSeconds: 61.6,
    outputs: {
      mp3: { path: `dist/episodes/${id}/${id}.mp3`, bytes, sha256: 'x' },
      chapters: { path: `dist/episodes/${id}/chapters.json`, bytes: 1, sha256: 'x' },
      vtt: { path: `dist/episodes/${id}/transcript.vtt`, bytes: 1, sha256: 'x' },
      srt: { path: `dist/episodes/${id}/transcript.srt`, bytes: 1, sha256: 'x' },
    },
    chapters: [{ id: 'intro', title: 'Intro', startTime: 0, endTime: 61.6 }],
    chaptersEstimated: false,
    loudness: { target: -16, truePeakTarget: -1 },
  });
}

function episode(id: string, yaml: Record<string, unknown>, extra: Partial<EpisodePublicationInput> = {}): EpisodePublicationInput {
  return { id, folderDate: id.slice(0, 10), config: EpisodeSchema.parse(yaml), build: build(id), guid: `guid-${id}`, videoId: undefined, notes: undefined, ...extra };
}

const options = { now: new Date('2023-02-01T00:00:00Z'), podcastGuid: '917393e3-1b1e-5cef-ace4-edaa54e1f810', ledgerCreatedAt: '2023-01-01T00:00:00Z', coverDistPath: 'cover.png' };
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false });

describe('buildFeedXml', () => {
  const show = ShowSchema.parse(baseShow);
  const plan = planPublication(
    show,
    [
      episode('2023-01-13-a', { title: `Ep ${HOSTILE}`, number: 1, season: 2, corrections: [{ date: '2023-01-20', text: `Fixed ${HOSTILE}` }] }),
      episode('2023-01-20-b', { title: 'Second', number: 2, description: HOSTILE }, { videoId: 'abc_DEF-123' }),
    ],
    options,
  );
  const xml = buildFeedXml(plan);
  const doc = parser.parse(xml);
  const channel = doc.rss.channel;

  it('is well-formed XML with no forbidden characters, whatever the input', () => {
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/);
    expect(channel.title).toBe('Show Q&A <b> "x" ]]>  end');
    expect(channel.item[1].title).toBe('Ep Q&A <b> "x" ]]>  end');
    expect(channel.item[0].description).toContain(escapeHtml(HOSTILE));
  });

  it('writes the channel tags Apple, Spotify and Podcasting 2.0 read', () => {
    expect(channel['podcast:guid']).toBe(options.podcastGuid);
    expect(channel['podcast:locked']).toEqual({ '#text': 'yes', '@owner': 'podcast@example.org' });
    expect(channel['podcast:funding']).toEqual({ '#text': 'Support us', '@url': 'https://example.org/support' });
    expect(channel['podcast:person']).toEqual({ '#text': 'Host & Friend', '@role': 'host' });
    expect(channel['itunes:new-feed-url']).toBe('https://new.example.org/feed.xml');
    expect(channel['itunes:owner']).toEqual({ 'itunes:name': 'Ed & Co', 'itunes:email': 'podcast@example.org' });
    expect(channel['itunes:image']['@href']).toBe('https://example.org/show/cover.png');
    expect(channel.image.url).toBe('https://example.org/show/cover.png');
    expect(channel['itunes:category'][1]['@text']).toBe('Science');
    expect(channel['itunes:category'][1]['itunes:category']['@text']).toBe('Natural Sciences');
    expect(channel['itunes:explicit']).toBe('false');
    expect(channel['itunes:type']).toBe('episodic');
    expect(channel.language).toBe('en');
    expect(channel.lastBuildDate).toBe('Fri, 20 Jan 2023 09:00:00 GMT');
  });

  it('writes items newest first with every item tag', () => {
    const [newest, older] = channel.item;
    expect(newest.guid).toEqual({ '#text': 'guid-2023-01-20-b', '@isPermaLink': 'false' });
    expect(newest.pubDate).toBe('Fri, 20 Jan 2023 09:00:00 GMT');
    expect(newest.enclosure).toEqual({ '@url': 'https://example.org/show/episodes/2023-01-20-b/2023-01-20-b.mp3', '@length': '12345', '@type': 'audio/mpeg' });
    expect(newest['itunes:duration']).toBe('62');
    expect(newest['itunes:episode']).toBe('2');
    expect(newest['itunes:episodeType']).toBe('full');
    expect(older['itunes:season']).toBe('2');
    expect(newest['podcast:chapters']).toEqual({ '@url': 'https://example.org/show/episodes/2023-01-20-b/chapters.json', '@type': 'application/json+chapters' });
    expect(newest['podcast:transcript'][0]).toEqual({ '@url': 'https://example.org/show/episodes/2023-01-20-b/transcript.vtt', '@type': 'text/vtt', '@rel': 'captions' });
    expect(newest['podcast:transcript'][1]['@type']).toBe('application/x-subrip');
    expect(newest.link).toBe('https://example.org/show/episodes/2023-01-20-b/');
    expect(newest.description).toContain('https://www.youtube.com/watch?v=abc_DEF-123');
    expect(older.description).toMatch(/^<p>Correction \(January 20, 2023\): Fixed Q&amp;A &lt;b&gt;/);
  });

  it('keeps the description within 4000 bytes and only p/ol/ul/li/a', () => {
    const long = planPublication(show, [episode('2023-01-13-a', { title: 'Long', corrections: [{ date: '2023-01-20', text: 'x'.repeat(5000) }] })], options);
    expect(byteLength(long.items[0]!.descriptionHtml)).toBeLessThanOrEqual(4000);
    expect(long.items[0]!.descriptionHtml).toContain('https://example.org/show/episodes/2023-01-13-a/');
    for (const item of plan.items) {
      expect(byteLength(item.descriptionHtml)).toBeLessThanOrEqual(4000);
      const tags = [...item.descriptionHtml.matchAll(/<\/?([a-z0-9]+)/g)].map((m) => m[1]);
      expect(new Set(tags).size ? [...new Set(tags)].every((t) => ['p', 'ol', 'ul', 'li', 'a'].includes(t!)) : true).toBe(true);
    }
  });

  it('refuses an empty owner instead of writing an empty itunes:owner', () => {
    const bad = { ...plan, channel: { ...plan.channel, owner: { name: 'x', email: '' } } };
    expect(() => buildFeedXml(bad)).toThrow(/owner/);
  });

  it('orders and excludes by publication time, not by folder name', () => {
    const p = planPublication(
      show,
      [episode('2023-01-13-a', { title: 'A', date: '2023-01-25' }), episode('2023-01-20-b', { title: 'B' }), episode('2023-03-01-c', { title: 'C' }), { ...episode('2023-01-10-d', { title: 'D' }), build: undefined }],
      options,
    );
    expect(p.items.map((i) => i.id)).toEqual(['2023-01-13-a', '2023-01-20-b']);
    expect(p.excluded.map((e) => e.id)).toEqual(['2023-03-01-c', '2023-01-10-d']);
  });
});

describe('WebSub discovery (feed.websub.hub)', () => {
  it('names the hub and the feed itself as atom:link rel="hub" and rel="self" only when a hub is set', () => {
    const links = (input: ShowInput): Record<string, string>[] => {
      const channel = parser.parse(buildFeedXml(planPublication(ShowSchema.parse(input), [episode('2023-01-13-a', { title: 'A' })], options))).rss.channel;
      const l = channel['atom:link'];
      return Array.isArray(l) ? l : [l];
    };
    expect(links({ ...baseShow, feed: { websub: { hub: 'https://pubsubhubbub.appspot.com/' } } }).map((l) => [l['@rel'], l['@href']])).toEqual([
      ['self', 'https://example.org/show/feed.xml'],
      ['hub', 'https://pubsubhubbub.appspot.com/'],
    ]);
    expect(links(baseShow).map((l) => l['@rel'])).toEqual(['self']);
  });
});

describe('the video in the feed', () => {
  const withMp4 = (id: string): EpisodeBuild => ({ ...build(id), outputs: { ...build(id).outputs, mp4: { path: `dist/episodes/${id}/${id}.mp4`, bytes: 999, sha256: 'x' } } });
  const episodes = [episode('2023-01-13-a', { title: 'Audio only' }), episode('2023-01-20-b', { title: 'With video' }, { build: withMp4('2023-01-20-b') })];
  const feedOf = (feed: Record<string, unknown>) => parser.parse(buildFeedXml(planPublication(ShowSchema.parse({ ...baseShow, feed }), episodes, options))).rss.channel;

  it('offers the MP4 only on items that have one, and not at all with feed.video off', () => {
    const items = feedOf({}).item;
    expect(items[0]['podcast:alternateEnclosure'].map((a: Record<string, string>) => [a['@type'], a['@length'], a['@default']])).toEqual([
      ['audio/mpeg', '12345', 'true'],
      ['video/mp4', '999', undefined],
    ]);
    expect(items[1]['podcast:alternateEnclosure']).toBeUndefined();
    expect(feedOf({ video: 'off' }).item[0]['podcast:alternateEnclosure']).toBeUndefined();
  });

  it('puts the prefix before the MP3 and MP4 URLs without their https://, and nowhere else', () => {
    const item = feedOf({ enclosurePrefix: 'https://op3.dev/e' }).item[0];
    expect(item.enclosure['@url']).toBe('https://op3.dev/e/example.org/show/episodes/2023-01-20-b/2023-01-20-b.mp3');
    expect(item['podcast:alternateEnclosure'][1]['podcast:source']['@uri']).toBe('https://op3.dev/e/example.org/show/episodes/2023-01-20-b/2023-01-20-b.mp4');
    expect(item.link).toBe('https://example.org/show/episodes/2023-01-20-b/');
    expect(item['podcast:chapters']['@url']).toBe('https://example.org/show/episodes/2023-01-20-b/chapters.json');
  });
});

describe('the chapter list in the description (Apple: first at 00:00:00, at least three)', () => {
  const chapters = [
    { id: 'a', title: 'Intro & <hello>', startTime: 0, endTime: 65.5 },
    { id: 'b', title: 'Part two', startTime: 65.5, endTime: 3725.2 },
    { id: 'c', title: 'Part three', startTime: 3725.2, endTime: 4000 },
  ];
  it('lists HH:MM:SS stamps and escaped titles in order', () => {
    expect(chapterListHtml(chapters)).toBe('<p>Chapters:</p>\n<ul>\n<li>00:00:00 Intro &amp; &lt;hello&gt;</li>\n<li>00:01:05 Part two</li>\n<li>01:02:05 Part three</li>\n</ul>');
  });
  it('writes none for fewer than three chapters', () => {
    expect(chapterListHtml(chapters.slice(0, 2))).toBe('');
  });
  it('goes into the item description after the notes', () => {
    const b = EpisodeBuildSchema.parse({ ...build('2023-01-20-b'), chapters });
    const p = planPublication(ShowSchema.parse(baseShow), [episode('2023-01-20-b', { title: 'T' }, { build: b })], options);
    const description = parser.parse(buildFeedXml(p)).rss.channel.item.description as string;
    expect(description).toContain('<li>00:01:05 Part two</li>');
    expect(byteLength(description)).toBeLessThanOrEqual(4000);
  });
});
