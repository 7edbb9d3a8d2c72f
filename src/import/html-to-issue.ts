import type { Element, ElementContent, Root as HastRoot, RootContent as HastContent } from 'hast';
import type { Root as MdastRoot } from 'mdast';
import { selectAll, select } from 'hast-util-select';
import { toString as hastText } from 'hast-util-to-string';
import rehypeParse from 'rehype-parse';
import rehypeRemark from 'rehype-remark';
import remarkGfm from 'remark-gfm';
import remarkStringify from 'remark-stringify';
import { unified } from 'unified';
import { CastlineError } from '../core/errors.js';
import { cleanLink, elementRuleFor } from './import-rules.js';

/**
 * An issue's HTML → clean markdown for issue.md: rehype-parse (parse5, the browser's HTML
 * parser; nothing is executed: scripts are only nodes in a tree, and removed) → the platform
 * rules of import-rules.ts → rehype-remark (hast → mdast) → remark-stringify with GFM
 * (tables). Headings, paragraphs, lists, links, images (markdown images with their URLs),
 * block quotes and tables come through; the page's title becomes the issue's `# Title`.
 */

export type HtmlKind = 'page' | 'fragment';

export interface HtmlIssueOptions {
  /** Shown in errors: the URL or file. */
  name: string;
  /** `page`: a whole web page, whose article is found by ARTICLE_SELECTORS; `fragment`: the issue's content (feed item, email body). */
  kind: HtmlKind;
  /** Relative links and images resolve against this (the page's final URL). */
  baseUrl?: string | undefined;
  /** The title when the caller knows it (feed item, email subject). */
  title?: string | undefined;
}

export interface HtmlIssue {
  markdown: string;
  title: string | undefined;
  /** Date-time as written in the page's metadata. */
  published: string | undefined;
  /** The page's canonical URL. */
  canonical: string | undefined;
  /** Element rule ids that removed or unwrapped something, in order. */
  applied: string[];
}

/**
 * Where each platform puts the issue's text on its web page, most specific first: Substack
 * (`.available-content .body.markup`), Ghost (`.gh-content`, older themes `.post-content`),
 * WordPress (`.entry-content`), Buttondown's archive (`.email-body`), then schema.org and
 * HTML landmarks. A selector matching several elements (a list of post cards) is skipped.
 */
export const ARTICLE_SELECTORS = ['.available-content .body.markup', '.body.markup', '.gh-content', '.post-content', '.entry-content', '.email-body', '[itemprop=articleBody]', 'article', 'main', '[role=main]'];

/** Fewer words than this after cleaning is a page without an issue on it (a login wall, a home page). */
export const MIN_ARTICLE_WORDS = 25;

const meta = (tree: HastRoot, selector: string): string | undefined => {
  const el = select(selector, tree);
  const v = el?.properties?.['content'] ?? el?.properties?.['href'];
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
};

function jsonLd(tree: HastRoot): { headline?: string; datePublished?: string } {
  for (const el of selectAll('script[type="application/ld+json"]', tree)) {
    try {
      // JSON.parse reads data; it runs nothing.
      const data = JSON.parse(hastText(el)) as unknown;
      for (const entry of Array.isArray(data) ? data : [data]) {
        if (entry && typeof entry === 'object' && ('datePublished' in entry || 'headline' in entry)) return entry as { headline?: string; datePublished?: string };
      }
    } catch {
      // Broken JSON-LD is common; other metadata still applies.
    }
  }
  return {};
}

function findArticle(tree: HastRoot): Element | undefined {
  for (const selector of ARTICLE_SELECTORS) {
    const found = selectAll(selector, tree);
    if (found.length === 1) return found[0];
  }
  return select('body', tree) ?? undefined;
}

function resolveUrl(raw: string, base: string | undefined): string {
  if (!base) return raw;
  try {
    return new URL(raw, base).href;
  } catch {
    return raw;
  }
}

function fixUrls(el: Element, base: string | undefined): void {
  const p = el.properties;
  if (el.tagName === 'a' && typeof p['href'] === 'string') p['href'] = cleanLink(resolveUrl(p['href'], base));
  if (el.tagName === 'img') {
    const lazy = [p['dataLazySrc'], p['dataSrc']].find((v): v is string => typeof v === 'string' && !/^data:/i.test(v));
    const src = typeof p['src'] === 'string' && !/^data:/i.test(p['src']) ? p['src'] : lazy;
    if (src) p['src'] = cleanLink(resolveUrl(src, base));
    delete p['srcSet'];
  }
}

const TABLE_PARTS = new Set(['table', 'thead', 'tbody', 'tfoot', 'tr', 'td', 'th']);

/** A layout table's own rows and cells become divs; a table nested inside keeps its shape. */
function tableToDivs(el: Element, top = true): Element {
  if (!top && el.tagName === 'table') return el;
  const children = el.children.map((c) => (c.type === 'element' ? tableToDivs(c, false) : c));
  return TABLE_PARTS.has(el.tagName) ? { type: 'element', tagName: 'div', properties: {}, children } : { ...el, children };
}

function cleanTree(parent: { children: Array<HastContent | ElementContent> }, base: string | undefined, applied: string[]): void {
  const out: Array<HastContent | ElementContent> = [];
  for (const child of parent.children) {
    if (child.type === 'comment' || child.type === 'doctype') continue;
    if (child.type !== 'element') {
      out.push(child);
      continue;
    }
    const rule = elementRuleFor(child);
    if (rule) applied.push(rule.id);
    if (rule?.action === 'remove') continue;
    fixUrls(child, base);
    cleanTree(child, base, applied);
    if (rule?.action === 'unwrap') {
      if (child.tagName === 'table') out.push(tableToDivs(child));
      else out.push(...child.children);
    } else out.push(child);
  }
  parent.children = out as typeof parent.children;
}

const HEADINGS = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'];
const norm = (s: string): string => s.replace(/\s+/g, ' ').trim().toLowerCase();

function removeElement(node: Element, target: Element): boolean {
  const i = node.children.indexOf(target);
  if (i >= 0) {
    node.children.splice(i, 1);
    return true;
  }
  return node.children.some((c) => c.type === 'element' && removeElement(c, target));
}

/** Drop a heading repeating the title; demote the rest when an h1 is left (the title is the one h1). */
function settleHeadings(article: Element, title: string | undefined): void {
  const first = selectAll(HEADINGS.join(','), article)[0];
  if (first && title && norm(hastText(first)) === norm(title)) removeElement(article, first);
  // An email's lone opening h1 ("The drone issue") restates its subject ("Field Notes — the drone issue").
  const h1s = selectAll('h1', article);
  const lead = selectAll(HEADINGS.join(','), article)[0];
  if (lead && h1s.length === 1 && lead === h1s[0] && title && norm(title).includes(norm(hastText(lead)))) removeElement(article, lead);
  if (selectAll('h1', article).length > 0) {
    for (const h of selectAll(HEADINGS.join(','), article)) h.tagName = `h${Math.min(6, Number(h.tagName.slice(1)) + 1)}`;
  }
}

const STRINGIFY = { bullet: '-', emphasis: '_', strong: '*', fences: true, rule: '-', listItemIndent: 'one', incrementListMarker: true } as const;

export function htmlToIssue(html: string, options: HtmlIssueOptions): HtmlIssue {
  const tree = unified().use(rehypeParse).parse(html);
  const ld = options.kind === 'page' ? jsonLd(tree) : {};

  const pageTitle =
    options.kind === 'page'
      ? meta(tree, 'meta[property="og:title"]') ?? ld.headline ?? (select('article h1, main h1, h1', tree) ? hastText(select('article h1, main h1, h1', tree) as Element).trim() : undefined) ?? (select('title', tree) ? hastText(select('title', tree) as Element).trim() : undefined)
      : undefined;
  const title = (options.title ?? pageTitle)?.replace(/\s+/g, ' ').trim() || undefined;
  const published =
    options.kind === 'page'
      ? meta(tree, 'meta[property="article:published_time"]') ?? ld.datePublished ?? (select('time[datetime]', tree)?.properties?.['dateTime'] as string | undefined)
      : undefined;
  const canonical = options.kind === 'page' ? meta(tree, 'link[rel=canonical]') ?? meta(tree, 'meta[property="og:url"]') : undefined;
  // Relative links resolve against <base href>, else the page's public (canonical) address, so
  // a saved copy or a mirror gives the same links as the original; else where it was fetched.
  const base = meta(tree, 'base[href]') ?? (canonical && /^https?:/i.test(canonical) ? canonical : undefined) ?? options.baseUrl;

  const article = options.kind === 'page' ? findArticle(tree) : select('body', tree) ?? undefined;
  if (!article) throw noArticle(options.name, 0);
  const applied: string[] = [];
  const body: HastRoot = { type: 'root', children: [{ type: 'element', tagName: 'div', properties: {}, children: article.children }] };
  cleanTree(body, base, applied);
  const wrapper = body.children[0] as Element;
  settleHeadings(wrapper, title);

  const processor = unified().use(rehypeRemark).use(remarkGfm).use(remarkStringify, STRINGIFY);
  const mdast = processor.runSync(body) as MdastRoot;
  tightenLists(mdast);
  const words = textOf(mdast).split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
  if (words < MIN_ARTICLE_WORDS) throw noArticle(options.name, words);
  if (title) mdast.children.unshift({ type: 'heading', depth: 1, children: [{ type: 'text', value: title }] });
  const markdown = processor.stringify(mdast).replace(/\n{3,}/g, '\n\n');
  return { markdown: markdown.endsWith('\n') ? markdown : `${markdown}\n`, title, published, canonical, applied };
}

/**
 * Platforms wrap every list item's text in <p>, which makes a "loose" markdown list with
 * blank lines between items; a list whose items are one paragraph each is written tight.
 */
function tightenLists(node: { children?: unknown[] }): void {
  for (const child of (node.children ?? []) as Array<{ type: string; children?: unknown[]; spread?: boolean | null }>) {
    if (child.type === 'list') {
      const items = (child.children ?? []) as Array<{ children: Array<{ type: string }>; spread?: boolean | null }>;
      if (items.every((i) => i.children.length <= 1 || (i.children.length === 2 && i.children[1]?.type === 'list'))) {
        child.spread = false;
        for (const i of items) i.spread = false;
      }
    }
    tightenLists(child);
  }
}

/** The words of a tree, blocks kept apart ("teaser." + "Card" is two words, not "teaser.Card"). */
function textOf(node: { type: string; value?: unknown; children?: unknown[] }): string {
  if (typeof node.value === 'string' && (node.type === 'text' || node.type === 'inlineCode')) return node.value;
  return ((node.children ?? []) as Array<{ type: string }>).map((c) => textOf(c)).join(' ');
}

function noArticle(name: string, words: number): CastlineError {
  return new CastlineError('import-no-article', `${name} has no newsletter issue on it: after removing the page's menus, buttons and footers ${words === 0 ? 'nothing' : `only ${words} word${words === 1 ? '' : 's'}`} of text ${words === 1 ? 'is' : 'are'} left`, {
    hint: 'pass the address of one issue (not the newsletter\'s home or archive page), or the feed with --item; for a page behind a login, save it from the browser and pass the file',
  });
}
