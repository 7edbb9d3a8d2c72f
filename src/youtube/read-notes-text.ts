import type { EpisodeContext } from '../config/load-show.js';

/**
 * The episode's show notes as plain text for the YouTube description, through the script
 * stage's notes module (src/script/notes.ts: readNotes + renderNotesText). Loaded by name at
 * run time, as the feed does, so the YouTube stage works (falling back to episode.yaml
 * `description`) before or without that module.
 */
interface NotesTextModule {
  readNotes(episode: EpisodeContext): Promise<unknown>;
  renderNotesText(notes: unknown, options?: { maxBytes?: number }): string;
}

let loaded: Promise<NotesTextModule | undefined> | undefined;

function loadModule(): Promise<NotesTextModule | undefined> {
  const specifier = '../script/notes.js';
  loaded ??= (import(specifier) as Promise<NotesTextModule>).then(
    (m) => (typeof m.readNotes === 'function' && typeof m.renderNotesText === 'function' ? m : undefined),
    () => undefined,
  );
  return loaded;
}

export async function readNotesText(episode: EpisodeContext): Promise<string | undefined> {
  const mod = await loadModule();
  if (!mod) return undefined;
  try {
    const text = mod.renderNotesText(await mod.readNotes(episode), { maxBytes: 4000 });
    return text.trim() || undefined;
  } catch {
    return undefined;
  }
}
