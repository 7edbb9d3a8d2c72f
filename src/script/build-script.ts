import type { RootContent } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { CastlineError } from '../core/errors.js';
import { sha256 } from '../core/hash.js';
import { FILLER_RE } from './chrome-rules.js';
import { outlineIssue, type IssueOutline } from './parse-issue.js';
import { parseScriptMd } from './read-script.js';
import { renderScriptMd, type DraftSection } from './render-script-md.js';
import { makeSpeakable, type UrlMode } from './speakable-rules.js';
import { slugSectionId } from './slug-section-id.js';
import { hasSpeech, isCueParagraph, spokenBlocks } from './spoken-blocks.js';
import { parseNotesMd, renderNotesMd, type ShowNotes } from './notes.js';
import { notesMarkdown } from './notes-markdown.js';
import type { ScriptDoc } from './script-doc.js';

/**
 * The script stage's pure core: issue text + settings → script.md text, notes.md text and
 * their data. No I/O here (STYLE §1); the command reads issue.md and writes the two files.
 */

export interface ScriptSettings {
  showTitle: string;
  episodeId: string;
  episodeTitle: string;
  episodeNumber: number | undefined;
  /** Publication date, YYYY-MM-DD. */
  date: string;
  wpm: number;
  intro: string;
  outro: string;
  urls: UrlMode;
  links: Array<{ text: string; url: string }>;
  /** sha256 of issue.md's bytes (default: of the text). */
  sourceHash?: string;
  /**
   * Which file each image's cue names (the command downloads or copies them first); without
   * it a cue names the image's source as the issue wrote it.
   */
  figures?: (src: string) => { target: string; note?: string | undefined };
}

export interface ScriptBuild {
  doc: ScriptDoc;
  scriptMd: string;
  notes: ShowNotes;
  notesMd: string;
  /** Things the host should know (dropped chrome, merged empty sections). */
  notices: string[];
  /** The sources of the issue's images that became figure cues, in script order, each once. */
  images: string[];
}

/** Fill {show}, {title}, {number}, {date} in an intro/outro template. */
export function fillTemplate(template: string, s: ScriptSettings): string {
  return template
    .replace(/\{show\}/g, s.showTitle)
    .replace(/\{title\}/g, s.episodeTitle)
    .replace(/\{date\}/g, s.date)
    .replace(/,?\s*episode \{number\}/gi, (m) => (s.episodeNumber === undefined ? '' : m))
    .replace(/\{number\}/g, s.episodeNumber === undefined ? '' : String(s.episodeNumber));
}

/**
 * When the intro template already welcomes the listener, the issue's own "Welcome to this
 * week's <newsletter>, where we …" would greet twice: it becomes "This week, we …".
 */
export function dedupeWelcome(paragraph: string, template: string): string {
  if (!/\bwelcome\b/i.test(template)) return paragraph;
  return paragraph.replace(/^welcome to (?:this week|today)[’']s [^!?.]*?,? where we /i, 'In this episode, we ');
}

function isFillerOnly(nodes: readonly RootContent[], paragraphs: readonly string[]): boolean {
  return !nodes.length || paragraphs.every((p) => FILLER_RE.test(p) || isCueParagraph(p));
}

export function buildScript(issueText: string, s: ScriptSettings): ScriptBuild {
  const outline: IssueOutline = outlineIssue(issueText);
  // An issue without headings: its first block opens the episode, the rest is one chapter
  // named after the episode (so the intro stays an intro).
  if (!outline.sections.length && outline.opening.length > 1) {
    outline.sections.push({ title: outline.title ?? s.episodeTitle, nodes: outline.opening.splice(1) });
  }
  const speak = { urls: s.urls };
  const notices: string[] = [];
  const taken = new Set(['intro', 'outro']);
  const sections: DraftSection[] = [];
  const kept: IssueOutline['sections'] = [];

  const figures = { definitions: outline.definitions, resolve: s.figures };
  const images: string[] = [];
  const opening = spokenBlocks(outline.opening, speak, figures);
  images.push(...opening.images);
  const introLines = [makeSpeakable(fillTemplate(s.intro, s), speak), ...opening.paragraphs.map((p, i) => (i === 0 ? dedupeWelcome(p, s.intro) : p))];
  const dropped = [...opening.dropped];

  for (const section of outline.sections) {
    const spoken = spokenBlocks(section.nodes, speak, figures);
    // The notes keep every section with content (links, tables, code), spoken or not.
    if (section.nodes.some((n) => !FILLER_RE.test(toString(n).trim()))) kept.push(section);
    dropped.push(...spoken.dropped);
    if (!hasSpeech(spoken.paragraphs) || isFillerOnly(section.nodes, spoken.paragraphs)) {
      // "Other research news / In other news…" with nothing under it: not a chapter. The
      // previous section gets a cue so the host knows, and the notes leave it out.
      const note = `The issue's "${section.title}" section had nothing to read${spoken.paragraphs.length ? ` (only "${spoken.paragraphs.join(' ')}")` : ''}, so it is not a chapter.`;
      notices.push(note);
      (sections[sections.length - 1]?.lines ?? introLines).push(`[${note.replace(/[[\]]/g, '')}]`);
      continue;
    }
    images.push(...spoken.images);
    const id = slugSectionId(section.title, taken, `section-${sections.length + 1}`);
    taken.add(id);
    sections.push({ id, title: section.title, lines: spoken.paragraphs });
  }
  if (!sections.length && !hasSpeech(opening.paragraphs)) {
    throw new CastlineError('issue-not-speakable', `episodes/${s.episodeId}/issue.md has no text to read aloud`, {
      hint: 'the issue holds only links, images, code or newsletter boilerplate; paste the issue\'s text into issue.md',
    });
  }
  for (const id of new Set(dropped)) notices.push(`dropped newsletter chrome (rule "${id}")`);

  const intro: DraftSection = { id: 'intro', title: 'Intro', lines: introLines.filter(Boolean) };
  const outro: DraftSection = { id: 'outro', title: 'Outro', lines: [makeSpeakable(fillTemplate(s.outro, s), speak)] };
  const sourceHash = s.sourceHash ?? sha256(issueText);
  const scriptMd = renderScriptMd({ episodeId: s.episodeId, sourceHash, title: s.episodeTitle, wpm: s.wpm, sections: [intro, ...sections, outro] });
  const doc = parseScriptMd(scriptMd, `episodes/${s.episodeId}/script.md`);
  const notesMd = renderNotesMd({ episodeId: s.episodeId, sourceHash, title: s.episodeTitle, markdown: notesMarkdown(outline, kept), doc, showLinks: s.links });
  const notes = parseNotesMd(notesMd, `episodes/${s.episodeId}/notes.md`);
  return { doc, scriptMd, notes, notesMd, notices, images: [...new Set(images)] };
}
