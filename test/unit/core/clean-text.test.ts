import { describe, expect, it } from 'vitest';
import { cleanText, escapeHtml, truncateBytes } from '../../../src/core/clean-text.js';

describe('cleanText', () => {
  it('removes every character XML 1.0 forbids and keeps the rest', () => {
    expect(cleanText('a\u0000b\u0001c\u0008d\u000Be\u000Cf\u001Fg')).toBe('abcdefg');
    expect(cleanText('tab\tnl\ncr\r')).toBe('tab\tnl\ncr\r');
    expect(cleanText('lone \uD800 surrogate \uFFFE\uFFFF')).toBe('lone  surrogate ');
    expect(cleanText('C1 \u0085\u009F controls')).toBe('C1  controls');
    expect(cleanText('emoji 🎙️ é ñ 日本')).toBe('emoji 🎙️ é ñ 日本');
  });
});

describe('escapeHtml', () => {
  it('escapes markup and quotes after cleaning', () => {
    expect(escapeHtml('Q&A <b> "x" \'y\' ]]>\u0007')).toBe('Q&amp;A &lt;b&gt; &quot;x&quot; &#39;y&#39; ]]&gt;');
  });
});

describe('truncateBytes', () => {
  it('never splits a UTF-8 character', () => {
    expect(truncateBytes('ééé', 3)).toBe('é');
    expect(truncateBytes('abc', 10)).toBe('abc');
    expect(truncateBytes('a🎙️', 3)).toBe('a');
  });
});
