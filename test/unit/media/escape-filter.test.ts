import { describe, expect, it } from 'vitest';
import { escapeFfmetadata, escapeFilterValue } from '../../../src/media/ffmpeg/escape-filter.js';

/**
 * Undo ffmpeg's two escaping levels the way its parsers do (libavfilter graphparser.c then
 * av_get_token for the option value), to check that every hostile title round-trips.
 */
function unescapeGraph(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\' && i + 1 < s.length) out += s[++i];
    else out += s[i];
  }
  return out;
}
function unescapeValue(s: string): string {
  let out = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "'") quoted = !quoted;
    else if (!quoted && c === '\\' && i + 1 < s.length) out += s[++i];
    else out += c;
  }
  return out;
}

describe('escapeFilterValue', () => {
  const hostile = [`It's 100% "x": a\\b;c [d] ,e`, "'", "\\'", 'a:b=c', '[in]null[out]', 'x;drawtext=text=pwned', '%{localtime}', "''''", 'ends with \\'];
  it.each(hostile)('round-trips %s through both parser levels', (title) => {
    expect(unescapeValue(unescapeGraph(escapeFilterValue(title)))).toBe(title);
  });

  it('leaves no unescaped graph separator that could end the filter or start another', () => {
    for (const title of hostile) {
      const escaped = escapeFilterValue(title);
      // every , ; [ ] ' is preceded by a backslash at graph level
      for (let i = 0; i < escaped.length; i++) {
        if (escaped[i] === '\\') {
          i++;
          continue;
        }
        expect(",;[]'").not.toContain(escaped[i]);
      }
    }
  });
});

describe('escapeFfmetadata', () => {
  it('escapes = ; # \\ and newlines (ffmpeg-formats, ffmetadata)', () => {
    expect(escapeFfmetadata('a=b;c#d\\e\nf')).toBe('a\\=b\\;c\\#d\\\\e\\\nf');
  });
});
