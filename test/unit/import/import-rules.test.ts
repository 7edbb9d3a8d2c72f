import type { Element } from 'hast';
import rehypeParse from 'rehype-parse';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import { cleanLink, ELEMENT_RULES, LINK_RULES } from '../../../src/import/import-rules.js';
import { htmlToIssue } from '../../../src/import/html-to-issue.js';

/** The first element of an HTML snippet, as rehype-parse reads it. */
function firstElement(html: string): Element {
  const tree = unified().use(rehypeParse, { fragment: true }).parse(html);
  const el = tree.children.find((c): c is Element => c.type === 'element');
  if (!el) throw new Error(`no element in ${html}`);
  return el;
}

describe.each(ELEMENT_RULES.map((r) => [r.id, r] as const))('import rule %s', (_id, rule) => {
  it('has examples and near misses', () => {
    expect(rule.drops.length).toBeGreaterThan(0);
    expect(rule.keeps.length).toBeGreaterThan(0);
  });
  it.each(rule.drops)('catches %s', (html) => expect(rule.test(firstElement(html))).toBe(true));
  it.each(rule.keeps)('leaves %s', (html) => expect(rule.test(firstElement(html))).toBe(false));
});

describe.each(LINK_RULES.map((r) => [r.id, r] as const))('link rule %s', (_id, rule) => {
  it.each(rule.examples)('%s → %s', (before, after) => expect(cleanLink(before)).toBe(after));
});

describe('cleanLink', () => {
  it('leaves non-http links and unparseable hrefs as written', () => {
    expect(cleanLink('mailto:a@example.org?utm_source=x')).toBe('mailto:a@example.org?utm_source=x');
    expect(cleanLink('#section-2')).toBe('#section-2');
  });
  it('keeps the fragment when the query empties', () => {
    expect(cleanLink('https://a.example/p?utm_source=x#results')).toBe('https://a.example/p#results');
  });
});

describe('htmlToIssue', () => {
  const words = 'This paragraph has enough words to count as an issue, which is what a real newsletter would have in it at the very least, and then some more words.';
  it('keeps headings, lists, links, images, quotes and tables as markdown', () => {
    const md = htmlToIssue(`<h2>News</h2><p>${words} <a href="https://a.example/x?utm_medium=email">Link</a></p><ul><li><p>one</p></li><li><p>two</p></li></ul><figure><img src="https://a.example/i.png" alt="Chart"><figcaption>Caption</figcaption></figure><blockquote><p>Quoted</p></blockquote><table><tr><th>A</th></tr><tr><td>1</td></tr></table>`, { name: 't', kind: 'fragment', title: 'Weekly' }).markdown;
    expect(md).toBe(`# Weekly\n\n## News\n\n${words} [Link](https://a.example/x)\n\n- one\n- two\n\n![Chart](https://a.example/i.png)\n\nCaption\n\n> Quoted\n\n| A |\n| - |\n| 1 |\n`);
  });
  it('never runs or keeps scripts, and resolves relative URLs against the base', () => {
    const md = htmlToIssue(`<p>${words}</p><script>document.write('<p>evil</p>')</script><img src="/a.png" alt="A"><a href="x/">rel</a>`, { name: 't', kind: 'fragment', baseUrl: 'https://b.example/post/' }).markdown;
    expect(md).not.toMatch(/evil|script/);
    expect(md).toContain('![A](https://b.example/a.png)');
    expect(md).toContain('[rel](https://b.example/post/x/)');
  });
  it('demotes headings under the title when the content has its own h1s, and drops the h1 repeating the title', () => {
    const md = htmlToIssue(`<h1>Weekly</h1><p>${words}</p><h1>Part one</h1><h2>Detail</h2><p>More text here.</p><h1>Part two</h1><p>Yet more.</p>`, { name: 't', kind: 'fragment', title: 'Weekly' }).markdown;
    expect(md).toMatch(/^# Weekly\n\n[^#]+\n\n## Part one\n\n### Detail\n\nMore text here\.\n\n## Part two\n/);
  });
  it('refuses a page with too few words left', () => {
    expect(() => htmlToIssue('<nav>Home</nav><article><p>Sign in to read.</p></article>', { name: 'page.html', kind: 'page' })).toThrow(/page\.html has no newsletter issue on it: .* only 4 words of text are left/);
  });
  it('skips an article selector that matches several elements (a list of post cards)', () => {
    const cards = '<article><p>Card one teaser.</p></article><article><p>Card two teaser.</p></article>';
    expect(() => htmlToIssue(`<body>${cards}</body>`, { name: 'home', kind: 'page' })).toThrow(/only 6 words/);
    const md = htmlToIssue(`<body><main>${cards}<div class="entry-content"><p>${words}</p></div></main></body>`, { name: 'post', kind: 'page' }).markdown;
    expect(md).toBe(`${words}\n`);
  });
});
