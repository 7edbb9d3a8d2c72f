import type { ShowConfig } from '../config/show-schema.js';
import type { EpisodeConfig, Correction } from '../config/episode-schema.js';
import type { Chapter } from '../records/build-record.js';
import { formatTimestamp } from '../core/clock.js';
import { truncateBytes } from '../core/clean-text.js';

/**
 * The video resource castline sends to YouTube, built without I/O from the show, the episode,
 * its build record and its notes. Limits from https://developers.google.com/youtube/v3/docs/videos:
 * title ≤ 100 characters, description ≤ 5000 bytes, neither containing < or >; tags ≤ 500
 * characters in total (a tag with a space counts its quotes). Chapters follow YouTube's rules
 * (https://support.google.com/youtube/answer/9884579): the first at 0:00, at least three,
 * ascending, each at least 10 seconds long — otherwise YouTube ignores them, so they are left out.
 */

export const TITLE_MAX_CHARS = 100;
export const DESCRIPTION_MAX_BYTES = 5000;
export const TAGS_MAX_CHARS = 500;
export const CHAPTER_MIN_SECONDS = 10;

export interface VideoSnippet {
  title: string;
  description: string;
  tags: string[];
  categoryId: string;
  defaultLanguage?: string;
  defaultAudioLanguage?: string;
}

export interface VideoStatus {
  privacyStatus: 'private' | 'unlisted' | 'public';
  publishAt?: string;
  selfDeclaredMadeForKids: boolean;
  /** The altered-or-synthetic disclosure (videos resource status.containsSyntheticMedia, API revision 2024-10-30). */
  containsSyntheticMedia?: boolean;
  license?: 'youtube' | 'creativeCommon';
  embeddable?: boolean;
}

/**
 * The fields castline writes, per part. videos.update replaces every mutable property of each
 * part it sends (https://developers.google.com/youtube/v3/guides/implementation/partial: "the
 * existing value will be deleted"), so an update reads the video first and changes only these,
 * and only those whose value changed in the YAML since they were last sent.
 */
export const SNIPPET_FIELDS = ['title', 'description', 'tags', 'categoryId', 'defaultLanguage', 'defaultAudioLanguage'] as const satisfies readonly (keyof VideoSnippet)[];
export const STATUS_FIELDS = ['privacyStatus', 'publishAt', 'selfDeclaredMadeForKids', 'containsSyntheticMedia', 'license', 'embeddable'] as const satisfies readonly (keyof VideoStatus)[];
/** Properties of each part YouTube lets a client set (@mutable in the API): the rest is read-only and not sent back. */
export const MUTABLE_SNIPPET = [...SNIPPET_FIELDS] as const;
export const MUTABLE_STATUS = [...STATUS_FIELDS, 'publicStatsViewable'] as const;

export interface VideoResource {
  snippet: VideoSnippet;
  status: VideoStatus;
}

export interface VideoMetadataInput {
  show: ShowConfig;
  episodeId: string;
  episode: EpisodeConfig;
  chapters: readonly Chapter[];
  durationSeconds: number;
  /** Plain-text show notes (links written out), or undefined to use the episode description. */
  notesText: string | undefined;
  /** Marker that lets castline find this video on the channel if an upload went unrecorded. */
  marker: string;
}

export interface VideoMetadata {
  resource: VideoResource;
  /** What was shortened or left out, for the plan. */
  notes: string[];
  chaptersIncluded: boolean;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** Replace the two characters YouTube refuses with look-alikes, drop control characters. */
export function youtubeSafeText(s: string): string {
  return s
    .replace(/</g, '‹')
    .replace(/>/g, '›')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '');
}

export function truncateChars(s: string, max: number): string {
  const chars = [...s];
  if (chars.length <= max) return s;
  return `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}

/** At most `maxBytes` UTF-8 bytes, whole characters only, ending in "…" when cut. */
function truncateBytesWithEllipsis(s: string, maxBytes: number): string {
  if (Buffer.byteLength(s) <= maxBytes) return s;
  return `${truncateBytes(s, Math.max(0, maxBytes - Buffer.byteLength('…'))).trimEnd()}…`;
}

/**
 * The chapter list for the description, or why it cannot be one. A chapter under 10 s (a
 * short outro, say) is folded into the one before it rather than costing the whole list.
 */
export function youtubeChapterLines(chapters: readonly Chapter[], durationSeconds: number): { lines?: string[]; reason?: string; merged: string[] } {
  const merged: string[] = [];
  const list = chapters.map((c) => ({ title: c.title, start: Math.floor(c.startTime) }));
  for (let i = 1; i < list.length; i++) {
    if ((list[i]?.start ?? 0) <= (list[i - 1]?.start ?? 0)) return { reason: `chapter "${list[i]?.title}" does not start after the one before`, merged };
  }
  if (list[0]?.start !== 0 && list.length) return { reason: 'the first chapter must start at 0:00', merged };
  for (let i = 0; i < list.length; ) {
    const start = list[i]!.start;
    const end = i + 1 < list.length ? list[i + 1]!.start : durationSeconds;
    if (end - start >= CHAPTER_MIN_SECONDS) {
      i++;
      continue;
    }
    // Fold the short chapter into the one before; the first (at 0:00) absorbs the next instead.
    if (i > 0) merged.push(list.splice(i, 1)[0]!.title);
    else if (list.length > 1) merged.push(list.splice(1, 1)[0]!.title);
    else break;
  }
  if (list.length < 3) return { reason: `YouTube needs at least 3 chapters of 10 s or more (this episode has ${list.length})`, merged };
  return { lines: list.map((c) => `${formatTimestamp(c.start)} ${youtubeSafeText(c.title).replace(/\s+/g, ' ').trim()}`), merged };
}

/** Tags in order until the 500-character budget (commas between, quotes around spaced tags) is spent. */
export function fitTags(tags: readonly string[]): { tags: string[]; dropped: string[] } {
  const kept: string[] = [];
  const dropped: string[] = [];
  let used = 0;
  for (const raw of tags) {
    const tag = youtubeSafeText(raw).trim();
    if (!tag || kept.includes(tag)) continue;
    const cost = [...tag].length + (tag.includes(' ') ? 2 : 0) + (kept.length ? 1 : 0);
    if (used + cost > TAGS_MAX_CHARS) {
      dropped.push(tag);
      continue;
    }
    kept.push(tag);
    used += cost;
  }
  return { tags: kept, dropped };
}

export function correctionBlock(corrections: readonly Correction[]): string | undefined {
  if (!corrections.length) return undefined;
  // Newest first, as in the feed: the latest correction is what a returning viewer needs.
  const lines = [...corrections].reverse().map((c) => `CORRECTION (${c.date}): ${c.text.replace(/\s+/g, ' ').trim()}`);
  return lines.join('\n\n');
}

export function episodePageUrl(show: ShowConfig, episodeId: string): string {
  return `${show.site.baseUrl}episodes/${episodeId}/`;
}

export function podcastLinkLines(show: ShowConfig, episodeId: string): string[] {
  const lines = [`Episode page and transcript: ${episodePageUrl(show, episodeId)}`, `Podcast RSS: ${show.site.baseUrl}feed.xml`];
  if (show.links.spotify) lines.push(`Spotify: ${show.links.spotify}`);
  if (show.links.apple) lines.push(`Apple Podcasts: ${show.links.apple}`);
  if (show.links.website && show.links.website !== show.site.baseUrl) lines.push(`Website: ${show.links.website}`);
  return lines;
}

/**
 * The description in order: corrections first (viewers must see them), the notes, chapters,
 * the podcast links, and the marker last. Only the notes are shortened to fit 5000 bytes.
 */
export function buildVideoMetadata(input: VideoMetadataInput): VideoMetadata {
  const { show, episode } = input;
  const yt = show.youtube;
  const notes: string[] = [];
  const rawTitle = episode.youtube.title ?? episode.title;
  const title = truncateChars(youtubeSafeText(rawTitle).replace(/\s+/g, ' ').trim(), TITLE_MAX_CHARS);
  if (title !== rawTitle) notes.push(`title adjusted for YouTube: "${title}"`);

  const chapterResult = youtubeChapterLines(input.chapters, input.durationSeconds);
  if (chapterResult.reason) notes.push(`no chapters in the description: ${chapterResult.reason}`);
  else if (chapterResult.merged.length) notes.push(`chapters under 10 s folded into the one before: ${chapterResult.merged.join(', ')}`);
  const before = [correctionBlock(episode.corrections)].filter((s): s is string => Boolean(s));
  const after = [
    chapterResult.lines ? `Chapters:\n${chapterResult.lines.join('\n')}` : undefined,
    podcastLinkLines(show, input.episodeId).join('\n'),
    `[${input.marker}]`,
  ].filter((s): s is string => Boolean(s));
  const body = youtubeSafeText((input.notesText ?? episode.description ?? show.description).trim());
  const sep = '\n\n';
  const fixed = Buffer.byteLength([...before, ...after].join(sep)) + Buffer.byteLength(sep) * (before.length + after.length);
  let fittedBody = body;
  if (fixed + Buffer.byteLength(body) > DESCRIPTION_MAX_BYTES) {
    fittedBody = truncateBytesWithEllipsis(body, Math.max(0, DESCRIPTION_MAX_BYTES - fixed - 1));
    notes.push('show notes shortened to fit YouTube\'s 5000-byte description (the episode page has them in full)');
  }
  let description = [...before, fittedBody, ...after].filter(Boolean).join(sep);
  description = youtubeSafeText(description);
  if (Buffer.byteLength(description) > DESCRIPTION_MAX_BYTES) description = truncateBytesWithEllipsis(description, DESCRIPTION_MAX_BYTES);

  const tagged = fitTags([...(episode.youtube.tags ?? yt?.tags ?? [])]);
  if (tagged.dropped.length) notes.push(`tags over YouTube's 500 characters left out: ${tagged.dropped.join(', ')}`);

  const language = yt?.defaultLanguage ?? show.language.slice(0, 2);
  const snippet: VideoSnippet = {
    title,
    description,
    tags: tagged.tags,
    categoryId: yt?.categoryId ?? '28',
    defaultLanguage: language,
    defaultAudioLanguage: language,
  };
  const publishAt = episode.youtube.publishAt;
  const status: VideoStatus = {
    // A scheduled video must be private until publishAt (YouTube: videos resource, status.publishAt).
    privacyStatus: publishAt ? 'private' : (episode.youtube.privacy ?? yt?.privacy ?? 'private'),
    ...(publishAt ? { publishAt: new Date(publishAt).toISOString() } : {}),
    selfDeclaredMadeForKids: yt?.madeForKids ?? false,
    // Sent only when set in YAML: otherwise YouTube's default or the host's Studio choice stands.
    ...optional('containsSyntheticMedia', episode.youtube.containsSyntheticMedia ?? yt?.containsSyntheticMedia),
    ...optional('license', yt?.license),
    ...optional('embeddable', yt?.embeddable),
  };
  return { resource: { snippet, status }, notes, chaptersIncluded: Boolean(chapterResult.lines) };
}
