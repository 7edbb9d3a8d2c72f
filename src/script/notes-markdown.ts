import { toString } from 'mdast-util-to-string';
import type { RootContent } from 'mdast';
import { chromeRuleFor } from './chrome-rules.js';
import type { IssueOutline } from './parse-issue.js';

/**
 * The show notes' content as markdown: the issue's opening and kept sections with links
 * intact. Markdown input is copied block by block from the source (the author's markup kept);
 * plain text is escaped so that nothing in it turns into markup by accident.
 */

/** Escape text so markdown reads it literally (CommonMark §2.4 backslash escapes). */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_[\]<>|~]/g, (c) => `\\${c}`)
    .replace(/^(#{1,6}\s|[-+]\s|\d+[.)]\s|>|=+\s*$)/, (m) => `\\${m}`);
}

function isChrome(node: RootContent): boolean {
  return (node.type === 'paragraph' || node.type === 'html') && chromeRuleFor(toString(node).replace(/\s+/g, ' ')) !== undefined;
}

function plainBlock(node: RootContent): string {
  if (node.type === 'list') {
    return node.children.map((item, i) => `${node.ordered ? `${i + 1}.` : '-'} ${escapeMarkdown(toString(item).replace(/\s+/g, ' ').trim())}`).join('\n');
  }
  return escapeMarkdown(toString(node).replace(/\s+/g, ' ').trim());
}

export function notesMarkdown(outline: IssueOutline, sections: IssueOutline['sections']): string {
  const block = (node: RootContent): string => (outline.sourceOf(node) ?? plainBlock(node)).trim();
  const out: string[] = [];
  for (const node of outline.opening) if (!isChrome(node)) out.push(block(node));
  for (const section of sections) {
    out.push(`## ${escapeMarkdown(section.title)}`);
    for (const node of section.nodes) if (!isChrome(node)) out.push(block(node));
  }
  return out.filter(Boolean).join('\n\n');
}
