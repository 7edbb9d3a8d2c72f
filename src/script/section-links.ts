import { toString } from 'mdast-util-to-string';
import type { Definition, Root } from 'mdast';
import { parseMarkdown } from './parse-issue.js';
import { safeHref } from './render-notes.js';
import { BARE_URL_SOURCE } from './speakable-rules.js';
import type { ShowNotes } from './notes.js';

const BARE_URL_RE = new RegExp(`(?<![\\w@./-])${BARE_URL_SOURCE}`, 'i');

const norm = (s: string): string => s.replace(/\s+/g, ' ').trim().toLowerCase();

/**
 * The first link of each section of the show notes (pure): per chapter id, the first http(s)
 * link under the notes heading whose text is the chapter's title, before the next heading of
 * the same or a higher level. Chapters.json `url` and the MP3's CHAP WXXX frames carry it
 * (podcast namespace JSON chapters: "the url of a web page or supporting document that's
 * related to the topic of this chapter"). A chapter whose section has no link gets none.
 */
export function sectionLinks(notes: Pick<ShowNotes, 'markdown'>, chapters: readonly { id: string; title: string }[]): Record<string, string> {
  const root: Root = parseMarkdown(notes.markdown);
  const defs = new Map<string, string>();
  const walkDefs = (n: { type: string; children?: unknown[] }): void => {
    if (n.type === 'definition') defs.set((n as Definition).identifier.toLowerCase(), (n as Definition).url);
    for (const c of (n.children ?? []) as Array<typeof n>) walkDefs(c);
  };
  walkDefs(root);
  const firstLink = (n: { type: string; children?: unknown[] } & Record<string, unknown>): string | undefined => {
    if (n.type === 'link') return safeHref(String(n['url']));
    if (n.type === 'linkReference') return safeHref(defs.get(String(n['identifier']).toLowerCase()) ?? '');
    if (n.type === 'text') {
      const m = BARE_URL_RE.exec(String(n['value']));
      if (m) return safeHref(m[0]);
    }
    for (const c of (n.children ?? []) as Array<typeof n>) {
      const found = firstLink(c);
      if (found) return found;
    }
    return undefined;
  };
  const byTitle = new Map<string, string>();
  let current: { title: string; depth: number } | undefined;
  for (const node of root.children) {
    if (node.type === 'heading') {
      if (!current || node.depth <= current.depth) current = { title: norm(toString(node)), depth: node.depth };
      continue;
    }
    if (!current || byTitle.has(current.title) || node.type === 'definition') continue;
    const link = firstLink(node as never);
    if (link) byTitle.set(current.title, link);
  }
  const out: Record<string, string> = {};
  for (const c of chapters) {
    const link = byTitle.get(norm(c.title));
    if (link) out[c.id] = link;
  }
  return out;
}
