import type { ShowContext } from '../config/load-show.js';
import type { Reporter } from '../cli/reporter.js';
import type { OutputFile } from '../media/build-record.js';

// PLACEHOLDER (owned by the feed/site stage, issue 5): replaced by the real writer.

export interface FeedAndSiteResult {
  feed: OutputFile;
  /** index.html and every episode page written. */
  pages: OutputFile[];
  /** Episodes in the feed, newest first. */
  included: string[];
  /** Episodes left out, with why (not built yet, dated in the future). */
  excluded: { id: string; reason: string }[];
}

/**
 * Write dist/feed.xml (atomically) and the static site from the show and every episode's
 * build record (dist/episodes/<id>/build.json). Called last by `castline build`/`publish`.
 */
export async function writeFeedAndSite(_show: ShowContext, _options: { reporter: Reporter; now?: Date }): Promise<FeedAndSiteResult> {
  throw new Error('writeFeedAndSite: not implemented yet');
}

/**
 * The episode's GUID from published.yaml, assigning one (and writing published.yaml
 * atomically) at its first build. Never changes afterwards.
 */
export async function ensureEpisodeGuid(_show: ShowContext, _episodeId: string): Promise<string> {
  throw new Error('ensureEpisodeGuid: not implemented yet');
}
