import { countWords } from './estimate.js';

/**
 * One written paragraph of script.md → what is read aloud and the host cues in it.
 * Cues are `[...]`; markdown a host might type while editing (emphasis, links) is reduced to
 * its words, so `text` is exactly what is spoken.
 */
export function splitCues(paragraph: string): { spoken: string; cues: string[] } {
  const cues: string[] = [];
  const spoken = paragraph
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

export function sectionFromLines(lines: readonly string[]): { paragraphs: string[]; cues: string[]; text: string; words: number } {
  const paragraphs: string[] = [];
  const cues: string[] = [];
  for (const line of lines) {
    const split = splitCues(line);
    cues.push(...split.cues);
    if (split.spoken) paragraphs.push(split.spoken);
  }
  const text = paragraphs.join('\n\n');
  return { paragraphs, cues, text, words: countWords(text) };
}
