import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { parseFeed, type FeedObject } from 'podcast-partytime';
import { loadValidShow } from '../../../src/config/load-show.js';
import { writeFeedAndSite } from '../../../src/pipeline/write-feed-and-site.js';
import { createReporter } from '../../../src/core/reporter.js';
import { getBinaries } from '../../../src/media/ffmpeg/binaries.js';
import { requireTool } from '../../helpers/cli.js';
import { startServe } from '../../e2e/serve/start-serve.js';
import { makeBuiltShow, SECONDS, testNotes, VIDEO_SIZE } from './built-show.js';

/**
 * The Podcasting 2.0 tags castline writes, read back by Podcast Index's own parser
 * (podcast-partytime), xmllint and gPodder: the video as an alternate enclosure and as its own
 * feed, persons, soundbites, txt, podroll, medium, license, trailer, season names, the update
 * frequency, itunes:block and the analytics prefix.
 */
const quiet = createReporter({ quiet: true, stderr: { write: () => true } as unknown as NodeJS.WritableStream });
const hasXmllint = requireTool('xmllint');
const hasGpo = requireTool('gpo');
const NOW = new Date('2023-02-01T00:00:00Z');
const NEW = '2023-01-20-mlaisu';
const OLD = '2023-01-13-mlaisu';
const BASE = 'https://example.org/mlaisu/';

let show: { root: string; cleanup: () => Promise<void> };
let xml: string;
let videoXml: string;
let feed: FeedObject;
let videoFeed: FeedObject;

async function editYaml(path: string, edit: (doc: ReturnType<typeof parseDocument>) => void): Promise<void> {
  const doc = parseDocument(await readFile(path, 'utf8'));
  edit(doc);
  await writeFile(path, doc.toString());
}

async function writeFeeds(): Promise<void> {
  await writeFeedAndSite(await loadValidShow(show.root), { reporter: quiet, now: NOW, loadNotes: testNotes });
  xml = await readFile(join(show.root, 'dist/feed.xml'), 'utf8');
  videoXml = await readFile(join(show.root, 'dist/feed-video.xml'), 'utf8');
}

beforeAll(async () => {
  show = await makeBuiltShow({ video: true });
  await editYaml(join(show.root, 'show.yaml'), (doc) => {
    doc.setIn(['video', 'width'], VIDEO_SIZE.width);
    doc.setIn(['video', 'height'], VIDEO_SIZE.height);
    doc.setIn(['feed', 'videoFeed'], true);
    doc.setIn(['feed', 'enclosurePrefix'], 'https://op3.dev/e/');
    doc.setIn(['podcast', 'txt'], [{ value: 'S6lpp-7ZCn8-dZfGc-OoyaG', purpose: 'verify' }]);
    doc.setIn(['podcast', 'applePodcastsVerify'], '05124');
    doc.setIn(['podcast', 'license'], { identifier: 'CC-BY-4.0' });
    doc.setIn(['podcast', 'seasons'], { '1': 'Interpretability & <friends>' });
    doc.setIn(['podcast', 'podroll'], [{ feedGuid: '917393e3-1b1e-5cef-ace4-edaa54e1f810', feedUrl: 'https://feeds.podcastindex.org/pc20.xml', title: 'Podcasting 2.0' }]);
    doc.setIn(['podcast', 'updateFrequency'], { rrule: 'FREQ=WEEKLY;BYDAY=FR', text: 'Weekly, on Fridays' });
  });
  await editYaml(join(show.root, `episodes/${NEW}/episode.yaml`), (doc) => {
    doc.set('season', 1);
    doc.set('persons', [{ name: 'Esben Kran', role: 'guest', href: 'https://example.org/esben' }]);
    doc.set('soundbites', [{ start: 1.5, duration: 3, title: 'Superposition in one sentence' }]);
  });
  await editYaml(join(show.root, `episodes/${OLD}/episode.yaml`), (doc) => {
    doc.set('episodeType', 'trailer');
    doc.set('block', true);
  });
  // What `castline clip` records in build.json for a clip it made (the clip tests make real ones).
  const record = join(show.root, `dist/episodes/${OLD}/build.json`);
  const built = JSON.parse(await readFile(record, 'utf8')) as Record<string, unknown>;
  built['clips'] = [{ name: 'teaser', path: `dist/episodes/${OLD}/clips/teaser.mp4`, bytes: 1000, start: 2.25, duration: 4, title: 'The labelers, in brief', format: 'vertical' }];
  await writeFile(record, JSON.stringify(built, null, 2));
  await writeFeeds();
  feed = parseFeed(xml) as FeedObject;
  videoFeed = parseFeed(videoXml) as FeedObject;
});
afterAll(async () => show?.cleanup());

const item = (f: FeedObject, title: RegExp) => {
  const found = f.items.find((i) => title.test(i.title ?? ''));
  if (!found) throw new Error(`no item ${title}`);
  return found;
};

describe('the namespace read by podcast-partytime (Podcast Index)', () => {
  it('offers the MP4 as an alternate enclosure beside the MP3, which stays the enclosure', async () => {
    const ep = item(feed, /^Overfitting/);
    const mp3 = await readFile(join(show.root, `dist/episodes/${NEW}/${NEW}.mp3`));
    const mp4 = await readFile(join(show.root, `dist/episodes/${NEW}/${NEW}.mp4`));
    // The analytics prefix goes before the URL without its https:// (OP3's documented form).
    expect(ep.enclosure).toEqual({ url: `https://op3.dev/e/example.org/mlaisu/episodes/${NEW}/${NEW}.mp3`, length: mp3.length, type: 'audio/mpeg' });
    const alternates = ep.alternativeEnclosures ?? [];
    expect(alternates.map((a) => [a.type, a.length, a.default])).toEqual([
      ['audio/mpeg', mp3.length, true],
      ['video/mp4', mp4.length, false],
    ]);
    const video = alternates[1]!;
    expect(video.source.map((s) => s.uri)).toEqual([`https://op3.dev/e/example.org/mlaisu/episodes/${NEW}/${NEW}.mp4`]);
    // The height the feed states is the MP4's real frame height (ffprobe).
    const { ffprobe } = getBinaries();
    const probed = execFileSync(ffprobe, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=height', '-of', 'csv=p=0', join(show.root, `dist/episodes/${NEW}/${NEW}.mp4`)], { encoding: 'utf8' }).trim();
    expect(video.height).toBe(Number(probed));
    expect(video.title).toBe(`Video ${probed}p`);
  });

  it('reads persons (the show host restated before the guest), soundbites and season names', () => {
    const ep = item(feed, /^Overfitting/);
    // Roles are case-insensitive (person.md); partytime capitalizes them from its taxonomy.
    expect(ep.podcastPeople?.map((p) => [p.name, p.role.toLowerCase()])).toEqual([
      ['MLAISU Editors', 'host'],
      ['Esben Kran', 'guest'],
    ]);
    expect(ep.podcastSoundbites).toEqual([{ startTime: 1.5, duration: 3, title: 'Superposition in one sentence' }]);
    // A clip of the other episode is its soundbite.
    expect(item(feed, /^Who labels/).podcastSoundbites).toEqual([{ startTime: 2.25, duration: 4, title: 'The labelers, in brief' }]);
    expect(ep.podcastSeason).toEqual({ number: 1, name: 'Interpretability & <friends>' });
    // An episode without its own persons carries none: the channel's apply.
    expect(item(feed, /^Who labels/).podcastPeople ?? []).toEqual([]);
    expect(feed.podcastPeople?.map((p) => p.name)).toEqual(['MLAISU Editors']);
  });

  it('reads the channel tags: txt, podroll, medium, license, trailer', async () => {
    // partytime reads an all-digit value as a number and then as empty text (its parser's
    // number conversion), so the Apple code's value is checked with xmllint below.
    expect(feed.podcastTxt?.map((t) => t.purpose)).toEqual(['verify', 'applepodcastsverify']);
    expect(feed.podcastTxt?.[0]?.value).toBe('S6lpp-7ZCn8-dZfGc-OoyaG');
    expect(feed.podroll).toEqual([{ feedGuid: '917393e3-1b1e-5cef-ace4-edaa54e1f810', feedUrl: 'https://feeds.podcastindex.org/pc20.xml', title: 'Podcasting 2.0' }]);
    expect(feed.medium).toBe('podcast');
    expect(feed.license?.identifier).toBe('cc-by-4.0');
    const trailerMp3 = await readFile(join(show.root, `dist/episodes/${OLD}/${OLD}.mp3`));
    expect(feed.trailers).toEqual([
      { url: `https://op3.dev/e/example.org/mlaisu/episodes/${OLD}/${OLD}.mp3`, pubdate: new Date('2023-01-13T08:00:00Z'), length: trailerMp3.length, type: 'audio/mpeg', title: expect.stringMatching(/^Who labels/) },
    ]);
  });

  it('reads the video feed: MP4 enclosures, its own GUID (the namespace rule on its URL), medium video, distinct item GUIDs', async () => {
    expect(videoFeed.medium).toBe('video');
    expect(videoFeed.items).toHaveLength(2);
    const ep = item(videoFeed, /^Overfitting/);
    const mp4 = await readFile(join(show.root, `dist/episodes/${NEW}/${NEW}.mp4`));
    expect(ep.enclosure).toEqual({ url: `https://op3.dev/e/example.org/mlaisu/episodes/${NEW}/${NEW}.mp4`, length: mp4.length, type: 'video/mp4' });
    expect(ep.alternativeEnclosures?.map((a) => [a.type, a.default])).toEqual([
      ['video/mp4', true],
      ['audio/mpeg', false],
    ]);
    // UUIDv5 of "example.org/mlaisu/feed-video.xml" in the podcast namespace, computed by Python's uuid module.
    const expected = execFileSync('python3', ['-c', 'import uuid; print(uuid.uuid5(uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6"), "example.org/mlaisu/feed-video.xml"))'], { encoding: 'utf8' }).trim();
    expect(videoFeed.guid).toBe(expected);
    expect(videoFeed.guid).not.toBe(feed.guid);
    const audioGuids = new Set(feed.items.map((i) => i.guid));
    for (const i of videoFeed.items) expect(audioGuids.has(i.guid)).toBe(false);
    expect(videoXml).toContain(`<atom:link href="${BASE}feed-video.xml" rel="self" type="application/rss+xml"/>`);
  });
});

describe('the namespace read with xmllint', () => {
  const xpath = (doc: string, path: string): string => {
    const r = spawnSync('xmllint', ['--xpath', path, '-'], { input: doc, encoding: 'utf8' });
    return r.stdout.trim();
  };
  const NS = `namespace-uri()='https://podcastindex.org/namespace/1.0'`;

  it.runIf(hasXmllint)('is well-formed and carries updateFrequency, the Apple code and itunes:block where the specs put them', () => {
    for (const doc of [xml, videoXml]) expect(spawnSync('xmllint', ['--noout', '-'], { input: doc, encoding: 'utf8' }).status).toBe(0);
    expect(xpath(xml, `string(/rss/channel/*[local-name()='updateFrequency' and ${NS}]/@rrule)`)).toBe('FREQ=WEEKLY;BYDAY=FR');
    expect(xpath(xml, `string(/rss/channel/*[local-name()='updateFrequency' and ${NS}])`)).toBe('Weekly, on Fridays');
    expect(xpath(xml, `string(/rss/channel/*[local-name()='txt' and ${NS} and @purpose='applepodcastsverify'])`)).toBe('05124');
    // itunes:block only on the blocked episode, never on the channel.
    expect(xpath(xml, `count(/rss/channel/*[local-name()='block'])`)).toBe('0');
    expect(xpath(xml, `string(/rss/channel/item[starts-with(title,'Who labels')]/*[local-name()='block'])`)).toBe('Yes');
    expect(xpath(xml, `count(/rss/channel/item[starts-with(title,'Overfitting')]/*[local-name()='block'])`)).toBe('0');
  });
});

describe('the episode page', () => {
  it('plays the MP4 with the captions track, or links to YouTube only when the host prefers (site.video)', async () => {
    const page = await readFile(join(show.root, `dist/episodes/${NEW}/index.html`), 'utf8');
    expect(page).toMatch(new RegExp(`<video id="video" controls preload="none" playsinline width="427" height="240" src="${NEW}\\.mp4">\n<track kind="captions" src="transcript\\.vtt" srclang="en" label="Captions">`));
    await editYaml(join(show.root, 'show.yaml'), (doc) => doc.setIn(['site', 'video'], 'youtube'));
    await writeFeeds();
    expect(await readFile(join(show.root, `dist/episodes/${NEW}/index.html`), 'utf8')).not.toContain('<video');
    await editYaml(join(show.root, 'show.yaml'), (doc) => doc.deleteIn(['site', 'video']));
    await writeFeeds();
  });
});

describe('the feeds are stable', () => {
  it('an unchanged rebuild writes both feeds byte for byte the same', async () => {
    const [before, beforeVideo] = [xml, videoXml];
    await writeFeeds();
    expect(xml).toBe(before);
    expect(videoXml).toBe(beforeVideo);
  });
});

describe('the video feed read by gPodder', () => {
  it.runIf(hasGpo)('subscribes through castline serve and downloads the MP4s byte for byte', async () => {
    // The prefix points at op3.dev, which a test cannot reach: serve the feed without it.
    await editYaml(join(show.root, 'show.yaml'), (doc) => doc.deleteIn(['feed', 'enclosurePrefix']));
    await writeFeeds();
    const server = await startServe(show.root);
    const home = await mkdtemp(join(tmpdir(), 'castline-gpo-'));
    try {
      const env = { ...process.env, HOME: home, GPODDER_HOME: join(home, 'gpodder'), GPODDER_DOWNLOAD_DIR: join(home, 'downloads') };
      for (const args of [['subscribe', `${server.origin}feed-video.xml`], ['update'], ['download']]) {
        const r = spawnSync('gpo', args, { env, encoding: 'utf8', timeout: 60_000 });
        expect(r.status, `gpo ${args.join(' ')}: ${r.stdout}${r.stderr}`).toBe(0);
      }
      const folder = join(home, 'downloads', 'ML & AI Safety Update');
      expect((await readdir(folder)).sort()).toEqual([`${OLD}.mp4`, `${NEW}.mp4`]);
      const local = await readFile(join(show.root, `dist/episodes/${NEW}/${NEW}.mp4`));
      expect((await readFile(join(folder, `${NEW}.mp4`))).equals(local)).toBe(true);
      expect(local.length).toBeGreaterThan(SECONDS * 100);
    } finally {
      await server.stop();
      await rm(home, { recursive: true, force: true });
    }
  });
});
