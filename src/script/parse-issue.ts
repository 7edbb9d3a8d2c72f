import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import { toString } from 'mdast-util-to-string';
import type { Heading, List, ListItem, Paragraph, Root, RootContent } from 'mdast';
import { makeSpeakable } from './speakable-rules.js';

/**
 * Issue text → an outline: an optional title, the opening (everything before the first
 * section heading) and one entry per section heading, each holding mdast block nodes.
 * Markdown goes through remark (mdast + GFM: tables, footnotes, autolinks); plain text pasted
 * from a newsletter goes through a heading detector and becomes the same mdast shape.
 */

export interface IssueSection {
  title: string;
  nodes: RootContent[];
}

export interface IssueOutline {
  format: 'markdown' | 'plain';
  title: string | undefined;
  opening: RootContent[];
  sections: IssueSection[];
  /** The markdown source of a node (markdown input), for show notes that keep the author's markup. */
  sourceOf: (node: RootContent) => string | undefined;
  /** Link reference definitions (`[id]: url`) by normalized identifier: reference images resolve through them. */
  definitions: Map<string, string>;
}

/** Markdown when the text uses markdown syntax a plain-text paste never has. */
export function looksLikeMarkdown(text: string): boolean {
  return (
    /^#{1,6}\s+\S/m.test(text) ||
    /\[[^\]\n]+\]\([^)\s]+\)/.test(text) ||
    /^```|^~~~/m.test(text) ||
    /^\s*\|.*\|\s*$\n^\s*\|?\s*:?-{3,}/m.test(text) ||
    /(\*\*|__)\S[^\n]*?\S\1/.test(text) ||
    /^\S.*\n(=+|-{2,})\s*$/m.test(text) ||
    /!\[[^\]]*\]\(/.test(text) ||
    /^\[\^[^\]]+\]:/m.test(text) ||
    /^>\s/m.test(text) ||
    /<(p|div|br|img|a|strong|em|b|i)\b[^>]*>/i.test(text)
  );
}

const TERMINAL = /[.!?:;,…"”’)]$/;
const LIST_ITEM = /^\s*(?:[-*+•–]|\d{1,3}[.)])\s+/;

/**
 * A plain-text heading: a short line (≤ 80 characters, ≤ 10 words) with no terminal
 * punctuation, not a list item, followed by a line of prose (ends like a sentence or is long).
 */
export function isPlainHeading(line: string, next: string | undefined): boolean {
  const t = cleanTitle(line);
  if (!saysSomething(t)) return false;
  if (!t || t.length > 80 || t.split(/\s+/).length > 10) return false;
  if (TERMINAL.test(t) || LIST_ITEM.test(t) || /^https?:\/\//i.test(t)) return false;
  if (!/^[\p{L}\p{N}"“'‘]/u.test(t)) return false;
  if (next === undefined) return false;
  const n = next.trim();
  return TERMINAL.test(n) || n.length > 80 || n.split(/\s+/).length > 10 || LIST_ITEM.test(n);
}

/**
 * A line the speakable rules read as nothing ("Posted by Jane in News", "Read online",
 * "Share this post") is platform chrome, never a heading, and not the line after a heading.
 */
function saysSomething(line: string): boolean {
  return /[\p{L}\p{N}]/u.test(makeSpeakable(line, { urls: 'drop' }));
}

function textNode(value: string): Paragraph {
  return { type: 'paragraph', children: [{ type: 'text', value }] };
}

/** Plain text → mdast: detected headings, one paragraph per line, "- " lines as a list. */
export function plainToMdast(text: string): Root {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
  const children: RootContent[] = [];
  let list: List | undefined;
  lines.forEach((line, i) => {
    if (LIST_ITEM.test(line)) {
      const ordered = /^\d/.test(line);
      if (!list || list.ordered !== ordered) {
        list = { type: 'list', ordered, spread: false, children: [] };
        children.push(list);
      }
      const item: ListItem = { type: 'listItem', spread: false, children: [textNode(line.replace(LIST_ITEM, ''))] };
      list.children.push(item);
      return;
    }
    list = undefined;
    if (isPlainHeading(line, lines.slice(i + 1).find(saysSomething))) {
      const heading: Heading = { type: 'heading', depth: 2, children: [{ type: 'text', value: line }] };
      children.push(heading);
    } else {
      children.push(textNode(line));
    }
  });
  return { type: 'root', children };
}

export function parseMarkdown(text: string): Root {
  return unified().use(remarkParse).use(remarkGfm).parse(text);
}

/**
 * Newsletters written in markdown without headings often mark sections with a bold line
 * ("**Opportunities**"). When a document has no headings at all, such short bold-only
 * paragraphs become headings.
 */
function boldParagraphHeadings(children: RootContent[]): RootContent[] {
  if (children.some((n) => n.type === 'heading')) return children;
  return children.map((n, i) => {
    const only = n.type === 'paragraph' && n.children.length === 1 ? n.children[0] : undefined;
    if (only?.type !== 'strong') return n;
    const text = toString(only).trim();
    if (!text || text.length > 80 || /[.!?:;,]$/.test(text)) return n;
    // A bold line opening the issue ("**Chip Letter**") is its name: one level up, so it is the title.
    const heading: Heading = { type: 'heading', depth: i === 0 ? 1 : 2, children: only.children, position: n.position };
    return heading;
  });
}

/** Leading emoji and symbols in a heading ("🚀 Opportunities") are decoration, not title. */
export function cleanTitle(title: string): string {
  return title
    .replace(/(?:\p{Extended_Pictographic}|\p{Regional_Indicator}|\uFE0F|\u200D|\p{Emoji_Modifier})+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Split a document into title, opening and sections at the section heading depth. */
export function outlineIssue(text: string): IssueOutline {
  const format = looksLikeMarkdown(text) ? 'markdown' : 'plain';
  const root = format === 'markdown' ? parseMarkdown(text) : plainToMdast(text);
  const nodes = format === 'markdown' ? boldParagraphHeadings(root.children) : root.children;
  const headings = nodes.filter((n): n is Heading => n.type === 'heading');
  let title: string | undefined;
  let body = nodes;
  const first = nodes[0];
  // A lone top heading at the very start is the issue's title, not a section.
  if (first?.type === 'heading' && !headings.slice(1).some((h) => h.depth <= first.depth) && headings.length > 1) {
    title = toString(first).trim();
    body = nodes.slice(1);
  } else if (first?.type === 'heading' && format === 'plain') {
    // Pasted newsletters start with the issue's name on its own line: the title, not a chapter.
    title = toString(first).trim();
    body = nodes.slice(1);
  }
  const sectionDepth = Math.min(...body.filter((n): n is Heading => n.type === 'heading').map((h) => h.depth));
  const opening: RootContent[] = [];
  const sections: IssueSection[] = [];
  for (const node of body) {
    if (node.type === 'heading' && node.depth === sectionDepth) {
      sections.push({ title: cleanTitle(toString(node)), nodes: [] });
      continue;
    }
    const current = sections[sections.length - 1];
    if (current) current.nodes.push(node);
    else opening.push(node);
  }
  const sourceOf = (node: RootContent): string | undefined => {
    if (format !== 'markdown') return undefined;
    const start = node.position?.start.offset;
    const end = node.position?.end.offset;
    return start === undefined || end === undefined ? undefined : text.slice(start, end);
  };
  const definitions = new Map<string, string>();
  for (const node of root.children) if (node.type === 'definition' && !definitions.has(node.identifier.toLowerCase())) definitions.set(node.identifier.toLowerCase(), node.url);
  return { format, title, opening, sections, sourceOf, definitions };
}
