import type { EpisodeContext } from '../config/load-show.js';
import type { ScriptDoc } from './script-doc.js';

// PLACEHOLDER (owned by the script stage, issue 3): replaced by the real parser.
export function parseScriptMd(_text: string, _file: string): ScriptDoc {
  throw new Error('parseScriptMd: not implemented yet');
}

/** Read episodes/<id>/script.md (with the host's edits) into sections; clear error if missing. */
export async function readScript(_episode: EpisodeContext): Promise<ScriptDoc> {
  throw new Error('readScript: not implemented yet');
}
