import { toString } from 'mdast-util-to-string';
import type { List, PhrasingContent, RootContent, Table } from 'mdast';
import { chromeRuleFor } from './chrome-rules.js';
import { CODE_CLOSE, CODE_OPEN, makeSpeakable, type SpeakOptions } from './speakable-rules.js';
import { isFigureLine, renderFigureCue } from './figure-cues.js';

/**
 * mdast blocks → what the host reads: paragraphs of speakable text, and host cues in
 * [brackets] for what cannot be read (images, tables, code). No markup survives: every node
 * type is handled here explicitly, and unknown nodes fall back to their plain text.
 */

export interface SpokenBlocks {
  /** Paragraphs in reading order; a cue paragraph is "[...]" and is not read aloud. */
  paragraphs: string[];
  /** Chrome rules that dropped a paragraph (id), for the command's report. */
  dropped: string[];
  /** The images' sources (URL or path as the issue wrote them), in reading order. */
  images: string[];
}

/**
 * How the issue's images become figure cues (figure-cues.ts): reference images resolve through
 * the issue's definitions; `resolve` says which file (or URL, with a note) each cue names.
 */
export interface FigureOptions {
  definitions?: ReadonlyMap<string, string>;
  resolve?: (src: string) => { target: string; note?: string | undefined };
}

/** An image found in the text: its alt and source (empty when it has none). */
interface ImageCue {
  alt: string;
  src: string;
}

type Cue = string | ImageCue;

const cue = (text: string): string => `[${text.replace(/[[\]]/g, '').replace(/\s+/g, ' ').trim()}]`;

/** Inline content → written text (links become their words) plus cues for inline images. */
function phrasingText(nodes: readonly PhrasingContent[], cues: Cue[], definitions: ReadonlyMap<string, string>): string {
  let out = '';
  for (const node of nodes) {
    switch (node.type) {
      case 'text':
        out += node.value;
        break;
      case 'inlineCode':
        // Marked so the inline-code rule reads it as a cue or a short spoken form.
        out += `${CODE_OPEN}${node.value}${CODE_CLOSE}`;
        break;
      case 'break':
        out += ' ';
        break;
      case 'image':
        cues.push({ alt: node.alt ?? '', src: node.url });
        break;
      case 'imageReference':
        cues.push({ alt: node.alt ?? '', src: definitions.get(node.identifier.toLowerCase()) ?? '' });
        break;
      case 'footnoteReference':
        break;
      case 'html':
        out += inlineHtml(node.value, cues);
        break;
      case 'link':
      case 'linkReference':
      case 'emphasis':
      case 'strong':
      case 'delete':
        out += phrasingText(node.children, cues, definitions);
        break;
      default:
        out += toString(node);
    }
  }
  return out;
}

/** An attribute of one HTML tag, entities for quotes and ampersands decoded. */
function htmlAttribute(tag: string, name: string): string {
  const m = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s"'>]+))`, 'i').exec(tag);
  return (m?.[1] ?? m?.[2] ?? m?.[3] ?? '').replace(/&quot;/g, '"').replace(/&#39;|&apos;/g, "'").replace(/&amp;/g, '&');
}

/** Raw HTML: tags vanish, <img alt src> becomes a cue, entities for quotes/ampersands are decoded. */
function inlineHtml(html: string, cues: Cue[]): string {
  for (const m of html.matchAll(/<img\b[^>]*>/gi)) cues.push({ alt: htmlAttribute(m[0], 'alt'), src: htmlAttribute(m[0], 'src') });
  return html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<br\s*\/?>/gi, ' ')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&lt;/g, '‹')
    .replace(/&gt;/g, '›');
}

function endSentence(text: string): string {
  if (!text) return text;
  if (/[:]$/.test(text)) return `${text.slice(0, -1)}.`;
  return /[.!?…"”’)]$/.test(text) ? text : `${text}.`;
}

function tableCue(table: Table): string {
  const header = table.children[0];
  const columns = header ? header.children.map((c) => toString(c).trim()).filter(Boolean) : [];
  const rows = Math.max(0, table.children.length - 1);
  return cue(`table in the show notes: ${rows} row${rows === 1 ? '' : 's'}${columns.length ? `, columns ${columns.join(', ')}` : ''}`);
}

export function spokenBlocks(nodes: readonly RootContent[], options: SpeakOptions, figures: FigureOptions = {}): SpokenBlocks {
  const paragraphs: string[] = [];
  const dropped: string[] = [];
  const images: string[] = [];
  const definitions = figures.definitions ?? new Map<string, string>();
  const figureCue = (image: ImageCue): string => {
    // An image with no source (a reference without its definition) can only be a plain cue.
    if (!image.src.trim()) return cue(image.alt ? `image: ${image.alt}` : 'image');
    images.push(image.src);
    const { target, note } = figures.resolve?.(image.src) ?? { target: image.src };
    return renderFigureCue({ alt: image.alt, target }, note);
  };

  const say = (written: string, cues: Cue[], opts: { list?: boolean; next?: RootContent } = {}): void => {
    const plain = written.replace(/\s+/g, ' ').trim();
    const rule = plain ? chromeRuleFor(plain) : undefined;
    if (rule) {
      dropped.push(rule.id);
    } else if (plain) {
      let spoken = makeSpeakable(plain, options);
      // A colon that introduced a list keeps its list; one left dangling ends the sentence.
      if (opts.list || opts.next?.type !== 'list') spoken = endSentence(spoken);
      if (/[\p{L}\p{N}]/u.test(spoken)) paragraphs.push(spoken);
    }
    for (const c of cues) paragraphs.push(typeof c === 'string' ? cue(c) : figureCue(c));
  };

  const list = (node: List): void => {
    for (const item of node.children) {
      for (const child of item.children) {
        if (child.type === 'paragraph') {
          const cues: Cue[] = [];
          say(phrasingText(child.children, cues, definitions), cues, { list: true });
        } else if (child.type === 'list') list(child);
        else block(child);
      }
    }
  };

  const block = (node: RootContent, next?: RootContent): void => {
    switch (node.type) {
      case 'paragraph': {
        const cues: Cue[] = [];
        say(phrasingText(node.children, cues, definitions), cues, { next });
        break;
      }
      case 'heading': {
        const cues: Cue[] = [];
        say(phrasingText(node.children, cues, definitions), cues, { list: true });
        break;
      }
      case 'list':
        list(node);
        break;
      case 'blockquote':
        paragraphs.push(cue('quote'));
        node.children.forEach((c, i) => block(c, node.children[i + 1]));
        paragraphs.push(cue('end of quote'));
        break;
      case 'code':
        paragraphs.push(cue(`code${node.lang ? ` (${node.lang})` : ''} in the show notes`));
        break;
      case 'table':
        paragraphs.push(tableCue(node));
        break;
      case 'html': {
        const cues: Cue[] = [];
        say(inlineHtml(node.value, cues), cues, { next });
        break;
      }
      case 'thematicBreak':
      case 'definition':
      case 'footnoteDefinition':
      case 'yaml':
        break;
      default:
        say(toString(node), [], { next });
    }
  };

  nodes.forEach((n, i) => block(n, nodes[i + 1]));
  return { paragraphs, dropped, images };
}

/** A paragraph that is only a host cue: `[…]`, or a figure cue line. */
export function isCueParagraph(paragraph: string): boolean {
  return /^\[.*\]$/.test(paragraph) || isFigureLine(paragraph);
}

/** True when a list of paragraphs has something to read aloud (not only cues). */
export function hasSpeech(paragraphs: readonly string[]): boolean {
  return paragraphs.some((p) => !isCueParagraph(p));
}
