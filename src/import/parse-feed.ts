import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { CastlineError } from '../core/errors.js';
import { didYouMean } from '../core/did-you-mean.js';

/**
 * An RSS 2.0, RSS 1.0 (RDF) or Atom feed → its items with the full HTML of each issue.
 * Where the HTML lives differs by platform: Substack, WordPress and beehiiv put the full post
 * in `content:encoded` (RSS content module, https://web.resource.org/rss/1.0/modules/content/)
 * and an excerpt in `description`; Ghost does the same; Buttondown sends the full post in
 * `description`; Atom feeds put it in `<content type="html">` (RFC 4287 §4.1.3), with
 * `<summary>` as the excerpt. The longest of these is the issue.
 */

export interface FeedItem {
  /** RSS `guid`, Atom `id`, else the item's link: the identity recorded in episode.yaml. */
  guid: string;
  title: string;
  link: string | undefined;
  /** The item's date as written (RFC 822 or RFC 3339), when it has one. */
  published: string | undefined;
  html: string;
}

export interface ParsedFeed {
  title: string | undefined;
  /** Newest first. */
  items: FeedItem[];
}

type Node = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  htmlEntities: true,
  isArray: (name) => ['item', 'entry', 'link'].includes(name),
});

/** The text of an element that may carry attributes (`{ '#text': …, '@_type': … }`). */
function text(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' || typeof value === 'number') return String(value).trim() || undefined;
  if (Array.isArray(value)) return text(value[0]);
  if (typeof value === 'object') return text((value as Node)['#text']);
  return undefined;
}


function atomLink(links: unknown): string | undefined {
  const list = (Array.isArray(links) ? links : [links]).filter((l): l is Node => typeof l === 'object' && l !== null);
  const alternate = list.find((l) => l['@_rel'] === undefined || l['@_rel'] === 'alternate') ?? list[0];
  return typeof alternate?.['@_href'] === 'string' ? alternate['@_href'] : undefined;
}

function longest(...candidates: Array<string | undefined>): string {
  return candidates.reduce<string>((best, c) => (c && c.length > best.length ? c : best), '');
}

function rssItem(item: Node): FeedItem {
  const link = text(item['link']);
  return {
    guid: text(item['guid']) ?? link ?? text(item['title']) ?? '',
    title: text(item['title']) ?? '',
    link,
    published: text(item['pubDate']) ?? text(item['dc:date']),
    html: longest(text(item['content:encoded']), text(item['description'])),
  };
}

function atomEntry(entry: Node): FeedItem {
  const link = atomLink(entry['link']);
  const content = entry['content'];
  // type="text" content is plain text: escape it so the HTML step keeps it as text.
  const type = typeof content === 'object' && content !== null ? (content as Node)['@_type'] : undefined;
  const body = type === 'text' ? `<pre>${(text(content) ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;')}</pre>` : text(content);
  return {
    guid: text(entry['id']) ?? link ?? '',
    title: text(entry['title']) ?? '',
    link,
    published: text(entry['published']) ?? text(entry['updated']),
    html: longest(body, text(entry['summary'])),
  };
}

/** True when the text looks like a feed rather than a web page (checked before parsing). */
export function looksLikeFeed(textBody: string): boolean {
  const head = textBody.slice(0, 2048).replace(/<!--[\s\S]*?-->/g, '');
  return /^\s*(?:<\?xml[^>]*>\s*)?(?:<\?xml-stylesheet[^>]*>\s*)*(?:<!DOCTYPE[^>]*>\s*)?<(?:rss|feed|rdf:RDF)\b/i.test(head);
}

export function parseFeed(xml: string, name: string): ParsedFeed {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw new CastlineError('newsletter-feed-invalid', `${name} is not a well-formed feed: ${valid.err.msg} (line ${valid.err.line})`, {
      hint: 'check that the address is the newsletter\'s RSS or Atom feed (often /feed or /rss), or pass one issue\'s page instead',
    });
  }
  const doc = parser.parse(xml) as Node;
  const rss = doc['rss'] as Node | undefined;
  const rdf = doc['rdf:RDF'] as Node | undefined;
  const atom = doc['feed'] as Node | undefined;
  let items: FeedItem[];
  let title: string | undefined;
  if (rss || rdf) {
    const channel = ((rss ?? rdf)?.['channel'] ?? {}) as Node;
    title = text(channel['title']);
    const raw = (rss ? channel['item'] : rdf?.['item']) as Node[] | undefined;
    items = (raw ?? []).map(rssItem);
  } else if (atom) {
    title = text(atom['title']);
    items = ((atom['entry'] as Node[] | undefined) ?? []).map(atomEntry);
  } else {
    throw new CastlineError('newsletter-feed-invalid', `${name} is XML but not an RSS or Atom feed`, {
      hint: 'pass the newsletter\'s RSS or Atom feed (often /feed or /rss), or one issue\'s page',
    });
  }
  if (items.length === 0) {
    throw new CastlineError('newsletter-feed-empty', `The feed ${name}${title ? ` ("${title}")` : ''} has no items`, {
      hint: 'the newsletter has not published anything in this feed yet; pass one issue\'s page or a saved file to --from instead',
    });
  }
  // Feeds list newest first by convention, not by rule: sort by date, keeping feed order for ties.
  const order = items.map((item, i) => ({ item, i, t: (item.published ? Date.parse(item.published) : NaN) || -Infinity }));
  order.sort((a, b) => (b.t === a.t ? a.i - b.i : b.t - a.t));
  return { title, items: order.map((o) => o.item) };
}

/** `--item <title or guid>`: the item whose guid, link or title (any case) is exactly that. */
export function findFeedItem(feed: ParsedFeed, wanted: string, name: string): FeedItem {
  const lower = wanted.trim().toLowerCase();
  const found = feed.items.find((i) => i.guid === wanted || i.link === wanted || i.title.toLowerCase() === lower);
  if (found) return found;
  const guess = didYouMean(wanted, feed.items.map((i) => i.title));
  const titles = feed.items.slice(0, 5).map((i) => `"${i.title}"`).join(', ');
  throw new CastlineError('newsletter-item-missing', `The feed ${name} has no item titled or with the guid "${wanted}"`, {
    hint: guess ? `did you mean --item "${guess}"?` : `its newest items are ${titles}`,
  });
}
