import { countWords } from './estimate.js';
import { FIGURE_CUE_RE, findFigureCues, type FigureCue } from './figure-cues.js';
import type { ScriptFigure } from './script-doc.js';

/**
 * One written paragraph of script.md → what is read aloud and the host cues in it.
 * Cues are `[...]`; markdown a host might type while editing (emphasis, links) is reduced to
 * its words, so `text` is exactly what is spoken.
 */
export function splitCues(paragraph: string): { spoken: string; cues: string[] } {
  const cues: string[] = [];
  const spoken = paragraph
    // A figure cue is a link whose words are not read: it goes before links become their words.
    .replace(FIGURE_CUE_RE, (_m, alt: string | undefined) => {
      cues.push(alt?.trim() ? `image: ${alt.trim()}` : 'image');
      return ' ';
    })
    .replace(/\[([^\]]+)\]\((?:[^)\s]+)\)/g, '$1')
    .replace(/\[([^\]]*)\]/g, (_m, c: string) => {
      if (c.trim()) cues.push(c.trim());
      return ' ';
    })
    .replace(/(\*\*|__)(\S(?:[^]*?\S)?)\1/g, '$2')
    .replace(/(?<![\w*])([*_])(\S(?:[^]*?\S)?)\1(?![\w*])/g, '$2')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/\s+([,.;:!?…])/g, '$1')
    .trim();
  return { spoken, cues };
}

/**
 * A section's written paragraphs → spoken paragraphs, cues, and its figures, each placed
 * after the spoken paragraphs before it (a figure inside a paragraph comes after that
 * paragraph). `lineNumbers` are the script.md lines the paragraphs start on.
 */
export function sectionFromLines(lines: readonly string[], lineNumbers: readonly number[] = []): { paragraphs: string[]; cues: string[]; figures: ScriptFigure[]; text: string; words: number } {
  const paragraphs: string[] = [];
  const cues: string[] = [];
  const figures: ScriptFigure[] = [];
  lines.forEach((line, i) => {
    const split = splitCues(line);
    cues.push(...split.cues);
    if (split.spoken) paragraphs.push(split.spoken);
    const found: FigureCue[] = findFigureCues(line);
    for (const f of found) figures.push({ ...f, line: lineNumbers[i] ?? 0, afterParagraphs: paragraphs.length });
  });
  const text = paragraphs.join('\n\n');
  return { paragraphs, cues, figures, text, words: countWords(text) };
}
