import { notesEdited } from './notes.js';
import { parseScriptMd } from './read-script.js';

/**
 * The overwrite guard as a pure decision: given what is on disk and what was generated, which
 * files carry the host's edits (and so must not be overwritten without --force)?
 */
export interface ExistingFiles {
  script?: string;
  notes?: string;
}

export function findEditedFiles(existing: ExistingFiles, generated: { scriptMd: string; notesMd: string }, episodeId: string): string[] {
  const edited: string[] = [];
  if (existing.script !== undefined && existing.script !== generated.scriptMd && isEditedScript(existing.script, `episodes/${episodeId}/script.md`)) {
    edited.push(`episodes/${episodeId}/script.md`);
  }
  if (existing.notes !== undefined && existing.notes !== generated.notesMd && notesEdited(existing.notes)) {
    edited.push(`episodes/${episodeId}/notes.md`);
  }
  return edited;
}

function isEditedScript(text: string, file: string): boolean {
  try {
    return parseScriptMd(text, file).edited;
  } catch {
    // A script the parser cannot read was certainly not left as generated.
    return true;
  }
}
