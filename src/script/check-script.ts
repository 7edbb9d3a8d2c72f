import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Rule } from '../config/check-rules.js';
import type { Problem } from '../core/errors.js';
import { CastlineError } from '../core/errors.js';
import { sha256 } from '../core/hash.js';
import { parseNotesMd } from './notes.js';
import { parseScriptMd, splitHeader } from './read-script.js';
import { SCRIPT_HEADER_START } from './render-script-md.js';

/**
 * `castline check` for the script stage: script.md and notes.md must parse (the build reads
 * them), and a script made from an older issue.md is worth a warning.
 */
export const checkScriptRule: Rule = async (ctx) => {
  const problems: Problem[] = [];
  for (const ep of ctx.episodes) {
    const rel = `episodes/${ep.id}`;
    for (const [path, name, parse] of [
      [ep.files.script, 'script.md', parseScriptMd],
      [ep.files.notes, 'notes.md', parseNotesMd],
    ] as const) {
      if (!existsSync(path)) continue;
      const file = `${rel}/${name}`;
      try {
        parse(await readFile(path, 'utf8'), file);
      } catch (error) {
        if (!(error instanceof CastlineError)) throw error;
        problems.push({ severity: 'error', code: error.code, file, message: error.message.replace(`${file}: `, '').replace(`${file} `, ''), hint: error.hint });
      }
    }
    if (existsSync(ep.files.script) && existsSync(ep.files.issue)) {
      const script = await readFile(ep.files.script, 'utf8');
      const recorded = splitHeader(script, SCRIPT_HEADER_START).header?.source;
      if (recorded && recorded !== sha256(await readFile(ep.files.issue))) {
        let edited = true;
        try {
          edited = parseScriptMd(script, `${rel}/script.md`).edited;
        } catch {
          // reported above
        }
        problems.push({
          severity: 'warning',
          code: 'script-stale',
          file: `${rel}/script.md`,
          message: 'was generated from an older issue.md',
          hint: edited
            ? `you edited the script: carry the issue's changes over by hand, or save your edits and run castline script ${ep.id} --force`
            : `castline script ${ep.id} regenerates it (you have not edited it)`,
        });
      }
    }
  }
  return problems;
};


/** episode.yaml `visuals` keys are section ids of script.md (the build would show the visual nowhere). */
export const visualSectionsRule: Rule = async (ctx) => {
  const problems: Problem[] = [];
  for (const ep of ctx.episodes) {
    const named = Object.keys(ep.config?.visuals ?? {});
    if (!named.length || !existsSync(ep.files.script)) continue;
    const rel = `episodes/${ep.id}`;
    let ids: string[];
    try {
      ids = parseScriptMd(await readFile(ep.files.script, 'utf8'), `${rel}/script.md`).sections.map((s) => s.id);
    } catch {
      continue; // checkScriptRule reports a script.md that does not parse
    }
    for (const id of named.filter((n) => !ids.includes(n))) {
      problems.push({
        severity: 'error',
        code: 'visual-without-section',
        file: `${rel}/episode.yaml`,
        path: `visuals.${id}`,
        message: 'names no section of script.md',
        hint: `use one of the section ids: ${ids.join(', ')}`,
      });
    }
  }
  return problems;
};
