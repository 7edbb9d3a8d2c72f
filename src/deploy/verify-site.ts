import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { ShowContext } from '../config/load-show.js';
import { CastlineError, errorMessage } from '../core/errors.js';
import { mapLimit } from '../core/map-limit.js';
import { readBuildRecord } from '../records/build-record.js';
import type { Reporter } from '../core/reporter.js';
import { prefixedUrl, unprefixUrl } from '../publication/enclosure-prefix.js';

/**
 * `castline verify`: fetch the live feed and every file it names the way a podcatcher would,
 * and compare with dist/. For each enclosure, chapters, transcript and image URL: the status,
 * Content-Length against the local file (a truncated or stale upload), Content-Type against
 * what the feed declares (Apple and Spotify reject audio served as octet-stream), and a byte
 * range answered 206 (RFC 9110 §14; Apple requires range support for enclosures). Every
 * problem names the URL and what to fix. Reading only: nothing is changed anywhere.
 */
export interface VerifyOptions {
  /** Fetch the site here instead of site.baseUrl (URLs under site.baseUrl are rewritten). */
  baseUrl?: string | undefined;
  reporter: Reporter;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export type UrlKind = 'feed' | 'enclosure' | 'chapters' | 'transcript' | 'image';

export interface VerifyProblem {
  url: string;
  kind: UrlKind;
  message: string;
  fix: string;
}

export interface CheckedUrl {
  url: string;
  kind: UrlKind;
  status: number;
  bytes?: number;
  contentType?: string;
}

export interface VerifyResult {
  feedUrl: string;
  checked: CheckedUrl[];
  problems: VerifyProblem[];
  warnings: VerifyProblem[];
  ok: boolean;
}

interface FeedUrl {
  url: string;
  kind: UrlKind;
  /** The MIME type the feed declares for it. */
  type?: string;
  /** The enclosure's declared length. */
  length?: number;
}

const FEED_TYPES = ['application/rss+xml', 'application/xml', 'text/xml'];

export async function verifySite(show: ShowContext, options: VerifyOptions): Promise<VerifyResult> {
  const doFetch = options.fetch ?? fetch;
  const timeout = options.timeoutMs ?? 30_000;
  const siteBase = show.show.site.baseUrl;
  const base = options.baseUrl ? (options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`) : siteBase;
  const prefix = show.show.feed.enclosurePrefix;
  // An enclosure behind an analytics prefix (feed.enclosurePrefix) is fetched through it, the
  // way podcatchers do: the prefix must redirect to the file (checked below), which is then
  // compared with dist/ like any other.
  const unprefixed = (url: string): string => unprefixUrl(prefix, url);
  /** Where the file itself is served (under --base-url when given). */
  const direct = (url: string): string => {
    const plain = unprefixed(url);
    return plain.startsWith(siteBase) ? base + plain.slice(siteBase.length) : plain;
  };
  const live = (url: string): string => (unprefixed(url) !== url ? prefixedUrl(prefix, direct(url)) : direct(url));
  const localPath = (prefixed: string): string | undefined => {
    const url = unprefixed(prefixed);
    return url.startsWith(siteBase) ? join(show.root, 'dist', decodeURIComponent(url.slice(siteBase.length).split(/[?#]/)[0]!)) : undefined;
  };
  const feedUrl = `${base}feed.xml`;
  const problems: VerifyProblem[] = [];
  const warnings: VerifyProblem[] = [];
  const checked: CheckedUrl[] = [];

  let res: Response;
  let text: string;
  try {
    res = await doFetch(feedUrl, { signal: AbortSignal.timeout(timeout), headers: { 'user-agent': 'castline verify' } });
    text = await res.text();
  } catch (error) {
    throw new CastlineError('verify-feed-unreachable', `Cannot fetch the live feed ${feedUrl}: ${errorMessage((error as { cause?: unknown }).cause ?? error)}`, {
      hint: options.baseUrl ? 'check --base-url and that the server is up' : 'check site.baseUrl in show.yaml and that castline deploy finished (castline verify --base-url URL checks another address)',
    });
  }
  const feedType = mediaType(res.headers.get('content-type'));
  checked.push({ url: feedUrl, kind: 'feed', status: res.status, bytes: Buffer.byteLength(text), ...(feedType ? { contentType: feedType } : {}) });
  if (res.status !== 200) {
    problems.push({ url: feedUrl, kind: 'feed', message: `answered HTTP ${res.status}`, fix: res.status === 404 ? 'run castline deploy (feed.xml is not there), or fix site.baseUrl' : 'check the server or bucket permissions: listeners must be able to read the feed without credentials' });
    return finish();
  }
  if (!FEED_TYPES.includes(feedType)) {
    problems.push({ url: feedUrl, kind: 'feed', message: `is served as ${feedType || 'no Content-Type'}, not application/rss+xml`, fix: 'serve feed.xml as application/rss+xml (castline deploy sets it on S3; nginx: types { application/rss+xml xml; })' });
  }
  if (XMLValidator.validate(text) !== true) {
    problems.push({ url: feedUrl, kind: 'feed', message: 'is not well-formed XML (truncated or not the feed)', fix: 'rerun castline deploy; if it persists, check what the server returns at that URL' });
    return finish();
  }
  const local = await readFile(join(show.root, 'dist', 'feed.xml'), 'utf8').catch(() => undefined);
  if (local !== undefined && local !== text) {
    warnings.push({ url: feedUrl, kind: 'feed', message: 'differs from dist/feed.xml', fix: 'run castline deploy; a CDN may also still serve the old feed for a few minutes (Cache-Control max-age=300)' });
  }

  const urls = feedUrls(text);
  const kept = await keptSizes(show);
  const results = await mapLimit(urls, 4, (u) => checkUrl(u));
  for (const r of results) checked.push(r);
  return finish();

  function finish(): VerifyResult {
    for (const p of problems) options.reporter.info(`✗ ${p.url}: ${p.message}\n    fix: ${p.fix}`);
    for (const w of warnings) options.reporter.warn(`${w.url}: ${w.message} (${w.fix})`);
    if (!problems.length) options.reporter.done(`verified ${feedUrl} and ${checked.length - 1} file${checked.length === 2 ? '' : 's'} it names`);
    return { feedUrl, checked, problems, warnings, ok: problems.length === 0 };
  }

  async function checkUrl(u: FeedUrl): Promise<CheckedUrl> {
    const url = live(u.url);
    const problem = (message: string, fix: string): void => void problems.push({ url, kind: u.kind, message, fix });
    const path = localPath(u.url);
    // An episode kept on the target (a clone without dist/) has its sizes in its build record.
    const localBytes = path ? await stat(path).then((s) => s.size, () => kept.get(path)) : undefined;
    let head: Response;
    try {
      head = await doFetch(url, { method: 'HEAD', signal: AbortSignal.timeout(timeout), headers: { 'user-agent': 'castline verify' } });
    } catch (error) {
      problem(`cannot be fetched (${errorMessage((error as { cause?: unknown }).cause ?? error)})`, 'check the host name in site.baseUrl and that the server is up');
      return { url, kind: u.kind, status: 0 };
    }
    const file = direct(u.url);
    // fetch followed the prefix's redirects: the last URL must be the file itself.
    if (file !== url && head.url && head.url !== file) {
      problem(`the enclosure prefix leads to ${head.url}, not to ${file}`, 'check feed.enclosurePrefix in show.yaml against what your analytics service documents (OP3: https://op3.dev/e/)');
    }
    const contentType = mediaType(head.headers.get('content-type'));
    const length = head.headers.get('content-length');
    const bytes = length === null ? undefined : Number(length);
    const out: CheckedUrl = { url, kind: u.kind, status: head.status, ...(bytes !== undefined ? { bytes } : {}), ...(contentType ? { contentType } : {}) };
    if (head.status !== 200) {
      problem(`answered HTTP ${head.status}`, head.status === 404 ? 'the feed names a file that is not deployed: run castline deploy' : head.status === 403 ? 'make the file publicly readable (bucket policy or web server permissions)' : 'check the server');
      return out;
    }
    if (localBytes !== undefined && bytes !== localBytes) {
      problem(`Content-Length is ${bytes ?? 'missing'}, the local file has ${localBytes} bytes (truncated or stale upload)`, 'rerun castline deploy; if the size still differs, delete .castline/deploy.json on the target so every file is sent again');
    }
    if (u.kind === 'enclosure' && u.length !== undefined && localBytes !== undefined && u.length !== localBytes) {
      problem(`the feed's enclosure length is ${u.length}, the file has ${localBytes} bytes`, 'run castline build so the feed is written from the current files, then castline deploy');
    }
    const expected = expectedTypes(u);
    if (expected && !expected.some((t) => (t.endsWith('/') ? contentType.startsWith(t) : contentType === t))) {
      problem(`is served as ${contentType || 'no Content-Type'}, expected ${expected.join(' or ')}`, `serve it as ${expected[0]!.endsWith('/') ? `${expected[0]}…` : expected[0]} (castline deploy sets it on S3; on nginx add it to the types block, README: CORS)`);
    }
    // Range: podcatchers seek and resume with byte ranges; Apple requires them.
    try {
      const ranged = await doFetch(url, { headers: { range: 'bytes=0-1', 'user-agent': 'castline verify' }, signal: AbortSignal.timeout(timeout) });
      await ranged.arrayBuffer();
      const contentRange = ranged.headers.get('content-range') ?? '';
      if (ranged.status !== 206) problem(`a Range request (bytes=0-1) got HTTP ${ranged.status}, not 206 Partial Content`, 'enable byte-range requests on the server (nginx and S3 do by default; check a proxy or CDN in front)');
      else if (localBytes !== undefined && !contentRange.endsWith(`/${localBytes}`)) problem(`Content-Range is "${contentRange}", expected a total of ${localBytes} bytes`, 'rerun castline deploy');
    } catch (error) {
      problem(`a Range request failed (${errorMessage(error)})`, 'enable byte-range requests on the server');
    }
    if (u.kind === 'chapters' || u.kind === 'transcript') {
      const cors = await doFetch(url, { method: 'HEAD', headers: { origin: 'https://player.example', 'user-agent': 'castline verify' }, signal: AbortSignal.timeout(timeout) }).catch(() => undefined);
      if (cors && !cors.headers.get('access-control-allow-origin')) {
        warnings.push({ url, kind: u.kind, message: 'sends no Access-Control-Allow-Origin, so web players cannot load it', fix: 'castline deploy --setup on S3, or add the header on the web server (README: CORS)' });
      }
    }
    return out;
  }
}

/** Absolute dist/ path → bytes, for the outputs of episodes kept on the target (not in dist/). */
async function keptSizes(show: ShowContext): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  for (const episode of show.episodes) {
    const read = await readBuildRecord(show.root, episode.id).catch(() => undefined);
    if (read?.state !== 'kept') continue;
    for (const file of Object.values(read.record.outputs)) if (file) sizes.set(join(show.root, file.path), file.bytes);
  }
  return sizes;
}

/** The type without parameters, lowercased: `text/vtt; charset=utf-8` → `text/vtt`. */
function mediaType(header: string | null): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

function expectedTypes(u: FeedUrl): string[] | undefined {
  switch (u.kind) {
    case 'image':
      return ['image/'];
    case 'chapters':
      // The feed says application/json+chapters (Podcasting 2.0); servers send plain JSON.
      return ['application/json', 'application/json+chapters'];
    case 'transcript':
    case 'enclosure':
      return u.type ? [u.type.toLowerCase()] : undefined;
    default:
      return undefined;
  }
}

/** Every URL a podcatcher fetches from the feed, once each, in feed order. */
export function feedUrls(xml: string): FeedUrl[] {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => ['item', 'podcast:transcript', 'atom:link', 'podcast:alternateEnclosure', 'podcast:source'].includes(name) });
  const doc = parser.parse(xml) as { rss?: { channel?: Record<string, any> } };
  const channel = doc.rss?.channel ?? {};
  const out: FeedUrl[] = [];
  const seen = new Set<string>();
  const add = (u: FeedUrl | undefined): void => {
    if (!u?.url || seen.has(u.url)) return;
    seen.add(u.url);
    out.push(u);
  };
  add(channel['itunes:image']?.['@href'] ? { url: channel['itunes:image']['@href'], kind: 'image' } : undefined);
  add(channel['image']?.url ? { url: String(channel['image'].url), kind: 'image' } : undefined);
  for (const item of (channel['item'] ?? []) as Record<string, any>[]) {
    const enc = item['enclosure'];
    if (enc?.['@url']) add({ url: enc['@url'], kind: 'enclosure', type: enc['@type'], ...(enc['@length'] !== undefined ? { length: Number(enc['@length']) } : {}) });
    // The MP4 (feed.video: alternate) and any other alternate: every podcast:source uri is fetched.
    for (const alt of (item['podcast:alternateEnclosure'] ?? []) as Record<string, any>[]) {
      for (const src of (alt['podcast:source'] ?? []) as Record<string, string>[]) {
        if (src['@uri']) add({ url: src['@uri'], kind: 'enclosure', type: alt['@type'], ...(alt['@length'] !== undefined ? { length: Number(alt['@length']) } : {}) });
      }
    }
    const ch = item['podcast:chapters'];
    if (ch?.['@url']) add({ url: ch['@url'], kind: 'chapters', type: ch['@type'] });
    for (const t of (item['podcast:transcript'] ?? []) as Record<string, string>[]) if (t['@url']) add({ url: t['@url'], kind: 'transcript', type: t['@type'] });
    if (item['itunes:image']?.['@href']) add({ url: item['itunes:image']['@href'], kind: 'image' });
  }
  return out;
}
