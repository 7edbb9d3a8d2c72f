import { posix } from 'node:path';
import type { ShowConfig } from '../config/show-schema.js';
import type { EpisodeConfig, Correction } from '../config/episode-schema.js';
import type { Chapter, EpisodeBuild } from '../records/build-record.js';
import { byteLength, cleanText, escapeHtml, truncateBytes } from '../core/clean-text.js';
import { publicationInstant } from './publication-time.js';
import { formatLongDate } from './format-long-date.js';
import type { EpisodeNotes } from './episode-notes.js';
import { soundbitesFrom } from './soundbites-from.js';
import { prefixedUrl } from './enclosure-prefix.js';

/**
 * The publication plan: what the show publishes, the channel and every episode due and built,
 * with its GUID, URLs, dates and texts. Pure (STYLE §1): everything read beforehand is handed
 * in. The feed (src/feed/build-feed-xml.ts) and the site (src/site/render-pages.ts) both
 * print this one plan, so they never disagree, and neither imports the other.
 */

/** Apple: channel and item descriptions up to 4000 bytes. */
export const DESCRIPTION_MAX_BYTES = 4000;

export interface EpisodePublicationInput {
  id: string;
  /** Folder date (fallback for the publication date). */
  folderDate: string;
  config: EpisodeConfig | undefined;
  build: EpisodeBuild | undefined;
  guid: string | undefined;
  videoId: string | undefined;
  notes: EpisodeNotes | undefined;
  /** Path of the episode's own artwork inside dist/, when it has one. */
  imageDistPath?: string;
}

/** A media file of an episode: its public URL (with feed.enclosurePrefix, when set), where it is in dist/, its size. */
export interface MediaPlan<T extends string = string> {
  url: string;
  distPath: string;
  bytes: number;
  type: T;
}

export interface PersonPlan {
  name: string;
  role: string;
  href?: string | undefined;
  img?: string | undefined;
}

export interface ItemPlan {
  id: string;
  guid: string;
  title: string;
  pubDate: Date;
  /** dist/-relative directory of the episode (its page is <dir>/index.html). */
  dir: string;
  pageUrl: string;
  enclosure: MediaPlan<'audio/mpeg'>;
  /** The episode's MP4 (built and in dist/), with its frame height. */
  video: (MediaPlan<'video/mp4'> & { height: number }) | undefined;
  /** Episode persons (episode.yaml) after the show's: empty when the episode names none. */
  persons: PersonPlan[];
  soundbites: ReturnType<typeof soundbitesFrom>;
  /** podcast:season name (show.yaml podcast.seasons). */
  seasonName: string | undefined;
  /** itunes:block: keep this episode off Apple Podcasts. */
  block: boolean;
  durationSeconds: number;
  number: number | undefined;
  season: number | undefined;
  episodeType: 'full' | 'trailer' | 'bonus';
  explicit: boolean;
  imageUrl: string | undefined;
  chaptersUrl: string | undefined;
  vtt: { url: string; distPath: string } | undefined;
  srt: { url: string; distPath: string } | undefined;
  youtubeUrl: string | undefined;
  corrections: Correction[];
  chapters: Chapter[];
  /** Per chapter id: its picture's dist/-relative path (the build's chapter pictures). */
  chapterImages: Record<string, string>;
  /** The episode page plays the MP4 (site.video: player) rather than linking to YouTube. */
  videoPlayer: boolean;
  /** The YouTube thumbnail, for the video player's poster. */
  thumbnailDistPath: string | undefined;
  /** Plain text, ≤ 4000 bytes. */
  summary: string;
  /** CDATA description: only p/ol/ul/li/a, ≤ 4000 bytes, corrections first. */
  descriptionHtml: string;
  /** The full notes alone (the site page frames them with its own corrections block). */
  notesHtml: string;
  /** content:encoded: corrections first, full notes, video link. */
  contentHtml: string;
}

export interface ChannelPlan {
  title: string;
  description: string;
  feedUrl: string;
  /** WebSub hub (feed.websub.hub): atom:link rel="hub" beside rel="self" (W3C WebSub §4). */
  websubHub: string | undefined;
  siteUrl: string;
  coverUrl: string;
  language: string;
  copyright: string | undefined;
  author: string;
  owner: { name: string; email: string };
  explicit: boolean;
  type: 'episodic' | 'serial';
  categories: { text: string; subcats?: { text: string }[] }[];
  podcastGuid: string;
  locked: boolean;
  funding: { url: string; text: string }[];
  persons: PersonPlan[];
  newFeedUrl: string | undefined;
  links: ShowConfig['links'];
  /** audio: feed.xml (the MP3 is the enclosure); video: feed-video.xml (the MP4 is). */
  kind: 'audio' | 'video';
  /** Offer each item's MP4 as a podcast:alternateEnclosure (feed.video: alternate). */
  videoAlternate: boolean;
  /** podcast:medium: what the feed is (podcast; the video feed: video). */
  medium: string;
  txt: { value: string; purpose?: string | undefined }[];
  license: { identifier: string; url?: string | undefined } | undefined;
  podroll: { feedGuid: string; feedUrl?: string | undefined; title?: string | undefined }[];
  updateFrequency: { rrule: string; text: string; complete: boolean } | undefined;
  /** podcast:trailer: the episodes of type trailer, newest first (their enclosure). */
  trailers: { title: string; pubDate: Date; url: string; bytes: number; type: string; season: number | undefined }[];
}

export interface PublicationPlan {
  channel: ChannelPlan;
  /** Newest first (RSS convention; episodic shows). */
  items: ItemPlan[];
  excluded: { id: string; reason: string }[];
  /** Derived from the content, not the clock, so an unchanged show gives a byte-identical feed. */
  lastBuildDate: Date;
}

export interface PlanPublicationOptions {
  now: Date;
  podcastGuid: string;
  /** Used as lastBuildDate while the feed has no items. */
  ledgerCreatedAt: string;
  /** dist/-relative path of the copied cover. */
  coverDistPath: string;
}

/** URL of a file inside dist/ (a dist/-relative posix path), each segment percent-encoded. */
export function distUrl(baseUrl: string, distPath: string): string {
  const path = distPath.split('/').filter(Boolean).map(encodeURIComponent).join('/');
  return baseUrl + path + (distPath.endsWith('/') && path ? '/' : '');
}

/** A build-record path (relative to the show root, under dist/) as a dist/-relative path. */
export function toDistPath(showRelative: string): string {
  const norm = posix.normalize(showRelative.replace(/\\/g, '/'));
  return norm.startsWith('dist/') ? norm.slice('dist/'.length) : norm;
}

export function youtubeWatchUrl(videoId: string): string {
  return `https://www.youtube.com/watch?v=${encodeURIComponent(videoId)}`;
}

/** Corrections, newest first, each a dated paragraph (issue 7: at the top of every text). */
export function renderCorrectionsHtml(corrections: readonly Correction[], language: string): string {
  return [...corrections]
    .sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0))
    .map((c) => `<p>Correction (${escapeHtml(formatLongDate(c.date, language))}): ${escapeHtml(c.text)}</p>`)
    .join('\n');
}

function videoLinkHtml(url: string): string {
  return `<p><a href="${escapeHtml(url)}">Watch this episode on YouTube</a></p>`;
}

function fallbackNotes(config: EpisodeConfig): EpisodeNotes {
  const text = cleanText(config.description ?? config.title);
  return {
    summary: config.description ? text : '',
    html: ({ maxBytes }) => {
      const html = `<p>${escapeHtml(text)}</p>`;
      return maxBytes !== undefined && byteLength(html) > maxBytes ? '' : html;
    },
  };
}

/**
 * The chapter list Apple Podcasts reads from an episode description (podcasters.apple.com
 * support article 5482, "Chapters on Apple Podcasts": "Start the first chapter at 00:00:00
 * and include at least three chapters"): one HH:MM:SS timestamp and title per line, in
 * order, as a list (descriptions allow only p, ol, ul, li, a). Empty when the episode has
 * fewer than three chapters or they do not start at 0.
 */
export function chapterListHtml(chapters: readonly Chapter[]): string {
  if (chapters.length < 3 || chapters[0]?.startTime !== 0) return '';
  const stamp = (t: number): string => {
    const s = Math.floor(t);
    return [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60].map((n) => String(n).padStart(2, '0')).join(':');
  };
  return `<p>Chapters:</p>\n<ul>\n${chapters.map((c) => `<li>${stamp(c.startTime)} ${escapeHtml(cleanText(c.title))}</li>`).join('\n')}\n</ul>`;
}

/** Compose the ≤ 4000-byte description: corrections, then as much of the notes as fits, the chapter list, the video link. */
function composeDescription(correctionsHtml: string, videoHtml: string, notes: EpisodeNotes, pageUrl: string, chaptersHtml = ''): string {
  const prefix = correctionsHtml;
  if (chaptersHtml && byteLength(prefix) + byteLength(videoHtml) + byteLength(chaptersHtml) + 3 <= DESCRIPTION_MAX_BYTES) {
    videoHtml = [chaptersHtml, videoHtml].filter(Boolean).join('\n');
  }
  const fixed = byteLength(prefix) + byteLength(videoHtml) + 2;
  if (fixed > DESCRIPTION_MAX_BYTES) {
    // Corrections longer than Apple's limit: point to the page that shows them whole.
    const short = `<p>This episode has corrections: <a href="${escapeHtml(pageUrl)}">read them on the episode page</a>.</p>`;
    return [short, videoHtml].filter(Boolean).join('\n');
  }
  const body = notes.html({ allowedTags: 'feed', maxBytes: DESCRIPTION_MAX_BYTES - fixed, fullNotesUrl: pageUrl });
  const html = [prefix, body, videoHtml].filter(Boolean).join('\n');
  return byteLength(html) <= DESCRIPTION_MAX_BYTES ? html : truncateToBlocks(html, DESCRIPTION_MAX_BYTES);
}

/** Last resort if a renderer overshoots: keep whole top-level blocks only. */
function truncateToBlocks(html: string, maxBytes: number): string {
  const blocks = html.split('\n');
  const kept: string[] = [];
  let size = 0;
  for (const block of blocks) {
    const next = size + byteLength(block) + (kept.length ? 1 : 0);
    if (next > maxBytes) break;
    kept.push(block);
    size = next;
  }
  return kept.join('\n');
}

export function planPublication(show: ShowConfig, episodes: readonly EpisodePublicationInput[], options: PlanPublicationOptions): PublicationPlan {
  const base = show.site.baseUrl;
  const items: ItemPlan[] = [];
  const excluded: { id: string; reason: string }[] = [];
  for (const ep of episodes) {
    const config = ep.config;
    if (!config) {
      excluded.push({ id: ep.id, reason: 'episode.yaml is missing or not valid (run castline check)' });
      continue;
    }
    const pubDate = publicationInstant(config.date ?? ep.folderDate, config.time, config.timezone);
    if (pubDate.getTime() > options.now.getTime()) {
      excluded.push({ id: ep.id, reason: `scheduled for ${pubDate.toISOString()}: it joins the feed at the first build after that time` });
      continue;
    }
    const build = ep.build;
    if (!build) {
      excluded.push({ id: ep.id, reason: `not built yet (run castline build ${ep.id})` });
      continue;
    }
    if (!ep.guid) {
      excluded.push({ id: ep.id, reason: 'no GUID in published.yaml' });
      continue;
    }
    const dir = `episodes/${ep.id}`;
    const pageUrl = distUrl(base, `${dir}/`);
    const mp3Path = toDistPath(build.outputs.mp3.path);
    const prefix = show.feed.enclosurePrefix;
    const mp4 = build.outputs.mp4;
    const mp4Path = mp4 ? toDistPath(mp4.path) : undefined;
    const out = (file: { path: string } | undefined): { url: string; distPath: string } | undefined =>
      file ? { url: distUrl(base, toDistPath(file.path)), distPath: toDistPath(file.path) } : undefined;
    const youtubeUrl = ep.videoId ? youtubeWatchUrl(ep.videoId) : undefined;
    const notes = ep.notes ?? fallbackNotes(config);
    const correctionsHtml = renderCorrectionsHtml(config.corrections, show.language);
    const videoHtml = youtubeUrl ? videoLinkHtml(youtubeUrl) : '';
    const notesHtml = notes.html({ allowedTags: 'full', fullNotesUrl: pageUrl });
    const contentHtml = [correctionsHtml, notesHtml, videoHtml].filter(Boolean).join('\n');
    items.push({
      id: ep.id,
      guid: ep.guid,
      title: cleanText(config.title),
      pubDate,
      dir,
      pageUrl,
      enclosure: { url: prefixedUrl(prefix, distUrl(base, mp3Path)), distPath: mp3Path, bytes: build.outputs.mp3.bytes, type: 'audio/mpeg' },
      video: mp4 && mp4Path ? { url: prefixedUrl(prefix, distUrl(base, mp4Path)), distPath: mp4Path, bytes: mp4.bytes, type: 'video/mp4', height: show.video.height } : undefined,
      // The namespace (docs/tags/person.md): item persons wholly replace the channel's, so the
      // show's hosts are restated before the episode's guests.
      persons: config.persons.length ? [...show.podcast.persons, ...config.persons].map(personPlan) : [],
      // Each clip (castline clip, episode.yaml clips) is a moment worth previewing too.
      soundbites: soundbitesFrom([...config.soundbites, ...(build.clips ?? [])]),
      seasonName: config.season !== undefined ? show.podcast.seasons[String(config.season)] : undefined,
      block: config.block,
      durationSeconds: Math.round(build.durationSeconds),
      number: config.number,
      season: config.season,
      episodeType: config.episodeType,
      explicit: config.explicit ?? show.explicit,
      imageUrl: ep.imageDistPath ? distUrl(base, ep.imageDistPath) : undefined,
      chaptersUrl: out(build.outputs.chapters)?.url,
      vtt: out(build.outputs.vtt),
      srt: out(build.outputs.srt),
      youtubeUrl,
      corrections: config.corrections,
      chapters: build.chapters,
      chapterImages: Object.fromEntries((build.chapterImages ?? []).map((f) => [f.chapterId, toDistPath(f.path)])),
      videoPlayer: show.site.video === 'player',
      thumbnailDistPath: build.outputs.thumbnail ? toDistPath(build.outputs.thumbnail.path) : undefined,
      summary: truncateBytes(cleanText(notes.summary || config.description || config.title), DESCRIPTION_MAX_BYTES),
      descriptionHtml: composeDescription(correctionsHtml, videoHtml, notes, pageUrl, chapterListHtml(build.chapters)),
      notesHtml,
      contentHtml,
    });
  }
  items.sort((a, b) => b.pubDate.getTime() - a.pubDate.getTime() || (a.id < b.id ? 1 : -1));
  const channel = planChannel(show, options);
  channel.trailers = items
    .filter((i) => i.episodeType === 'trailer')
    .map((i) => ({ title: i.title, pubDate: i.pubDate, url: i.enclosure.url, bytes: i.enclosure.bytes, type: i.enclosure.type, season: i.season }));
  return { channel, items, excluded, lastBuildDate: lastBuildDate(items, options.ledgerCreatedAt) };
}

function personPlan(p: { name: string; role: string; href?: string | undefined; img?: string | undefined }): PersonPlan {
  return { name: cleanText(p.name), role: p.role, href: p.href, img: p.img };
}

function planChannel(show: ShowConfig, options: PlanPublicationOptions): ChannelPlan {
  const base = show.site.baseUrl;
  return {
    title: cleanText(show.title),
    description: truncateBytes(cleanText(show.description), DESCRIPTION_MAX_BYTES),
    feedUrl: `${base}feed.xml`,
    websubHub: show.feed.websub?.hub,
    siteUrl: base,
    coverUrl: distUrl(base, options.coverDistPath),
    language: show.language,
    copyright: show.copyright ? cleanText(show.copyright) : undefined,
    author: cleanText(show.author),
    owner: { name: cleanText(show.owner.name), email: cleanText(show.owner.email) },
    explicit: show.explicit,
    type: show.type,
    categories: show.categories.map((c) => (c.subcategory ? { text: c.category, subcats: [{ text: c.subcategory }] } : { text: c.category })),
    podcastGuid: show.podcast.guid ?? options.podcastGuid,
    locked: show.podcast.locked,
    funding: show.podcast.funding.map((f) => ({ url: f.url, text: cleanText(f.text) })),
    persons: show.podcast.persons.map(personPlan),
    newFeedUrl: show.podcast.newFeedUrl,
    links: show.links,
    kind: 'audio',
    videoAlternate: show.feed.video === 'alternate',
    medium: show.podcast.medium,
    txt: [
      ...show.podcast.txt.map((t) => ({ value: cleanText(t.value), purpose: t.purpose })),
      // Apple Podcasts Connect's ownership check (podcast namespace docs/tags/txt.md, "applepodcastsverify").
      ...(show.podcast.applePodcastsVerify ? [{ value: cleanText(show.podcast.applePodcastsVerify), purpose: 'applepodcastsverify' }] : []),
    ],
    license: show.podcast.license,
    podroll: show.podcast.podroll.map((r) => ({ feedGuid: r.feedGuid, feedUrl: r.feedUrl, title: r.title ? cleanText(r.title) : undefined })),
    updateFrequency: show.podcast.updateFrequency ? { ...show.podcast.updateFrequency, text: cleanText(show.podcast.updateFrequency.text) } : undefined,
    trailers: [],
  };
}

/** The newest moment the feed's content changed: an item's pubDate or a correction's date. */
function lastBuildDate(items: readonly ItemPlan[], fallback: string): Date {
  let newest = Number.NEGATIVE_INFINITY;
  for (const item of items) {
    newest = Math.max(newest, item.pubDate.getTime());
    for (const c of item.corrections) newest = Math.max(newest, Date.parse(`${c.date}T00:00:00Z`));
  }
  return Number.isFinite(newest) ? new Date(newest) : new Date(fallback);
}

/** dist/-relative path of the video feed (feed.videoFeed). */
export const VIDEO_FEED_FILE = 'feed-video.xml';

/**
 * The video feed (feed.videoFeed) from the audio feed's plan (pure): the episodes that have an
 * MP4, each with the MP4 as its enclosure and the MP3 as its alternate; its own podcast:guid
 * (the caller derives it, docs/tags/guid.md) and podcast:medium video (docs/tags/medium.md:
 * "like a podcast but used in a more visual experience"). Item GUIDs are UUIDv5 of the audio
 * item's GUID in the video feed's GUID: stable, and distinct from the audio episode's, so a
 * directory that takes both feeds never sees one GUID twice.
 */
export function planVideoFeed(plan: PublicationPlan, feed: { feedUrl: string; podcastGuid: string; itemGuid: (audioGuid: string) => string }): PublicationPlan {
  const items = plan.items.filter((i) => i.video).map((i) => ({ ...i, guid: feed.itemGuid(i.guid) }));
  return {
    ...plan,
    channel: {
      ...plan.channel,
      kind: 'video',
      feedUrl: feed.feedUrl,
      podcastGuid: feed.podcastGuid,
      medium: 'video',
      // WebSub and a moved feed concern feed.xml; the video feed names neither.
      websubHub: undefined,
      newFeedUrl: undefined,
      trailers: items
        .filter((i) => i.episodeType === 'trailer' && i.video)
        .map((i) => ({ title: i.title, pubDate: i.pubDate, url: i.video!.url, bytes: i.video!.bytes, type: i.video!.type, season: i.season })),
    },
    items,
    lastBuildDate: plan.lastBuildDate,
  };
}
