import { describe, expect, it } from 'vitest';
import { CastlineError } from '../../../src/core/errors.js';
import { guessIssueTitle, readIssueText } from '../../../src/core/issue-text.js';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof CastlineError ? error.code : 'not-a-castline-error';
  }
  return undefined;
}

describe('readIssueText', () => {
  it('returns UTF-8 text with the BOM stripped and line endings normalized', () => {
    expect(readIssueText(bytes('\uFEFF# Title\r\nline two\rline three\n'), 'issue.md')).toBe('# Title\nline two\nline three\n');
  });

  it('keeps non-ASCII text', () => {
    expect(readIssueText(bytes('Café – naïve “quotes” 😀\n'), 'x')).toBe('Café – naïve “quotes” 😀\n');
  });

  it('refuses empty and blank input, naming the source', () => {
    expect(codeOf(() => readIssueText(new Uint8Array(), 'issue.md'))).toBe('issue-empty');
    expect(codeOf(() => readIssueText(bytes('  \n\n\t\n'), 'issue.md'))).toBe('issue-empty');
    expect(() => readIssueText(new Uint8Array(), 'standard input')).toThrow(/standard input is empty/);
  });

  it('refuses binary files (NUL bytes) and text that is not UTF-8', () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    expect(codeOf(() => readIssueText(png, 'cover.png'))).toBe('issue-binary');
    const latin1Noise = Uint8Array.from({ length: 400 }, (_, i) => 0x80 + (i % 100));
    expect(codeOf(() => readIssueText(latin1Noise, 'x.txt'))).toBe('issue-binary');
  });

  it('tolerates a few stray bytes in otherwise good text', () => {
    const text = `${'word '.repeat(200)}`;
    const raw = Uint8Array.from([...bytes(text), 0xe9, ...bytes(' end\n')]);
    expect(readIssueText(raw, 'x')).toContain('\uFFFD end');
  });
});

describe('guessIssueTitle', () => {
  it('takes the first markdown heading of level 1 or 2', () => {
    expect(guessIssueTitle('intro text.\n\n## Superpositions & Transformers\n\n# Later\n')).toBe('Superpositions & Transformers');
  });

  it('else takes a short first line that is not a sentence', () => {
    expect(guessIssueTitle('\n  Weekly Update  \nbody.')).toBe('Weekly Update');
    expect(guessIssueTitle('Welcome to this week’s report.\nmore')).toBeUndefined();
    expect(guessIssueTitle(`${'x'.repeat(81)}\n`)).toBeUndefined();
  });
});
