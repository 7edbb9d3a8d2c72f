import { errorMessage } from '../core/errors.js';

/**
 * Tell the directories the feed changed, after a deploy that uploaded a new feed.xml.
 * - WebSub: POST hub.mode=publish&hub.url=<feed> to the hub named by feed.websub.hub
 *   (PubSubHubbub Core 0.4 §7 "New content notification"; W3C WebSub leaves the publish
 *   ping to the hub, and the common hubs — Google's, Superfeedr — take this form).
 * - Podcast Index: GET https://api.podcastindex.org/api/1.0/hub/pubnotify?url=<feed>
 *   (no API key needed for this endpoint, per its API docs).
 * Failures never fail a publish: they come back as warnings that say what to do.
 */
export const NOTIFY_ENV = {
  /** Replaces feed.websub.hub (tests point it at a local server). */
  websubHub: 'CASTLINE_WEBSUB_HUB_URL',
  podcastIndex: 'CASTLINE_PODCASTINDEX_PUBNOTIFY_URL',
} as const;

export const PODCAST_INDEX_PUBNOTIFY = 'https://api.podcastindex.org/api/1.0/hub/pubnotify';

export interface NotifyOptions {
  feedUrl: string;
  websubHub: string | undefined;
  podcastIndex: boolean;
  env?: NodeJS.ProcessEnv;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export interface NotifyResult {
  notified: string[];
  warnings: string[];
}

export async function notifyDirectories(options: NotifyOptions): Promise<NotifyResult> {
  const env = options.env ?? process.env;
  const doFetch = options.fetch ?? fetch;
  const timeout = options.timeoutMs ?? 15_000;
  const result: NotifyResult = { notified: [], warnings: [] };
  const hub = env[NOTIFY_ENV.websubHub] || options.websubHub;
  if (options.websubHub && hub) {
    try {
      const body = new URLSearchParams({ 'hub.mode': 'publish', 'hub.url': options.feedUrl });
      const res = await doFetch(hub, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' }, signal: AbortSignal.timeout(timeout) });
      if (!res.ok) throw new Error(`HTTP ${res.status} ${res.statusText}`);
      result.notified.push(`websub:${hub}`);
    } catch (error) {
      result.warnings.push(`the WebSub hub ${hub} was not told about the new feed (${errorMessage(error)}); subscribers still see it at their next poll. Check feed.websub.hub, or rerun castline deploy later`);
    }
  }
  if (options.podcastIndex) {
    const endpoint = env[NOTIFY_ENV.podcastIndex] || PODCAST_INDEX_PUBNOTIFY;
    const url = `${endpoint}?url=${encodeURIComponent(options.feedUrl)}`;
    try {
      const res = await doFetch(url, { headers: { 'user-agent': 'castline' }, signal: AbortSignal.timeout(timeout) });
      if (!res.ok) throw new Error(`HTTP ${res.status} ${res.statusText}`);
      result.notified.push(`podcastindex:${endpoint}`);
    } catch (error) {
      result.warnings.push(`Podcast Index was not told about the new feed (${errorMessage(error)}); it re-reads feeds on its own schedule. If the feed is not in the index yet, add it at podcastindex.org first`);
    }
  }
  return result;
}
