import { basename, extname } from 'node:path';
import { contentTypeFor } from '../serve/content-type.js';

/**
 * The HTTP headers every deployed object carries. Content-Type comes from the same table
 * `castline serve` uses. Cache-Control: the feed and pages must be re-fetched soon after a
 * publish (podcatchers poll the feed; a CDN holding a stale feed hides the new episode), while
 * media is large, changes only with a re-encode, and is fetched by byte ranges many times,
 * so it may be cached for a week (RFC 9111 §5.2.2.1 max-age).
 */
export interface FileHeaders {
  contentType: string;
  cacheControl: string;
}

/** Seconds: a few minutes for what names other files, a week for media. */
export const CACHE_SECONDS = {
  feed: 300,
  page: 300,
  /** Chapters and transcripts change with a corrected script, not only with a re-encode. */
  text: 3600,
  asset: 86_400,
  media: 604_800,
} as const;

const MEDIA = new Set(['.mp3', '.m4a', '.mp4', '.jpg', '.jpeg', '.png', '.webp', '.gif', '.svg', '.ico']);
const TEXT = new Set(['.json', '.vtt', '.srt', '.txt']);
const ASSET = new Set(['.css', '.js']);

export type FileKind = keyof typeof CACHE_SECONDS | 'record';

export function fileKind(rel: string): FileKind {
  if (rel.startsWith('.castline/')) return 'record';
  if ((rel === 'feed.xml' || rel === 'feed-video.xml') && !rel.includes('/')) return 'feed';
  const ext = extname(rel).toLowerCase();
  if (ext === '.html') return 'page';
  if (MEDIA.has(ext)) return 'media';
  if (TEXT.has(ext)) return 'text';
  if (ASSET.has(ext)) return 'asset';
  return 'text';
}

export function headersFor(rel: string): FileHeaders {
  const kind = fileKind(rel);
  // castline's own bookkeeping is never cached: the next deploy must read the latest.
  if (kind === 'record') return { contentType: 'application/json', cacheControl: 'no-store' };
  return { contentType: contentTypeFor(rel), cacheControl: `public, max-age=${CACHE_SECONDS[kind]}` };
}
