import type { EpisodeContext } from '../config/load-show.js';
import { errorMessage } from '../core/errors.js';
import { readNotes, renderNotesHtml } from '../script/notes.js';

/**
 * The show notes of one episode as the feed and site need them. The notes come from the
 * script stage (src/script/notes.ts: notes.md + pure renderers); this seam keeps the feed
 * plan pure and lets tests hand in notes without a notes.md.
 */
export interface EpisodeNotes {
  /** One plain-text paragraph (itunes:summary, the index page). */
  summary: string;
  /** HTML: 'feed' = only p/ol/ul/li/a within maxBytes (Apple); 'full' = content:encoded / site. */
  html(options: { allowedTags: 'feed' | 'full'; maxBytes?: number; fullNotesUrl?: string }): string;
}

export type NotesLoader = (episode: EpisodeContext) => Promise<EpisodeNotes | undefined>;

/**
 * Read an episode's notes.md through the script stage. Undefined (with the reason) when there
 * are none yet; the feed then falls back to episode.yaml `description`.
 */
export async function readEpisodeNotes(episode: EpisodeContext): Promise<{ notes?: EpisodeNotes; reason?: string }> {
  try {
    const notes = await readNotes(episode);
    return { notes: { summary: notes.summary, html: (options) => renderNotesHtml(notes, options) } };
  } catch (error) {
    return { reason: errorMessage(error) };
  }
}
