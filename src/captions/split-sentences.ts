/**
 * Script text → the units the aligner times: sentences, and the clause-sized chunks a caption
 * cue shows. Pure: no I/O, unit-tested in test/unit/captions/split-sentences.test.ts.
 */

/** Host cues are written `[like this]` and never spoken, so they never reach a caption. */
export function stripHostCues(text: string): string {
  return text.replace(/\[[^\]]*\]/g, ' ');
}

/** Collapse whitespace (newlines inside a paragraph are not pauses) and trim. */
export function normalizeSpace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

// Abbreviations whose period does not end a sentence even when a capital follows.
const ABBREVIATIONS = new Set(['mr', 'mrs', 'ms', 'dr', 'prof', 'st', 'vs', 'etc', 'e.g', 'i.e', 'inc', 'ltd', 'jr', 'sr', 'no', 'fig', 'approx']);

/**
 * Sentences of a section's spoken text, in order. Paragraph breaks always end a sentence; inside
 * a paragraph a sentence ends at . ! ? or … (plus closing quotes/brackets) followed by space and
 * a capital, digit or opening quote, unless the word before is a known abbreviation.
 */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  for (const paragraph of stripHostCues(text).split(/\n\s*\n/)) {
    const flat = normalizeSpace(paragraph);
    if (!flat) continue;
    let from = 0;
    const boundary = /[.!?…]+["'”’)\]]*\s+(?=["'“‘(\[]?[A-Z0-9])/g;
    for (let m = boundary.exec(flat); m; m = boundary.exec(flat)) {
      const before = flat.slice(from, m.index);
      const lastWord = /([A-Za-z.]+)$/.exec(before)?.[1]?.toLowerCase() ?? '';
      if (m[0].startsWith('.') && !m[0].startsWith('..') && ABBREVIATIONS.has(lastWord)) continue;
      // A lone capital before the period is an initial ("J. Smith"), not a sentence end.
      if (m[0].startsWith('.') && /(^|\s)[A-Z]$/.test(before)) continue;
      const end = m.index + m[0].trimEnd().length;
      out.push(flat.slice(from, end).trim());
      from = m.index + m[0].length;
    }
    const rest = flat.slice(from).trim();
    if (rest) out.push(rest);
  }
  return out;
}

/**
 * Rough syllable count of spoken English: speech time follows syllables more closely than
 * characters. Vowel groups per word (a silent final e dropped), acronyms spelled letter by
 * letter, digits about one syllable each (scripts normally spell numbers out already), and a
 * comma/colon/semicolon/dash counts as one syllable of pause.
 */
export function countSyllables(text: string): number {
  let total = 0;
  for (const token of text.split(/\s+/)) {
    if (!token) continue;
    total += (token.match(/[,;:—–]|\s-\s/g) ?? []).length;
    const word = token.replace(/[^A-Za-z0-9']/g, '');
    if (!word) continue;
    const digits = (word.match(/[0-9]/g) ?? []).length;
    const letters = word.replace(/[0-9']/g, '');
    total += digits;
    if (!letters) continue;
    if (letters.length <= 5 && letters === letters.toUpperCase() && letters.length > 1) {
      total += letters.length;
      continue;
    }
    const lower = letters.toLowerCase();
    let groups = (lower.match(/[aeiouy]+/g) ?? []).length;
    if (groups > 1 && /[^aeiouyl]e$/.test(lower)) groups -= 1;
    total += Math.max(1, groups);
  }
  return total;
}

/** Caption line limits (issue 8; the BBC and Netflix guidelines use the same 42 characters). */
export const MAX_LINE_CHARS = 42;
export const MAX_LINES = 2;

/**
 * Break cue text into at most two lines of at most `max` characters, as balanced as the words
 * allow (a bottom-heavy pyramid reads best, so ties go to a shorter first line). Returns
 * undefined when the text cannot fit.
 */
export function breakLines(text: string, max = MAX_LINE_CHARS): string[] | undefined {
  const flat = normalizeSpace(text);
  if (flat.length <= max) return [flat];
  const words = flat.split(' ');
  let best: string[] | undefined;
  let bestScore = Infinity;
  for (let i = 1; i < words.length; i++) {
    const first = words.slice(0, i).join(' ');
    const second = words.slice(i).join(' ');
    if (first.length > max || second.length > max) continue;
    const score = Math.abs(first.length - second.length) + (first.length > second.length ? 0.5 : 0) + (endsWeak(first) ? 12 : 0);
    if (score < bestScore) {
      bestScore = score;
      best = [first, second];
    }
  }
  return best;
}

// Words that bind to what follows: a line or cue should not end on them (BBC subtitle
// guidelines, "line breaks": do not separate an article, preposition or conjunction from
// the word it belongs to).
const WEAK_ENDINGS = new Set(['a', 'an', 'the', 'of', 'to', 'in', 'on', 'at', 'for', 'from', 'with', 'by', 'and', 'or', 'but', 'that', 'this', 'these', 'those', 'is', 'are', 'was', 'were', 'be', 'its', 'their', 'our', 'your', 'my', 'his', 'her', 'as', 'if', 'than', 'we', 'they', 'it', 'you', 'i']);

function endsWeak(text: string): boolean {
  const last = /([A-Za-z']+)\W*$/.exec(text)?.[1]?.toLowerCase();
  return last !== undefined && WEAK_ENDINGS.has(last) && !/[,;:.!?]$/.test(text);
}

/** True when text fits one cue: at most two lines of 42 characters. */
export function fitsCue(text: string): boolean {
  return breakLines(text) !== undefined;
}

/**
 * Split one sentence into cue-sized chunks: whole sentence if it fits, else at clause
 * boundaries (, ; : — and before conjunctions), packing clauses greedily, else at the most
 * balanced word boundary. A single word longer than a line is cut by characters.
 */
export function splitCueText(sentence: string): string[] {
  const text = normalizeSpace(sentence);
  if (!text) return [];
  if (fitsCue(text)) return [text];
  const clauses = splitClauses(text);
  if (clauses.length > 1) {
    const packed: string[] = [];
    let current = '';
    for (const clause of clauses) {
      const joined = current ? `${current} ${clause}` : clause;
      if (fitsCue(joined)) {
        current = joined;
        continue;
      }
      if (current) packed.push(current);
      current = clause;
    }
    if (current) packed.push(current);
    return packed.flatMap((part) => (fitsCue(part) ? [part] : splitByWords(part)));
  }
  return splitByWords(text);
}

/** Clause boundaries: after , ; : or a dash, and before and/but/or/because/so/which/while. */
export function splitClauses(text: string): string[] {
  const parts = text.split(/(?<=[,;:—–])\s+|\s+(?=(?:[—–]|-)\s)|\s+(?=\b(?:and|but|or|because|so|which|while|where|when)\b\s)/);
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

function splitByWords(text: string): string[] {
  if (fitsCue(text)) return [text];
  const words = text.split(' ');
  if (words.length === 1) {
    // A URL-like token longer than a line: cut by characters, one line per cue.
    const out: string[] = [];
    for (let i = 0; i < text.length; i += MAX_LINE_CHARS) out.push(text.slice(i, i + MAX_LINE_CHARS));
    return out;
  }
  // Halve at the word boundary nearest the middle, and recurse until every piece fits.
  let best = 1;
  let bestDistance = Infinity;
  let at = 0;
  for (let i = 1; i < words.length; i++) {
    at += (words[i - 1]?.length ?? 0) + 1;
    const distance = Math.abs(at - text.length / 2) + (endsWeak(words.slice(0, i).join(' ')) ? 12 : 0);
    if (distance < bestDistance) {
      bestDistance = distance;
      best = i;
    }
  }
  return [...splitByWords(words.slice(0, best).join(' ')), ...splitByWords(words.slice(best).join(' '))];
}
