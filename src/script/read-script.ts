import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import type { EpisodeContext } from '../config/load-show.js';
import { CastlineError, type ErrorCode } from '../core/errors.js';
import { estimateSeconds } from './estimate.js';
import { SCRIPT_HEADER_START, hashBody } from './render-script-md.js';
import { sectionFromLines } from './script-lines.js';
import { isFigureLine } from './figure-cues.js';
import { SECTION_ID_RE, slugSectionId } from './slug-section-id.js';
import type { ScriptDoc, ScriptSection } from './script-doc.js';

/** The header fields of a generated script.md (or notes.md): `key: value` lines. */
export interface ScriptHeader {
  episode?: string;
  source?: string;
  body?: string;
  wpm?: number;
}

export const DEFAULT_WPM = 155;

/** Split `<!-- castline … -->` header from the body. No header → `header` undefined. */
export function splitHeader(text: string, start: string): { header: ScriptHeader | undefined; body: string } {
  const clean = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const lead = clean.trimStart();
  if (!lead.startsWith(start)) return { header: undefined, body: clean };
  const end = lead.indexOf('-->');
  if (end < 0) return { header: undefined, body: clean };
  const fields: ScriptHeader = {};
  for (const line of lead.slice(0, end).split('\n')) {
    const m = /^(episode|source|body|wpm):\s*(.+?)\s*$/.exec(line.trim());
    if (!m) continue;
    const value = m[2] ?? '';
    if (m[1] === 'wpm') fields.wpm = Number(value);
    else if (m[1] === 'episode') fields.episode = value;
    else if (m[1] === 'source') fields.source = /sha256:([0-9a-f]{64})/.exec(value)?.[1];
    else if (m[1] === 'body') fields.body = /sha256:([0-9a-f]{64})/.exec(value)?.[1];
  }
  return { header: fields, body: lead.slice(end + 3).replace(/^\n+/, '') };
}

const SECTION_HEADING = /^##\s+(.+?)\s*(?:\{#([^}]*)\})?\s*$/;
const ESTIMATE_LINE = /^\*≈[^*]*\*$/;

/**
 * Read script.md text (with the host's edits) back into sections. Cues in [brackets] are
 * collected and removed from the spoken text; estimates are recomputed from the words, so a
 * host's edits show up in chapter times before the recording exists.
 */
export function parseScriptMd(text: string, file: string): ScriptDoc {
  const { header, body } = splitHeader(text, SCRIPT_HEADER_START);
  const wpm = header?.wpm && header.wpm >= 60 && header.wpm <= 300 ? header.wpm : DEFAULT_WPM;
  const drafts: Array<{ id: string; title: string; line: number; paragraphs: string[]; lines: number[] }> = [];
  // Lines of the file above the body (the header), so figures are reported at their file line.
  const clean = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const offset = clean.endsWith(body) ? clean.slice(0, clean.length - body.length).split('\n').length - 1 : 0;
  let buffer: string[] = [];
  let bufferLine = 0;
  const flush = (): void => {
    const current = drafts[drafts.length - 1];
    if (current && buffer.length) {
      current.paragraphs.push(buffer.join(' '));
      current.lines.push(bufferLine);
    }
    buffer = [];
  };
  const taken = new Set<string>();
  body.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    const heading = /^##\s/.test(line) ? SECTION_HEADING.exec(line) : null;
    if (heading) {
      flush();
      const title = (heading[1] ?? '').trim();
      let id = heading[2];
      if (id !== undefined && !SECTION_ID_RE.test(id)) {
        throw new CastlineError('script-bad-id', `${file}: section "${title}" has the id "{#${id}}", which is not lowercase letters, digits and dashes`, {
          hint: `write it like {#${slugSectionId(id || title, new Set())}}; the id names audio/<id>.wav`,
        });
      }
      if (id !== undefined && taken.has(id)) {
        throw new CastlineError('script-duplicate-id', `${file}: two sections have the id "${id}"`, {
          hint: 'give each "## Title {#id}" a different id; the id names the take audio/<id>.wav',
        });
      }
      id ??= slugSectionId(title, taken);
      taken.add(id);
      drafts.push({ id, title, line: index + 1, paragraphs: [], lines: [] });
      return;
    }
    if (!line) return flush();
    if (/^#\s/.test(line) || ESTIMATE_LINE.test(line) || /^<!--.*-->$/.test(line)) return;
    // A figure cue line stands between sentences wherever the host puts it: its own paragraph.
    if (isFigureLine(line)) {
      flush();
      buffer.push(line);
      bufferLine = offset + index + 1;
      return flush();
    }
    // Markdown a host may type: a list item starts its own paragraph; its marker, a quote's
    // ">" and a sub-heading's "###" are not read aloud.
    const marker = /^(?:[-*+]\s+|\d{1,3}[.)]\s+|>\s*|#{3,6}\s+)/.exec(line);
    if (marker && !/^>/.test(marker[0])) flush();
    if (!buffer.length) bufferLine = offset + index + 1;
    if (drafts.length) buffer.push(marker ? line.slice(marker[0].length) : line);
  });
  flush();
  if (!drafts.length) {
    throw new CastlineError('script-no-sections', `${file} has no sections ("## Title {#id}" lines)`, {
      hint: 'restore the section headings, or regenerate the script with castline script <episode> --force',
    });
  }
  const sections: ScriptSection[] = drafts.map((d, i) => {
    const { paragraphs, cues, figures, text: spoken, words } = sectionFromLines(d.paragraphs, d.lines);
    if (!paragraphs.length) {
      throw new CastlineError('script-empty-section', `${file}: section "${d.title}" {#${d.id}} (line ${d.line}) has nothing to read aloud`, {
        hint: 'write the text to read under it, or delete the heading too',
      });
    }
    const kind = d.id === 'intro' && i === 0 ? 'intro' : d.id === 'outro' && i === drafts.length - 1 ? 'outro' : 'body';
    return { id: d.id, title: d.title, kind, paragraphs, text: spoken, cues, figures, words, estimateSeconds: estimateSeconds(words, wpm) };
  });
  return {
    episodeId: header?.episode ?? '',
    sourceHash: header?.source ?? '',
    sections,
    totalSeconds: sections.reduce((sum, s) => sum + s.estimateSeconds, 0),
    edited: !header?.body || hashBody(body) !== header.body,
  };
}

const READ_ERRORS = {
  script: { missing: 'script-missing', unreadable: 'script-unreadable' },
  notes: { missing: 'notes-missing', unreadable: 'notes-unreadable' },
} as const satisfies Record<string, Record<string, ErrorCode>>;

/**
 * Read a file the script stage wrote in an episode folder; a missing file is an error naming it
 * and the command that makes it.
 */
export async function readEpisodeText(episode: EpisodeContext, path: string, what: string): Promise<{ text: string; file: string }> {
  const file = `episodes/${episode.id}/${relative(episode.dir, path)}`;
  try {
    return { text: await readFile(path, 'utf8'), file };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const codes = READ_ERRORS[path === episode.files.notes ? 'notes' : 'script'];
    if (code === 'ENOENT') {
      throw new CastlineError(codes.missing, `${file} is missing: there ${what} for episode ${episode.id} yet`, { hint: `castline script ${episode.id}` });
    }
    throw new CastlineError(codes.unreadable, `${file} cannot be read (${code})`, { hint: 'check the file permissions', cause: error });
  }
}

/** Read episodes/<id>/script.md (with the host's edits) into sections; clear error if missing. */
export async function readScript(episode: EpisodeContext): Promise<ScriptDoc> {
  const { text, file } = await readEpisodeText(episode, episode.files.script, 'is no script');
  const doc = parseScriptMd(text, file);
  return doc.episodeId ? doc : { ...doc, episodeId: episode.id };
}
