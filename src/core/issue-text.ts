import { CastlineError } from './errors.js';

/**
 * Decode an issue's bytes as UTF-8 text, refusing binary files and empty input with a clear
 * error. Normalizes line endings and strips a BOM.
 */
export function readIssueText(raw: Uint8Array, name: string): string {
  if (raw.length === 0) {
    throw new CastlineError('issue-empty', `The issue ${name} is empty`, { hint: 'paste the newsletter issue text into it' });
  }
  const buf = Buffer.from(raw);
  const sample = buf.subarray(0, 8192);
  if (sample.includes(0)) {
    throw new CastlineError('issue-binary', `The issue ${name} is a binary file, not text`, {
      hint: 'copy the newsletter text (markdown or plain text) into a .md or .txt file',
    });
  }
  const text = new TextDecoder('utf-8', { fatal: false }).decode(buf).replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const replacements = (text.match(/\uFFFD/g) ?? []).length;
  if (replacements > Math.max(8, text.length / 100)) {
    throw new CastlineError('issue-binary', `The issue ${name} is not UTF-8 text`, { hint: 'save it as UTF-8 text and try again' });
  }
  if (!text.trim()) {
    throw new CastlineError('issue-empty', `The issue ${name} has only blank lines`, { hint: 'paste the newsletter issue text into it' });
  }
  return text;
}

/** A title guess: the first markdown heading, else the first short line. */
export function guessIssueTitle(text: string): string | undefined {
  const heading = /^#{1,2}\s+(.+)$/m.exec(text);
  if (heading?.[1]) return heading[1].trim();
  const first = text.split('\n').map((l) => l.trim()).find((l) => l.length > 0);
  if (first && first.length <= 80 && !/[.!?:]$/.test(first)) return first;
  return undefined;
}
