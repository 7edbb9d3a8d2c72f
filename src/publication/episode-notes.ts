/**
 * An episode's show notes as the publication plan needs them. They come from the script
 * stage (src/script/notes.ts: notes.md + pure renderers), read by the orchestrator and handed
 * in, so the plan stays pure and tests can hand in notes without a notes.md.
 */
export interface EpisodeNotes {
  /** One plain-text paragraph (itunes:summary, the index page). */
  summary: string;
  /** HTML: 'feed' = only p/ol/ul/li/a within maxBytes (Apple); 'full' = content:encoded / site. */
  html(options: { allowedTags: 'feed' | 'full'; maxBytes?: number; fullNotesUrl?: string }): string;
}
