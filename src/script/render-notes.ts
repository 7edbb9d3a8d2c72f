import { toString } from 'mdast-util-to-string';
import type { Definition, List, PhrasingContent, Root, RootContent, Table } from 'mdast';
import { parseMarkdown } from './parse-issue.js';
import { BARE_URL_SOURCE } from './speakable-rules.js';
import type { ShowNotes } from './notes.js';
import { escapeHtml } from '../core/clean-text.js';

/**
 * Show notes → feed HTML, site HTML and YouTube plain text. Pure functions over the notes'
 * mdast. All text is escaped; only http(s) and mailto links survive; byte limits cut on a
 * block boundary (a list may be cut between items).
 *
 * - 'feed': Apple allows only <p>, <ol>, <ul>, <li>, <a> in descriptions (Apple Podcasts
 *   "Creating your podcast": show notes formatting), ≤ 4000 bytes.
 * - 'full': also <h2>, <h3>, <strong>, <em>, <blockquote> for content:encoded and the site.
 * - text: YouTube descriptions reject "<" and ">" and are limited to 5000 bytes (YouTube
 *   Data API videos resource, snippet.description).
 */

export interface NotesHtmlOptions {
  maxBytes?: number;
  fullNotesUrl?: string;
  allowedTags: 'feed' | 'full';
}

export interface NotesTextOptions {
  maxBytes?: number;
  fullNotesUrl?: string;
}

const BARE_URL_RE = new RegExp(`(?<![\\w@./-])${BARE_URL_SOURCE}`, 'gi');

/** A link target castline emits: http(s) and mailto only; bare domains get https://. */
export function safeHref(url: string): string | undefined {
  const u = url.trim();
  if (/^(https?:\/\/|mailto:)/i.test(u)) return u;
  if (/^[a-z][a-z0-9+.-]*:/i.test(u) || u.startsWith('/') || u.startsWith('#')) return undefined;
  return new RegExp(`^${BARE_URL_SOURCE}$`, 'i').test(u) ? `https://${u}` : undefined;
}

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

type Defs = Map<string, string>;

function definitions(root: Root): Defs {
  const defs: Defs = new Map();
  const walk = (n: { type: string; children?: unknown[] }): void => {
    if (n.type === 'definition') defs.set((n as Definition).identifier.toLowerCase(), (n as Definition).url);
    for (const c of (n.children ?? []) as Array<typeof n>) walk(c);
  };
  walk(root);
  return defs;
}

// ---- HTML ----

function linkHtml(href: string | undefined, inner: string): string {
  return href ? `<a href="${escapeHtml(href)}">${inner}</a>` : inner;
}

function textHtml(value: string): string {
  let out = '';
  let last = 0;
  for (const m of value.matchAll(BARE_URL_RE)) {
    out += escapeHtml(value.slice(last, m.index));
    out += linkHtml(safeHref(m[0]), escapeHtml(m[0]));
    last = (m.index ?? 0) + m[0].length;
  }
  return out + escapeHtml(value.slice(last));
}

function inlineHtml(nodes: readonly PhrasingContent[], full: boolean, defs: Defs): string {
  return nodes
    .map((n): string => {
      switch (n.type) {
        case 'text':
          return textHtml(n.value);
        case 'inlineCode':
          return escapeHtml(n.value);
        case 'emphasis':
          return full ? `<em>${inlineHtml(n.children, full, defs)}</em>` : inlineHtml(n.children, full, defs);
        case 'strong':
          return full ? `<strong>${inlineHtml(n.children, full, defs)}</strong>` : inlineHtml(n.children, full, defs);
        case 'delete':
          return inlineHtml(n.children, full, defs);
        case 'link':
          return linkHtml(safeHref(n.url), escapeHtml(toString(n)) || escapeHtml(n.url));
        case 'linkReference':
          return linkHtml(safeHref(defs.get(n.identifier.toLowerCase()) ?? ''), escapeHtml(toString(n)));
        case 'image':
          return linkHtml(safeHref(n.url), escapeHtml(n.alt || 'image'));
        case 'imageReference':
          return linkHtml(safeHref(defs.get(n.identifier.toLowerCase()) ?? ''), escapeHtml(n.alt || 'image'));
        case 'footnoteReference':
          return `[${escapeHtml(n.label ?? n.identifier)}]`;
        case 'break':
          return ' ';
        case 'html':
          return '';
        default:
          return escapeHtml(toString(n));
      }
    })
    .join('');
}

function stripTags(html: string): string {
  return html.replace(/<!--[\s\S]*?-->/g, '').replace(/<[^>]+>/g, ' ').replace(/&nbsp;/g, ' ').replace(/\s+/g, ' ').trim();
}

/** One top-level block → HTML; lists also return their items so a cut can fall between them. */
interface HtmlBlock {
  html: string;
  items?: { open: string; close: string; parts: string[] };
}

function listParts(list: List, full: boolean, defs: Defs): { open: string; close: string; parts: string[] } {
  const tag = list.ordered ? 'ol' : 'ul';
  const parts = list.children.map((item) => {
    const inner = item.children
      .map((c) => {
        if (c.type === 'paragraph') return inlineHtml(c.children, full, defs);
        if (c.type === 'list') {
          const sub = listParts(c, full, defs);
          return `${sub.open}${sub.parts.join('')}${sub.close}`;
        }
        return blockHtml(c, full, defs).map((b) => b.html).join('');
      })
      .join(' ');
    return `<li>${inner}</li>`;
  });
  return { open: `<${tag}>`, close: `</${tag}>`, parts };
}

function tableRows(table: Table): string[] {
  return table.children.map((row) => row.children.map((cell) => toString(cell).trim()).join(' · '));
}

function blockHtml(node: RootContent, full: boolean, defs: Defs): HtmlBlock[] {
  switch (node.type) {
    case 'paragraph': {
      const inner = inlineHtml(node.children, full, defs).trim();
      return inner ? [{ html: `<p>${inner}</p>` }] : [];
    }
    case 'heading': {
      const inner = inlineHtml(node.children, full, defs);
      if (!full) return [{ html: `<p>${inner}</p>` }];
      const tag = node.depth <= 2 ? 'h2' : 'h3';
      return [{ html: `<${tag}>${inner}</${tag}>` }];
    }
    case 'list': {
      const items = listParts(node, full, defs);
      return [{ html: `${items.open}${items.parts.join('')}${items.close}`, items }];
    }
    case 'blockquote': {
      const inner = node.children.flatMap((c) => blockHtml(c, full, defs));
      return full ? [{ html: `<blockquote>${inner.map((b) => b.html).join('')}</blockquote>` }] : inner;
    }
    case 'code':
      return node.value.trim() ? [{ html: `<p>${escapeHtml(node.value).replace(/\n/g, ' ')}</p>` }] : [];
    case 'table': {
      const parts = tableRows(node).map((r) => `<li>${escapeHtml(r)}</li>`);
      return [{ html: `<ul>${parts.join('')}</ul>`, items: { open: '<ul>', close: '</ul>', parts } }];
    }
    case 'html': {
      const text = stripTags(node.value);
      return text ? [{ html: `<p>${escapeHtml(text)}</p>` }] : [];
    }
    case 'footnoteDefinition': {
      const inner = node.children.map((c) => (c.type === 'paragraph' ? inlineHtml(c.children, full, defs) : escapeHtml(toString(c)))).join(' ');
      return [{ html: `<p>[${escapeHtml(node.label ?? node.identifier)}] ${inner}</p>` }];
    }
    case 'thematicBreak':
    case 'definition':
    case 'yaml':
      return [];
    default: {
      const text = toString(node).trim();
      return text ? [{ html: `<p>${escapeHtml(text)}</p>` }] : [];
    }
  }
}

/** Cut blocks to a byte budget on block (or list item) boundaries. */
function fitBlocks<T extends { html: string; items?: { open: string; close: string; parts: string[] } }>(blocks: readonly T[], budget: number): { html: string[]; cut: boolean } {
  const out: string[] = [];
  let used = 0;
  for (const block of blocks) {
    const size = bytes(block.html);
    if (used + size <= budget) {
      out.push(block.html);
      used += size;
      continue;
    }
    if (block.items) {
      const taken: string[] = [];
      let size2 = bytes(block.items.open) + bytes(block.items.close);
      for (const part of block.items.parts) {
        if (used + size2 + bytes(part) > budget) break;
        taken.push(part);
        size2 += bytes(part);
      }
      if (taken.length) out.push(`${block.items.open}${taken.join('')}${block.items.close}`);
    }
    return { html: out, cut: true };
  }
  return { html: out, cut: false };
}

export function renderNotesHtml(notes: ShowNotes, options: NotesHtmlOptions): string {
  const maxBytes = options.maxBytes ?? 4000;
  const full = options.allowedTags === 'full';
  const root = parseMarkdown(notes.markdown);
  const defs = definitions(root);
  const blocks = root.children.flatMap((n) => blockHtml(n, full, defs));
  const all = blocks.map((b) => b.html).join('');
  if (bytes(all) <= maxBytes) return all;
  const href = options.fullNotesUrl ? safeHref(options.fullNotesUrl) : undefined;
  const more = href ? `<p><a href="${escapeHtml(href)}">Full show notes</a></p>` : '';
  const budget = maxBytes - bytes(more);
  const fitted = fitBlocks(blocks, budget);
  if (!fitted.html.length) {
    // Not even the first block fits: its text, cut at a word, keeps the summary readable.
    const first = root.children.find((n) => toString(n).trim());
    const text = first ? truncateEscaped(toString(first).replace(/\s+/g, ' ').trim(), budget - bytes('<p>…</p>')) : '';
    return text ? `<p>${text}…</p>${more}` : more;
  }
  return fitted.html.join('') + more;
}

/** Escaped text cut at a word boundary so that the escaped form fits in `max` bytes. */
function truncateEscaped(text: string, max: number): string {
  let out = '';
  for (const word of text.split(/(\s+)/)) {
    if (bytes(escapeHtml(out + word)) > max) break;
    out += word;
  }
  return escapeHtml(out.trimEnd());
}

// ---- plain text (YouTube) ----

function inlineText(nodes: readonly PhrasingContent[], defs: Defs): string {
  return nodes
    .map((n): string => {
      switch (n.type) {
        case 'text':
          // YouTube links only full URLs: a bare "aisafety.training" gets its https://.
          return n.value.replace(BARE_URL_RE, (m) => safeHref(m) ?? m);
        case 'inlineCode':
          return n.value;
        case 'link':
        case 'linkReference': {
          const text = toString(n);
          const href = safeHref(n.type === 'link' ? n.url : (defs.get(n.identifier.toLowerCase()) ?? ''));
          if (!href) return text;
          const bare = href.replace(/^https?:\/\//i, '').replace(/\/$/, '');
          return !text || text === href || text === bare ? href : `${text} (${href})`;
        }
        case 'image':
          return n.alt ? `${n.alt}${safeHref(n.url) ? ` (${safeHref(n.url)})` : ''}` : '';
        case 'footnoteReference':
          return `[${n.label ?? n.identifier}]`;
        case 'break':
          return ' ';
        case 'html':
          return '';
        default:
          return 'children' in n ? inlineText(n.children as PhrasingContent[], defs) : toString(n);
      }
    })
    .join('')
    .replace(/\s+/g, ' ');
}

function listText(list: List, defs: Defs, indent = ''): string[] {
  return list.children.flatMap((item, i) => {
    const marker = list.ordered ? `${(list.start ?? 1) + i}.` : '•';
    const lines: string[] = [];
    const head = item.children.filter((c) => c.type === 'paragraph').map((c) => inlineText((c as { children: PhrasingContent[] }).children, defs)).join(' ');
    lines.push(`${indent}${marker} ${head.trim()}`);
    for (const c of item.children) if (c.type === 'list') lines.push(...listText(c, defs, `${indent}  `));
    return [lines.join('\n')];
  });
}

function blockText(node: RootContent, defs: Defs): Array<{ html: string; items?: { open: string; close: string; parts: string[] } }> {
  const one = (s: string): Array<{ html: string }> => (s.trim() ? [{ html: `${s.trim()}\n\n` }] : []);
  switch (node.type) {
    case 'paragraph':
    case 'heading':
      return one(inlineText(node.children, defs));
    case 'list': {
      const parts = listText(node, defs).map((l) => `${l}\n`);
      return [{ html: `${parts.join('')}\n`, items: { open: '', close: '\n', parts } }];
    }
    case 'blockquote':
      return node.children.flatMap((c) => blockText(c, defs)).map((b) => ({ html: `“${b.html.trim()}”\n\n` }));
    case 'code':
      return one(node.value);
    case 'table': {
      const parts = tableRows(node).map((r) => `${r}\n`);
      return [{ html: `${parts.join('')}\n`, items: { open: '', close: '\n', parts } }];
    }
    case 'html':
      return one(stripTags(node.value));
    case 'footnoteDefinition':
      return one(`[${node.label ?? node.identifier}] ${node.children.map((c) => toString(c)).join(' ')}`);
    case 'thematicBreak':
    case 'definition':
    case 'yaml':
      return [];
    default:
      return one(toString(node));
  }
}

/** YouTube forbids angle brackets in descriptions; use look-alike guillemets. */
function noAngles(text: string): string {
  return text.replace(/</g, '‹').replace(/>/g, '›');
}

export function renderNotesText(notes: ShowNotes, options: NotesTextOptions = {}): string {
  const maxBytes = options.maxBytes ?? 5000;
  const root = parseMarkdown(notes.markdown);
  const defs = definitions(root);
  const blocks = root.children.flatMap((n) => blockText(n, defs)).map((b) => ({ ...b, html: noAngles(b.html), items: b.items && { ...b.items, parts: b.items.parts.map(noAngles) } }));
  const all = blocks.map((b) => b.html).join('').trim();
  if (bytes(all) <= maxBytes) return all;
  const more = options.fullNotesUrl ? `\n\nFull show notes: ${noAngles(options.fullNotesUrl)}` : '';
  const fitted = fitBlocks(blocks, maxBytes - bytes(more) - 2);
  let text = fitted.html.join('').trim();
  if (!text) text = truncateUtf8(all, maxBytes - bytes(more) - 3).trimEnd() + '…';
  return text + more;
}

/** Cut text to at most `max` UTF-8 bytes at a word boundary (never inside a character). */
export function truncateUtf8(text: string, max: number): string {
  if (bytes(text) <= max) return text;
  let out = '';
  for (const word of text.split(/(\s+)/)) {
    if (bytes(out + word) > max) break;
    out += word;
  }
  return out;
}
