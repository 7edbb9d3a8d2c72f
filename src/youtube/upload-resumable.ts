import { createReadStream } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { YouTubeApiError, googleErrorInfo, toYouTubeError } from './youtube-error.js';

/**
 * YouTube's resumable upload protocol, spoken over the OAuth client's `request()` (the
 * generated `videos.insert` only does multipart uploads, which restart from zero on failure).
 * https://developers.google.com/youtube/v3/guides/using_resumable_upload_protocol:
 *   1. POST /upload/youtube/v3/videos?uploadType=resumable&part=… with the video resource and
 *      X-Upload-Content-Length/-Type → the session URI in `Location` (saved by the caller at once);
 *   2. PUT chunks with `Content-Range: bytes a-b/total`; every chunk but the last a multiple of
 *      256 KiB; 308 Resume Incomplete + `Range: bytes=0-N` says what the server has stored (no
 *      Range = nothing); 200/201 + the video resource ends it;
 *   3. after any failure, `PUT` with `Content-Range: bytes *\/total` asks what was stored, and
 *      the upload goes on from there; 404/410 mean the session expired.
 * 500/502/503/504, connection resets and timeouts are retried with exponential backoff and
 * jitter (https://developers.google.com/youtube/v3/guides/using_resumable_upload_protocol#Exponential_Backoff).
 * Each chunk is streamed from disk, so memory stays flat whatever the file size.
 */

export const CHUNK_GRANULE = 256 * 1024;

export interface HttpResponse {
  status: number;
  headers: Headers | Record<string, string | string[] | undefined>;
  data: unknown;
}

export interface HttpRequest {
  url: string;
  method: 'POST' | 'PUT';
  headers: Record<string, string>;
  data?: unknown;
  timeout?: number;
}

/** `OAuth2Client.request` with every status accepted (the uploader reads 308s itself). */
export type RequestFn = (request: HttpRequest) => Promise<HttpResponse>;

export interface RetryPolicy {
  /** Failed attempts in a row before giving up. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 1000, maxDelayMs: 64_000 };

export interface UploadedVideo {
  id: string;
  [key: string]: unknown;
}

export interface ResumableUploadOptions {
  request: RequestFn;
  rootUrl: string;
  filePath: string;
  bytes: number;
  mimeType?: string;
  /** The video resource (snippet, status) sent when the session starts. */
  resource: unknown;
  parts?: string;
  /** Extra videos.insert query parameters (notifySubscribers). */
  params?: Record<string, string>;
  chunkBytes: number;
  /** An existing session to resume (from published.yaml). */
  sessionUri?: string;
  /** Called as soon as a new session exists, before any byte is sent: save it. */
  onSession?: (uri: string) => Promise<void>;
  onProgress?: (sent: number, total: number) => void;
  onRetry?: (info: { attempt: number; delayMs: number; why: string }) => void;
  retry?: RetryPolicy;
  /** Per-request timeout, ms (a stalled chunk counts as a failure and is retried). */
  timeoutMs?: number;
  random?: () => number;
  delay?: (ms: number) => Promise<void>;
}

/** The session expired or was never known to YouTube: look for the video, then start anew. */
export class UploadSessionExpiredError extends YouTubeApiError {
  constructor(status: number) {
    super('youtube-session-expired', `The saved upload session is no longer valid (HTTP ${status})`, { status, reason: 'sessionExpired', stopsRun: false });
  }
}

/** Chunk size rounded down to a multiple of 256 KiB (and at least 256 KiB). */
export function alignChunkSize(bytes: number): number {
  return Math.max(CHUNK_GRANULE, Math.floor(bytes / CHUNK_GRANULE) * CHUNK_GRANULE);
}

/** Bytes the server has, from a 308's `Range: bytes=0-N` header (absent → 0). */
export function parseRangeHeader(range: string | undefined | null): number {
  if (!range) return 0;
  const m = /^bytes=0-(\d+)$/.exec(range.trim());
  if (!m) throw new Error(`unexpected Range header from YouTube: ${range}`);
  return Number(m[1]) + 1;
}

/** Exponential backoff with full jitter: random in [0, min(max, base·2^attempt)]. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(cap / 2 + (random() * cap) / 2);
}

export const RETRYABLE_STATUS = new Set([500, 502, 503, 504]);

export function headerValue(headers: HttpResponse['headers'], name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const v = (headers as Record<string, string | string[] | undefined>)[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

function videoFrom(res: HttpResponse): UploadedVideo {
  const data = typeof res.data === 'string' ? (JSON.parse(res.data) as unknown) : res.data;
  const video = data as UploadedVideo | undefined;
  if (!video?.id) throw new YouTubeApiError('youtube-failed', 'YouTube finished the upload but sent no video id', { status: res.status, reason: 'noVideoId', stopsRun: false });
  return video;
}

function failure(res: HttpResponse, doing: string): Error {
  return toYouTubeError({ response: { status: res.status, data: res.data }, message: googleErrorInfo(res.status, res.data).message }, doing);
}

/** A transient failure worth retrying: a thrown network error (reset, timeout, refused) or 5xx. */
function isTransient(error: unknown): boolean {
  if (error instanceof YouTubeApiError) return false;
  const e = error as { response?: { status?: number } };
  if (e.response?.status) return RETRYABLE_STATUS.has(e.response.status);
  return true;
}

export async function uploadResumable(options: ResumableUploadOptions): Promise<{ video: UploadedVideo; sessionUri: string }> {
  const policy = options.retry ?? DEFAULT_RETRY;
  const random = options.random ?? Math.random;
  const delay = options.delay ?? ((ms: number) => sleep(ms));
  const chunk = alignChunkSize(options.chunkBytes);
  const total = options.bytes;
  const timeout = options.timeoutMs ?? 300_000;
  let attempt = 0;

  /** Run `fn`, retrying transient failures with backoff; other errors go up. */
  const withRetry = async <T>(why: string, fn: () => Promise<T>): Promise<T> => {
    for (;;) {
      try {
        return await fn();
      } catch (error) {
        if (!isTransient(error) || attempt + 1 >= policy.maxAttempts) throw error instanceof YouTubeApiError ? error : toYouTubeError(error, why);
        const ms = backoffDelay(attempt, policy, random);
        attempt++;
        options.onRetry?.({ attempt, delayMs: ms, why: `${why}: ${(error as Error).message}` });
        await delay(ms);
      }
    }
  };

  /** Ask the session what it has: a finished video or the next offset. */
  const query = (uri: string): Promise<{ video?: UploadedVideo; offset: number }> =>
    withRetry('upload status query', async () => {
      const res = await options.request({ url: uri, method: 'PUT', headers: { 'Content-Range': `bytes */${total}`, 'Content-Length': '0' }, timeout: 60_000 });
      if (res.status === 200 || res.status === 201) return { video: videoFrom(res), offset: total };
      if (res.status === 308) return { offset: parseRangeHeader(headerValue(res.headers, 'range')) };
      if (res.status === 404 || res.status === 410) throw new UploadSessionExpiredError(res.status);
      if (RETRYABLE_STATUS.has(res.status)) throw Object.assign(new Error(`HTTP ${res.status}`), { response: res });
      throw failure(res, 'upload status query');
    });

  let uri = options.sessionUri;
  let offset = 0;
  if (uri) {
    const state = await query(uri);
    if (state.video) return { video: state.video, sessionUri: uri };
    offset = state.offset;
  } else {
    uri = await withRetry('starting the upload', async () => {
      const extra = Object.entries(options.params ?? {}).map(([k, v]) => `&${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('');
      const url = `${options.rootUrl}upload/youtube/v3/videos?uploadType=resumable&part=${encodeURIComponent(options.parts ?? 'snippet,status')}${extra}`;
      const res = await options.request({
        url,
        method: 'POST',
        headers: {
          'Content-Type': 'application/json; charset=UTF-8',
          'X-Upload-Content-Length': String(total),
          'X-Upload-Content-Type': options.mimeType ?? 'video/mp4',
        },
        data: JSON.stringify(options.resource),
        timeout: 60_000,
      });
      if (res.status === 200 || res.status === 201) {
        const location = headerValue(res.headers, 'location');
        if (!location) throw new YouTubeApiError('youtube-failed', 'YouTube started an upload session but sent no Location', { status: res.status, reason: 'noLocation', stopsRun: false });
        return location;
      }
      if (RETRYABLE_STATUS.has(res.status)) throw Object.assign(new Error(`HTTP ${res.status}`), { response: res });
      throw failure(res, 'videos.insert');
    });
    await options.onSession?.(uri);
  }
  const sessionUri = uri;
  options.onProgress?.(offset, total);

  while (offset < total) {
    const end = Math.min(offset + chunk, total) - 1;
    let res: HttpResponse | undefined;
    let why = '';
    try {
      res = await options.request({
        url: sessionUri,
        method: 'PUT',
        headers: { 'Content-Length': String(end - offset + 1), 'Content-Range': `bytes ${offset}-${end}/${total}`, 'Content-Type': options.mimeType ?? 'video/mp4' },
        // A fresh stream per attempt: a failed chunk is re-read from disk, never held in memory.
        data: createReadStream(options.filePath, { start: offset, end, highWaterMark: 1024 * 1024 }),
        timeout,
      });
    } catch (error) {
      why = (error as Error).message;
    }
    if (res && (res.status === 200 || res.status === 201)) {
      options.onProgress?.(total, total);
      return { video: videoFrom(res), sessionUri };
    }
    if (res?.status === 308) {
      const next = parseRangeHeader(headerValue(res.headers, 'range'));
      attempt = next > offset ? 0 : attempt + 1;
      if (attempt >= policy.maxAttempts) throw new YouTubeApiError('youtube-failed', `YouTube stored no new bytes after ${attempt} tries`, { reason: 'noProgress', stopsRun: false });
      offset = next;
      options.onProgress?.(offset, total);
      continue;
    }
    if (res?.status === 404 || res?.status === 410) throw new UploadSessionExpiredError(res.status);
    if (res && !RETRYABLE_STATUS.has(res.status)) throw failure(res, 'upload');
    // 5xx, reset, timeout: back off, then ask the server what it kept before going on.
    if (attempt + 1 >= policy.maxAttempts) throw toYouTubeError(res ? { response: res } : new Error(why), 'upload');
    const ms = backoffDelay(attempt, policy, random);
    attempt++;
    options.onRetry?.({ attempt, delayMs: ms, why: res ? `HTTP ${res.status}` : why });
    await delay(ms);
    const state = await query(sessionUri);
    if (state.video) {
      options.onProgress?.(total, total);
      return { video: state.video, sessionUri };
    }
    offset = state.offset;
    options.onProgress?.(offset, total);
  }
  // Every byte was stored but the final answer was lost: the status query returns the video.
  const state = await query(sessionUri);
  if (state.video) return { video: state.video, sessionUri };
  throw new YouTubeApiError('youtube-failed', 'YouTube has every byte but did not finish the video', { reason: 'incomplete', stopsRun: false });
}
