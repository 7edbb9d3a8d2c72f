import { posix } from 'node:path';
import type { ShowConfig } from '../config/show-schema.js';
import type { EpisodeConfig, Correction } from '../config/episode-schema.js';
import type { Chapter, EpisodeBuild } from '../records/build-record.js';
import { byteLength, cleanText, escapeHtml, truncateBytes } from '../core/clean-text.js';
import { publicationInstant } from './publication-time.js';
import { formatLongDate } from './format-long-date.js';
import type { EpisodeNotes } from './episode-notes.js';

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

export interface ItemPlan {
  id: string;
  guid: string;
  title: string;
  pubDate: Date;
  /** dist/-relative directory of the episode (its page is <dir>/index.html). */
  dir: string;
  pageUrl: string;
  enclosure: { url: string; distPath: string; bytes: number; type: 'audio/mpeg' };
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
  persons: { name: string; role: string; href?: string | undefined; img?: string | undefined }[];
  newFeedUrl: string | undefined;
  links: ShowConfig['links'];
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

/** Compose the ≤ 4000-byte description: corrections, then as much of the notes as fits. */
function composeDescription(correctionsHtml: string, videoHtml: string, notes: EpisodeNotes, pageUrl: string): string {
  const prefix = correctionsHtml;
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
      enclosure: { url: distUrl(base, mp3Path), distPath: mp3Path, bytes: build.outputs.mp3.bytes, type: 'audio/mpeg' },
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
      summary: truncateBytes(cleanText(notes.summary || config.description || config.title), DESCRIPTION_MAX_BYTES),
      descriptionHtml: composeDescription(correctionsHtml, videoHtml, notes, pageUrl),
      notesHtml,
      contentHtml,
    });
  }
  items.sort((a, b) => b.pubDate.getTime() - a.pubDate.getTime() || (a.id < b.id ? 1 : -1));
  return { channel: planChannel(show, options), items, excluded, lastBuildDate: lastBuildDate(items, options.ledgerCreatedAt) };
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
    persons: show.podcast.persons.map((p) => ({ name: cleanText(p.name), role: p.role, href: p.href, img: p.img })),
    newFeedUrl: show.podcast.newFeedUrl,
    links: show.links,
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
