import type { EpisodeContext } from '../config/load-show.js';
import { errorMessage } from '../core/errors.js';

/**
 * The show notes of one episode as the feed and site need them. The notes themselves come
 * from the script stage (src/script/notes.ts: readNotes + pure renderers); this is the seam,
 * so the feed plan stays pure and tests can hand in notes without notes.md.
 */
export interface EpisodeNotes {
  /** One plain-text paragraph (itunes:summary, the index page). */
  summary: string;
  /** HTML: 'feed' = only p/ol/ul/li/a within maxBytes (Apple); 'full' = content:encoded / site. */
  html(options: { allowedTags: 'feed' | 'full'; maxBytes?: number; fullNotesUrl?: string }): string;
}

/** The script stage's notes module, as its contract (issue 3) defines it. */
interface NotesModule {
  readNotes(episode: EpisodeContext): Promise<unknown>;
  renderNotesHtml(notes: unknown, options: { allowedTags: 'feed' | 'full'; maxBytes?: number; fullNotesUrl?: string }): string;
}

let notesModule: Promise<NotesModule | undefined> | undefined;

function loadNotesModule(): Promise<NotesModule | undefined> {
  // Loaded by name at run time: the script stage owns the module and may not have landed it.
  const specifier = '../script/notes.js';
  notesModule ??= (import(specifier) as Promise<NotesModule>).then(
    (m) => (typeof m.readNotes === 'function' && typeof m.renderNotesHtml === 'function' ? m : undefined),
    () => undefined,
  );
  return notesModule;
}

export type NotesLoader = (episode: EpisodeContext) => Promise<EpisodeNotes | undefined>;

/**
 * Read an episode's notes.md through the script stage. Undefined (with the reason) when there
 * are none yet; the feed then falls back to episode.yaml `description`.
 */
export async function readEpisodeNotes(episode: EpisodeContext): Promise<{ notes?: EpisodeNotes; reason?: string }> {
  const mod = await loadNotesModule();
  if (!mod) return { reason: 'the script stage (src/script/notes.ts) is not available' };
  let raw: unknown;
  try {
    raw = await mod.readNotes(episode);
  } catch (error) {
    return { reason: errorMessage(error) };
  }
  const summary = (raw as { summary?: unknown }).summary;
  return {
    notes: {
      summary: typeof summary === 'string' ? summary : '',
      html: (options) => mod.renderNotesHtml(raw, options),
    },
  };
}
