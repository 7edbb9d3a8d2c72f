import { open, realpath, rename, rm } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { CastlineError } from '../core/errors.js';
import { tempPathFor, writeFileAtomic } from '../core/fs-atomic.js';
import { mapLimit } from '../core/map-limit.js';
import { MAX_REDIRECTS, fetchSource, positiveEnv, type FetchLimits } from '../import/fetch-source.js';
import { probeInput } from '../media/probe-input.js';
import { isRemoteTarget } from './figure-cues.js';

/**
 * `castline script` keeps the issue's images in the episode folder (issue 15): each image
 * given by URL is downloaded into visuals/figure-N.<type>, each local one copied there, so the
 * build never needs the network. Every file is checked before it is kept: the server's
 * Content-Type must say image, the bytes must be PNG, JPEG, WebP or GIF (named by what they
 * are, not by the URL), and ffmpeg must decode them (the build's own image probe). A file that
 * fails any check is not kept: the cue keeps its source and a note says why and what to do.
 * Fetched bytes are only ever sniffed and decoded, never executed; names never come from the URL.
 */

export type ImageType = 'png' | 'jpg' | 'webp' | 'gif';

/** The image type from the file's first bytes (magic numbers of each format's spec). */
export function sniffImage(bytes: Uint8Array): ImageType | undefined {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 16));
  // PNG signature (RFC 2083 §3.1): 89 50 4E 47 0D 0A 1A 0A.
  if (b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  // JPEG: SOI marker FF D8 followed by another marker (ITU T.81 B.2).
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpg';
  // GIF87a / GIF89a header (GIF89a spec §17).
  if (/^GIF8[79]a/.test(b.subarray(0, 6).toString('latin1'))) return 'gif';
  // WebP: a RIFF container of form type WEBP (RFC 9649 §2.5).
  if (b.length >= 12 && b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP') return 'webp';
  return undefined;
}

export interface FigureLimits extends FetchLimits {
  /** Downloads in flight at once. */
  parallel: number;
}

const DEFAULT_TIMEOUT_MS = 20_000;
const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;

/** Limits with the environment seams CASTLINE_IMAGE_TIMEOUT_MS and CASTLINE_IMAGE_MAX_BYTES. */
export function figureLimits(): FigureLimits {
  return {
    timeoutMs: positiveEnv('CASTLINE_IMAGE_TIMEOUT_MS', DEFAULT_TIMEOUT_MS),
    maxBytes: positiveEnv('CASTLINE_IMAGE_MAX_BYTES', DEFAULT_MAX_BYTES),
    maxRedirects: MAX_REDIRECTS,
    parallel: 4,
  };
}

export interface FigureSource {
  /** The image's source as the issue wrote it. */
  src: string;
  /** visuals/figure-N (no extension): where it is kept, relative to the episode folder. */
  base: string;
}

/** What became of one image: kept as `target` (relative to the episode folder), or not, and why. */
export type FigureResult = { src: string; target: string; kept: true } | { src: string; target: string; kept: false; reason: string; note: string };

export interface FetchFiguresInput {
  root: string;
  /** The episode folder (targets are relative to it) and issue.md's folder (local sources are). */
  episodeDir: string;
  issueDir: string;
  images: readonly string[];
  limits: FigureLimits;
  agent: string;
  /** false: download nothing (the cues keep their URLs). */
  download: boolean;
}

/** The figure files' names: visuals/figure-1, -2, … in script order (never from the URL). */
export function planFigureFiles(images: readonly string[]): FigureSource[] {
  return images.map((src, i) => ({ src, base: `visuals/figure-${i + 1}` }));
}

const mib = (n: number): string => `${(n / 1024 / 1024).toFixed(n < 1024 * 1024 ? 2 : 1)} MiB`;

/** Why a fetch failed, as the few words a cue's note holds. */
function fetchReason(error: unknown, limits: FetchLimits): string {
  if (!(error instanceof CastlineError)) return error instanceof Error ? error.message : String(error);
  switch (error.code) {
    case 'fetch-status':
      return /answered (HTTP \d+)/.exec(error.message)?.[1] ?? 'the server answered with an error';
    case 'fetch-timeout':
      return `no answer within ${limits.timeoutMs / 1000} s`;
    case 'fetch-too-large':
      return `larger than ${mib(limits.maxBytes)}`;
    case 'fetch-redirects':
      return `more than ${limits.maxRedirects} redirects`;
    case 'fetch-bad-scheme':
      return 'redirected to an address that is not http or https';
    default:
      return error.message.replace(/^Cannot fetch \S+: /, '');
  }
}

class NotImageError extends Error {}

/** The Content-Type says image (or says nothing useful: then the bytes decide). */
function checkContentType(contentType: string | undefined): void {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'image/svg+xml') throw new NotImageError('an SVG drawing (castline shows PNG, JPEG, WebP or GIF)');
  if (type && !type.startsWith('image/') && type !== 'application/octet-stream') throw new NotImageError(`not an image (the server sent ${type})`);
}

/** Keep the bytes as `<base>.<type>` if they are an image that decodes; else throw NotImageError. */
async function keepImage(root: string, episodeDir: string, base: string, bytes: Uint8Array): Promise<string> {
  const type = sniffImage(bytes);
  if (!type) throw new NotImageError('not an image (the data is not PNG, JPEG, WebP or GIF)');
  const target = `${base}.${type}`;
  const abs = join(episodeDir, target);
  // Decoded under a temporary name beside the target, renamed only when it decodes.
  const tmp = `${tempPathFor(abs)}.${type}`;
  await writeFileAtomic(tmp, bytes);
  try {
    await probeInput(root, tmp, 'image');
  } catch (error) {
    await rm(tmp, { force: true });
    if (error instanceof CastlineError) throw new NotImageError(`a damaged ${type.toUpperCase()} that does not decode`);
    throw error;
  }
  try {
    await rename(tmp, abs);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
  return target;
}

/** A local file inside the show folder, read up to the size limit. */
async function readLocal(root: string, issueDir: string, src: string, maxBytes: number): Promise<{ abs: string; bytes: Uint8Array }> {
  let path: string;
  try {
    path = decodeURIComponent(src.replace(/[?#].*$/, ''));
  } catch {
    path = src;
  }
  const abs = resolve(issueDir, path);
  let real: string;
  try {
    real = await realpath(abs);
  } catch {
    throw new NotImageError(`${relative(root, abs)} does not exist`);
  }
  const inside = relative(await realpath(root), real);
  if (inside.startsWith('..') || isAbsolute(inside)) throw new NotImageError('outside the show folder');
  const handle = await open(real, 'r');
  try {
    const { size } = await handle.stat();
    if (size > maxBytes) throw new NotImageError(`larger than ${mib(maxBytes)}`);
    const bytes = Buffer.alloc(size);
    await handle.read(bytes, 0, size, 0);
    return { abs: real, bytes };
  } finally {
    await handle.close();
  }
}

function failed(src: string, reason: string, remedy: string): FigureResult {
  return { src, target: src, kept: false, reason, note: `not downloaded: ${reason}; ${remedy}` };
}

async function fetchOne(input: FetchFiguresInput, figure: FigureSource): Promise<FigureResult> {
  const { src, base } = figure;
  const saveAs = `save the image as ${base}.png (or .jpg) and change the link to it`;
  const url = src.startsWith('//') ? `https:${src}` : src;
  if (/^data:/i.test(url)) return failed(src, 'an image inlined as a data: address', saveAs);
  if (isRemoteTarget(url)) {
    if (!/^https?:/i.test(url)) return failed(src, 'not an http or https address', saveAs);
    if (!input.download) return failed(src, 'castline script ran with --no-download', saveAs);
    try {
      const fetched = await fetchSource(url, input.limits, input.agent, 'image/png, image/jpeg, image/webp, image/gif;q=0.9, image/*;q=0.5');
      checkContentType(fetched.contentType);
      return { src, target: await keepImage(input.root, input.episodeDir, base, fetched.body), kept: true };
    } catch (error) {
      if (error instanceof NotImageError) return failed(src, error.message, saveAs);
      if (error instanceof CastlineError && error.code.startsWith('fetch-')) return failed(src, fetchReason(error, input.limits), saveAs);
      throw error;
    }
  }
  try {
    const local = await readLocal(input.root, input.issueDir, src, input.limits.maxBytes);
    const inVisuals = relative(join(input.episodeDir, 'visuals'), local.abs);
    // An image already in the episode's visuals/ is named where it is (after the same checks).
    if (!inVisuals.startsWith('..') && !isAbsolute(inVisuals) && sniffImage(local.bytes)) {
      await probeInput(input.root, local.abs, 'image').catch(() => {
        throw new NotImageError('a damaged image that does not decode');
      });
      return { src, target: `visuals/${inVisuals.split(sep).join('/')}`, kept: true };
    }
    return { src, target: await keepImage(input.root, input.episodeDir, base, local.bytes), kept: true };
  } catch (error) {
    if (error instanceof NotImageError) return { src, target: src, kept: false, reason: error.message, note: `not copied: ${error.message}; put the image in ${base}.png (or .jpg) and change the link to it` };
    throw error;
  }
}

/** Download or copy every image (a few at a time); never throws for an image that fails. */
export async function fetchFigures(input: FetchFiguresInput): Promise<FigureResult[]> {
  return mapLimit(planFigureFiles(input.images), input.limits.parallel, (f) => fetchOne(input, f));
}
