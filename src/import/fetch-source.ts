import { CastlineError } from '../core/errors.js';

/**
 * One HTTP GET with the limits a host expects from a command-line tool: a timeout over the
 * whole exchange (headers and body), a size cap enforced while streaming (a lying or missing
 * Content-Length cannot get past it), at most MAX_REDIRECTS redirects (followed by hand so
 * each hop is counted and checked to stay on http/https), and a User-Agent naming castline
 * (Substack and Ghost answer anonymous clients with bot challenges more often).
 * The body is returned as bytes: nothing fetched is ever executed, only parsed as text.
 */

export interface FetchLimits {
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
}

export interface FetchedSource {
  /** The URL after redirects: relative links in the page resolve against it. */
  url: string;
  contentType: string | undefined;
  body: Uint8Array;
}

export const MAX_REDIRECTS = 5;
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;

/** A positive number from the environment (a limit's test seam), else the default. */
export function positiveEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  const n = raw === undefined ? NaN : Number(raw);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

/** Limits with the environment seams CASTLINE_FETCH_TIMEOUT_MS and CASTLINE_FETCH_MAX_BYTES. */
export function fetchLimits(): FetchLimits {
  return {
    timeoutMs: positiveEnv('CASTLINE_FETCH_TIMEOUT_MS', DEFAULT_TIMEOUT_MS),
    maxBytes: positiveEnv('CASTLINE_FETCH_MAX_BYTES', DEFAULT_MAX_BYTES),
    maxRedirects: MAX_REDIRECTS,
  };
}

export function userAgent(version: string): string {
  return `castline/${version} (newsletter-to-podcast importer; +https://www.npmjs.com/package/castline)`;
}

const mib = (n: number): string => `${(n / 1024 / 1024).toFixed(n < 1024 * 1024 ? 2 : 0)} MiB`;

function networkError(url: string, error: unknown, limits: FetchLimits): CastlineError {
  const name = (error as { name?: string }).name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new CastlineError('fetch-timeout', `Fetching ${url} took longer than ${limits.timeoutMs / 1000} s and was stopped`, {
      hint: 'check the address and your connection and try again, or save the page and pass the file to --from',
      cause: error,
    });
  }
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? '';
  const why =
    code === 'ENOTFOUND' || code === 'EAI_AGAIN'
      ? 'the host name does not resolve'
      : code === 'ECONNREFUSED'
        ? 'the server refused the connection'
        : code === 'ECONNRESET' || code === 'UND_ERR_SOCKET'
          ? 'the server closed the connection'
          : cause?.message ?? (error instanceof Error ? error.message : String(error));
  return new CastlineError('fetch-failed', `Cannot fetch ${url}: ${why}`, {
    hint: 'check the address (copy it from the browser) and your connection, or save the page and pass the file to --from',
    cause: error,
  });
}

async function readCapped(response: Response, url: string, limits: FetchLimits): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  const tooBig = (): CastlineError =>
    new CastlineError('fetch-too-large', `${url} is larger than the ${mib(limits.maxBytes)} castline reads from one address`, {
      hint: 'a newsletter issue is far smaller: check that this is the issue or feed, or save the issue as a file and pass it to --from',
    });
  if (Number.isFinite(declared) && declared > limits.maxBytes) {
    await response.body?.cancel();
    throw tooBig();
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (!response.body) return new Uint8Array();
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limits.maxBytes) {
      await reader.cancel();
      throw tooBig();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** GET `url`, following up to `limits.maxRedirects` redirects. */
export async function fetchSource(url: string, limits: FetchLimits, agent: string, accept = 'application/rss+xml, application/atom+xml, application/xml;q=0.9, text/html;q=0.9, */*;q=0.5'): Promise<FetchedSource> {
  const signal = AbortSignal.timeout(limits.timeoutMs);
  let current = url;
  for (let hop = 0; ; hop++) {
    const parsed = new URL(current);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new CastlineError('fetch-bad-scheme', `${current} is not an http or https address`, { hint: 'pass a feed or issue URL starting with https://, or a saved file' });
    }
    let response: Response;
    try {
      response = await fetch(current, {
        redirect: 'manual',
        signal,
        headers: { 'user-agent': agent, accept },
      });
    } catch (error) {
      throw networkError(current, error, limits);
    }
    if (response.status >= 300 && response.status < 400 && response.headers.has('location')) {
      await response.body?.cancel();
      if (hop >= limits.maxRedirects) {
        throw new CastlineError('fetch-redirects', `${url} redirected more than ${limits.maxRedirects} times (last to ${current})`, {
          hint: 'open the address in a browser and pass the final address to --from',
        });
      }
      current = new URL(response.headers.get('location') ?? '', current).href;
      continue;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new CastlineError('fetch-status', `${current} answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`, {
        hint: response.status === 404 || response.status === 410 ? 'the address does not exist (any more): copy it again from the browser' : response.status === 401 || response.status === 403 ? 'the issue may be for paying subscribers only: save it from your browser and pass the file to --from' : 'try again later, or save the page and pass the file to --from',
      });
    }
    try {
      const body = await readCapped(response, current, limits);
      return { url: current, contentType: response.headers.get('content-type') ?? undefined, body };
    } catch (error) {
      if (error instanceof CastlineError) throw error;
      throw networkError(current, error, limits);
    }
  }
}

/** castline's User-Agent with the installed version. */
export async function castlineUserAgent(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return userAgent(pkg.version);
}
