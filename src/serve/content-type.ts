import { extname, basename } from 'node:path';

/** Types podcatchers and browsers rely on; text types carry their charset. */
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.json': 'application/json',
  '.mp3': 'audio/mpeg',
  '.m4a': 'audio/mp4',
  '.mp4': 'video/mp4',
  '.vtt': 'text/vtt; charset=utf-8',
  '.srt': 'application/x-subrip; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
};

/** The podcast feeds: feed.xml and the video feed (feed.videoFeed). */
const FEEDS = new Set(['feed.xml', 'feed-video.xml']);

export function contentTypeFor(path: string): string {
  // The feed is RSS (RSS Advisory Board: application/rss+xml); other XML stays generic.
  if (FEEDS.has(basename(path))) return 'application/rss+xml; charset=utf-8';
  return TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** Files whose text names site.baseUrl and is rewritten to the preview origin. */
export function isRewritable(path: string): boolean {
  return FEEDS.has(basename(path)) || extname(path).toLowerCase() === '.html';
}
