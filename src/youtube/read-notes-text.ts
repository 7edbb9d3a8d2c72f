import type { EpisodeContext } from '../config/load-show.js';
import { readOptionalNotes, renderNotesText, type NotesChapters } from '../script/notes.js';

/** YouTube allows 5000 bytes of description; the notes get 4000, the rest is chapters and links. */
const NOTES_MAX_BYTES = 4000;

/**
 * The episode's show notes as plain text for the YouTube description, from the script stage's
 * notes.md, with the chapter times of the build record the caller read. Undefined when the
 * episode has no notes.md (the description falls back to episode.yaml `description`); any
 * other problem with notes.md is an error naming it, raised in the read phase before any upload.
 */
export async function readNotesText(episode: EpisodeContext, built?: NotesChapters): Promise<string | undefined> {
  const read = await readOptionalNotes(episode, built);
  if (read.state === 'absent') return undefined;
  return renderNotesText(read.notes, { maxBytes: NOTES_MAX_BYTES }).trim() || undefined;
}
