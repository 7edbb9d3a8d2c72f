import { describe, expect, it } from 'vitest';
import { findFeedItem, looksLikeFeed, parseFeed } from '../../../src/import/parse-feed.js';
import { declaredCharset, decodeBody } from '../../../src/import/decode-body.js';
import { writtenDate } from '../../../src/import/written-date.js';

const rss = (items: string): string => `<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>T</title>${items}</channel></rss>`;

describe('parseFeed', () => {
  it('takes content:encoded over the description excerpt, and sorts newest first', () => {
    const feed = parseFeed(rss('<item><title>Old</title><guid>g1</guid><pubDate>Fri, 02 Feb 2024 10:00:00 GMT</pubDate><description>short</description></item><item><title>New &amp; shiny</title><guid isPermaLink="false">g2</guid><pubDate>Fri, 09 Feb 2024 10:00:00 GMT</pubDate><description>excerpt</description><content:encoded><![CDATA[<p>The full post</p>]]></content:encoded></item>'), 'f');
    expect(feed.items.map((i) => [i.title, i.guid, i.html])).toEqual([['New & shiny', 'g2', '<p>The full post</p>'], ['Old', 'g1', 'short']]);
  });
  it('reads Atom entries: escaped content type="html", id, the alternate link', () => {
    const feed = parseFeed('<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><entry><title>E</title><id>urn:1</id><link rel="self" href="https://x/self"/><link rel="alternate" href="https://x/e"/><published>2024-04-05T16:00:00+02:00</published><summary>s</summary><content type="html">&lt;p&gt;Body &amp;amp; more&lt;/p&gt;</content></entry></feed>', 'f');
    expect(feed.items[0]).toEqual({ guid: 'urn:1', title: 'E', link: 'https://x/e', published: '2024-04-05T16:00:00+02:00', html: '<p>Body &amp; more</p>' });
  });
  it('falls back to the link as guid, and keeps feed order for undated items', () => {
    const feed = parseFeed(rss('<item><title>A</title><link>https://x/a</link></item><item><title>B</title><link>https://x/b</link></item>'), 'f');
    expect(feed.items.map((i) => i.guid)).toEqual(['https://x/a', 'https://x/b']);
  });
  it('refuses an empty feed, XML that is no feed, and broken XML', () => {
    expect(() => parseFeed(rss(''), 'f.xml')).toThrow('The feed f.xml ("T") has no items');
    expect(() => parseFeed('<?xml version="1.0"?><html><body/></html>', 'f.xml')).toThrow('f.xml is XML but not an RSS or Atom feed');
    expect(() => parseFeed('<rss><channel><item></channel></rss>', 'f.xml')).toThrow(/f\.xml is not a well-formed feed: .*line 1/);
  });
  it('finds --item by guid, link or title in any case, and suggests a near title', () => {
    const feed = parseFeed(rss('<item><title>Issue One</title><guid>g1</guid><link>https://x/1</link></item>'), 'f');
    expect(findFeedItem(feed, 'g1', 'f').title).toBe('Issue One');
    expect(findFeedItem(feed, 'https://x/1', 'f').title).toBe('Issue One');
    expect(findFeedItem(feed, 'issue one', 'f').title).toBe('Issue One');
    expect(() => findFeedItem(feed, 'Issue Onw', 'f')).toThrow('The feed f has no item titled or with the guid "Issue Onw"');
  });
  it('tells feeds from pages by their root element', () => {
    expect(looksLikeFeed('<?xml version="1.0"?>\n<!-- c --><rss version="2.0">')).toBe(true);
    expect(looksLikeFeed('<?xml version="1.0"?><?xml-stylesheet href="s.xsl"?><feed xmlns="http://www.w3.org/2005/Atom">')).toBe(true);
    expect(looksLikeFeed('<!DOCTYPE html><html><body>an rss feed</body></html>')).toBe(false);
  });
});

describe('decodeBody', () => {
  const cp1252 = Buffer.from([0x93, 0x63, 0x61, 0x66, 0xe9, 0x94, 0x20, 0x80]); // “café” €
  it('decodes by the header, then <meta>, then the XML declaration', () => {
    expect(decodeBody(cp1252, 'text/html; charset=windows-1252', 'p')).toBe('“café” €');
    expect(decodeBody(Buffer.concat([Buffer.from('<meta charset="windows-1252">'), cp1252]), undefined, 'p')).toBe('<meta charset="windows-1252">“café” €');
    expect(declaredCharset(Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><rss>'), undefined)).toEqual({ charset: 'iso-8859-1', from: 'the XML declaration' });
    expect(declaredCharset(Buffer.from('\uFEFF<p>', 'utf8'), 'text/html; charset=latin1').from).toBe('byte order mark');
  });
  it('refuses invalid UTF-8 and unknown charsets instead of guessing', () => {
    expect(() => decodeBody(cp1252, 'text/html', 'p.html')).toThrow('p.html is not valid UTF-8 text (the charset comes from the default (nothing declared))');
    expect(() => decodeBody(Buffer.from('x'), 'text/html; charset=x-klingon', 'p.html')).toThrow('p.html is in the character set "x-klingon" (from the Content-Type header), which castline cannot decode');
  });
});

describe('writtenDate', () => {
  it.each([
    ['Sun, 03 Mar 2024 23:30:00 -0800', '2024-03-03'],
    ['2024-04-05T23:00:00-07:00', '2024-04-05'],
    ['Fri, 9 Feb 2024 14:05:12 GMT', '2024-02-09'],
    ['not a date', undefined],
    [undefined, undefined],
  ])('%s → %s', (raw, date) => expect(writtenDate(raw)).toBe(date));
});
