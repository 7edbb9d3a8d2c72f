import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import PostalMime from 'postal-mime';
import { CastlineError } from '../core/errors.js';
import { decodeBody } from './decode-body.js';
import { fetchLimits, fetchSource, type FetchLimits } from './fetch-source.js';
import { htmlToIssue } from './html-to-issue.js';
import { findFeedItem, looksLikeFeed, parseFeed, type FeedItem } from './parse-feed.js';
import { writtenDate } from './written-date.js';

/**
 * `castline new --from <feed URL | issue URL | file.html | file.eml>`: one newsletter issue as
 * clean markdown with its title, date and identity. Everything is read and converted here
 * before the command writes anything, so a bad source leaves no half-made episode.
 */

export interface ImportedIssue {
  markdown: string;
  title: string | undefined;
  /** YYYY-MM-DD as the item or page gives it. */
  date: string | undefined;
  /** The item's identity (RSS guid, Atom id, canonical URL, Message-ID), recorded in episode.yaml. */
  guid: string | undefined;
  /** Where the issue can be read (the item's link, the page URL). */
  url: string | undefined;
  /** What was imported, for the report: "the feed … item …", "the page …". */
  description: string;
  /** Import rules that removed or unwrapped platform chrome. */
  applied: string[];
}

export interface ImportRequest {
  source: string;
  /** `--item`: a title, guid or link in the feed. */
  item?: string | undefined;
  /** Feed items already made into episodes: the newest item not in here is taken. */
  skipGuids?: ReadonlySet<string> | undefined;
  cwd: string;
  userAgent: string;
  limits?: FetchLimits;
}

interface SourceBytes {
  name: string;
  bytes: Uint8Array;
  contentType: string | undefined;
  url: string | undefined;
  email: boolean;
}

export function isUrl(source: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(source);
}

async function readSource(request: ImportRequest): Promise<SourceBytes> {
  if (isUrl(request.source)) {
    const fetched = await fetchSource(request.source, request.limits ?? fetchLimits(), request.userAgent);
    return { name: request.source, bytes: fetched.body, contentType: fetched.contentType, url: fetched.url, email: false };
  }
  const path = resolve(request.cwd, request.source);
  try {
    const bytes = await readFile(path);
    return { name: request.source, bytes, contentType: undefined, url: undefined, email: extname(path).toLowerCase() === '.eml' };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CastlineError('import-unreadable', `Cannot read ${request.source}${code === 'ENOENT' ? ': it does not exist' : code === 'EISDIR' ? ': it is a folder' : ` (${code})`}`, {
      hint: 'pass a feed or issue URL (https://…), or a saved .html or .eml file',
    });
  }
}

function pickItem(items: FeedItem[], request: ImportRequest, name: string, feedTitle: string | undefined): FeedItem {
  if (request.item !== undefined) return findFeedItem({ title: feedTitle, items }, request.item, name);
  if (!request.skipGuids) return items[0] as FeedItem;
  const fresh = items.find((i) => !request.skipGuids?.has(i.guid));
  if (!fresh) {
    throw new CastlineError('newsletter-nothing-new', `Every item in the feed ${name} is already an episode (newest: "${items[0]?.title}")`, {
      hint: 'wait for the next issue, or pass --from <file or URL> (or --item with --from) to import another one',
    });
  }
  return fresh;
}

async function fromEmail(source: SourceBytes): Promise<ImportedIssue> {
  let email: Awaited<ReturnType<typeof PostalMime.parse>>;
  try {
    email = await PostalMime.parse(source.bytes);
  } catch (error) {
    throw new CastlineError('import-email', `${source.name} is not a readable email (${(error as Error).message})`, { hint: 'save the newsletter from your mail program as .eml (the whole message, with headers)' });
  }
  const rawDate = email.headers.find((h) => h.key === 'date')?.value ?? email.date;
  const base = { title: email.subject?.trim() || undefined, date: writtenDate(rawDate), guid: email.messageId?.trim() || undefined, url: undefined };
  if (email.html) {
    const converted = htmlToIssue(email.html, { name: source.name, kind: 'fragment', title: base.title });
    return { ...base, markdown: converted.markdown, description: `the email "${base.title ?? source.name}"`, applied: converted.applied };
  }
  const text = email.text?.replace(/\r\n?/g, '\n').trim();
  if (!text) {
    throw new CastlineError('import-no-article', `The email ${source.name} has no text or HTML body`, { hint: 'save the newsletter email itself (not a forward with attachments only) as .eml' });
  }
  // A text-only email is a plain-text issue: its subject on the first line is the title.
  return { ...base, markdown: `${base.title ? `${base.title}\n\n` : ''}${text}\n`, description: `the email "${base.title ?? source.name}"`, applied: [] };
}

export async function importIssue(request: ImportRequest): Promise<ImportedIssue> {
  const source = await readSource(request);
  if (source.email) {
    if (request.item !== undefined) throw itemNeedsFeed(source.name);
    return fromEmail(source);
  }
  const text = decodeBody(source.bytes, source.contentType, source.name);
  if (looksLikeFeed(text) || /\b(?:rss|atom)\+xml\b/i.test(source.contentType ?? '')) {
    const feed = parseFeed(text, source.name);
    const item = pickItem(feed.items, request, source.name, feed.title);
    if (!item.html.trim()) {
      throw new CastlineError('newsletter-item-empty', `The item "${item.title}" in ${source.name} has no content (no content:encoded, description, content or summary)`, {
        hint: item.link ? `pass the issue's page instead: --from ${item.link}` : 'pass the issue\'s page or a saved file to --from instead',
      });
    }
    const converted = htmlToIssue(item.html, { name: `the item "${item.title}" in ${source.name}`, kind: 'fragment', baseUrl: item.link ?? source.url, title: item.title || undefined });
    return {
      markdown: converted.markdown,
      title: converted.title,
      date: writtenDate(item.published),
      guid: item.guid || undefined,
      url: item.link,
      description: `"${item.title}" from the feed ${source.name}`,
      applied: converted.applied,
    };
  }
  if (request.item !== undefined) throw itemNeedsFeed(source.name);
  const converted = htmlToIssue(text, { name: source.name, kind: 'page', baseUrl: source.url });
  return {
    markdown: converted.markdown,
    title: converted.title,
    date: writtenDate(converted.published),
    guid: converted.canonical ?? source.url,
    url: converted.canonical ?? source.url,
    description: `the page ${source.name}`,
    applied: converted.applied,
  };
}

function itemNeedsFeed(name: string): CastlineError {
  return new CastlineError('import-item-needs-feed', `--item picks an item from a feed, but ${name} is not a feed`, { hint: 'pass the newsletter\'s RSS or Atom feed to --from, or leave out --item' });
}
