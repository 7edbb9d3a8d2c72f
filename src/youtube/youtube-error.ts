import { CastlineError, type ErrorCode } from '../core/errors.js';
import { ENV } from './load-credentials.js';

/**
 * Google's errors, turned into messages a host can act on. API errors come in Google's JSON
 * shape ({ error: { code, message, errors: [{ domain, reason, message }] } },
 * https://developers.google.com/youtube/v3/docs/errors); token errors in OAuth's
 * ({ error: 'invalid_grant', error_description }, RFC 6749 §5.2).
 */
export class YouTubeApiError extends CastlineError {
  readonly status: number | undefined;
  readonly reason: string;
  /** Every later call would fail the same way (quota, limits, credentials): stop the run. */
  readonly stopsRun: boolean;

  constructor(code: ErrorCode, message: string, options: { status?: number; reason: string; stopsRun: boolean; hint?: string; cause?: unknown }) {
    super(code, message, { hint: options.hint, cause: options.cause });
    this.name = 'YouTubeApiError';
    this.status = options.status;
    this.reason = options.reason;
    this.stopsRun = options.stopsRun;
  }
}

export interface GoogleErrorInfo {
  status: number | undefined;
  reason: string;
  message: string;
}

/** Status, reason and message from a gaxios error or a raw response body. */
export function googleErrorInfo(status: number | undefined, data: unknown, fallback = ''): GoogleErrorInfo {
  let body = data;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      /* not JSON */
    }
  }
  const obj = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  if (typeof obj['error'] === 'string') {
    return { status, reason: obj['error'], message: String(obj['error_description'] ?? obj['error']) };
  }
  const err = (obj['error'] && typeof obj['error'] === 'object' ? obj['error'] : {}) as { message?: string; errors?: { reason?: string; message?: string }[]; status?: string };
  const first = err.errors?.[0];
  return {
    status,
    reason: first?.reason ?? err.status ?? (status ? `http${status}` : 'network'),
    message: stripHtml(first?.message ?? err.message ?? fallback),
  };
}

function stripHtml(s: string): string {
  return s.replace(/<[^>]*>/g, '');
}

const VALIDATION_HINTS: Record<string, string> = {
  invalidTitle: 'shorten episode.yaml title or youtube.title to 100 characters without < or >',
  invalidDescription: 'the description must stay under 5000 bytes without < or >: shorten notes.md or the episode description',
  invalidTags: 'shorten show.yaml youtube.tags or episode.yaml youtube.tags (500 characters in total)',
  invalidCategoryId: 'set show.yaml youtube.categoryId to a valid category for your region, like "28"',
  invalidPublishAt: 'episode.yaml youtube.publishAt must be a future date-time (the video stays private until then)',
  invalidVideoMetadata: 'check show.yaml youtube and episode.yaml youtube settings',
  invalidImage: 'the thumbnail must be a JPEG or PNG under 2 MB: rebuild with castline build',
  mediaBodyTooBig: 'the thumbnail must be under 2 MB: rebuild with castline build',
  invalidCaptionTrack: 'the captions file is not valid WebVTT: rebuild with castline build',
};

/** Map any error from a YouTube or token call to a YouTubeApiError (or pass CastlineErrors through). */
export function toYouTubeError(error: unknown, doing: string): CastlineError {
  if (error instanceof CastlineError) return error;
  const e = error as { response?: { status?: number; data?: unknown }; status?: number; message?: string; code?: string };
  const status = e.response?.status ?? (typeof e.status === 'number' ? e.status : undefined);
  const info = googleErrorInfo(status, e.response?.data, e.message ?? String(error));
  const at = `YouTube ${doing} failed`;
  if (info.reason === 'invalid_grant') {
    return new YouTubeApiError('youtube-token-revoked', 'Google refused the saved YouTube token: it was revoked or has expired (apps whose OAuth consent screen is in "Testing" mode get tokens that expire after 7 days)', {
      reason: info.reason, status, stopsRun: true, cause: error,
      hint: `run castline auth youtube to authorize again (or update ${ENV.refreshToken}); publishing the app on the consent screen stops the 7-day expiry`,
    });
  }
  if (info.reason === 'invalid_client' || info.reason === 'unauthorized_client') {
    return new YouTubeApiError('youtube-client-invalid', 'Google does not recognize the OAuth client id/secret castline is using', {
      reason: info.reason, status, stopsRun: true, cause: error,
      hint: `check ${ENV.clientId} and ${ENV.clientSecret} (or run castline auth youtube with the client of your Google Cloud project)`,
    });
  }
  if (info.reason === 'quotaExceeded' || info.reason === 'rateLimitExceeded' || info.reason === 'dailyLimitExceeded') {
    // Two buckets (https://developers.google.com/youtube/v3/determine_quota_cost): videos.insert
    // has its own 100 calls a day; every other method draws on the 10,000 daily units.
    const bucket = doing === 'videos.insert' ? 'its 100 videos.insert calls (uploads) for today' : 'its 10,000 quota units for today (everything but uploads)';
    return new YouTubeApiError('youtube-quota', `${at}: the project has used up ${bucket} (${info.message})`, {
      reason: info.reason, status, stopsRun: true, cause: error,
      hint: 'rerun castline publish after the quota resets (midnight Pacific time); what was done is saved in published.yaml and will not be repeated. A project can ask Google for more in the Cloud console (IAM & Admin → Quotas)',
    });
  }
  if (info.reason === 'uploadLimitExceeded') {
    return new YouTubeApiError('youtube-upload-limit', `${at}: the channel has reached YouTube's upload limit for now`, {
      reason: info.reason, status, stopsRun: true, cause: error,
      hint: 'rerun castline publish in about 24 hours; nothing will be uploaded twice',
    });
  }
  if (status === 401) {
    return new YouTubeApiError('youtube-unauthorized', `${at}: YouTube did not accept castline's credentials (${info.message})`, {
      reason: info.reason, status, stopsRun: true, cause: error, hint: 'run castline auth youtube again',
    });
  }
  if (status === 403) {
    return new YouTubeApiError('youtube-forbidden', `${at}: YouTube refused (${info.reason}: ${info.message})`, {
      reason: info.reason, status, stopsRun: true, cause: error,
      hint: 'check that the authorized account owns the channel and playlist, that the channel is verified (needed for custom thumbnails and long videos), and run castline auth youtube --status',
    });
  }
  if (status === 400 || status === 404) {
    return new YouTubeApiError('youtube-rejected', `${at}: YouTube rejected the request (${info.reason}: ${info.message})`, {
      reason: info.reason, status, stopsRun: false, cause: error,
      hint: VALIDATION_HINTS[info.reason] ?? 'check the YouTube settings in show.yaml and episode.yaml',
    });
  }
  return new YouTubeApiError('youtube-failed', `${at}: ${info.message || info.reason}`, {
    reason: info.reason, status, stopsRun: false, cause: error,
    hint: 'check the network and rerun castline publish: finished steps are saved and will not be repeated',
  });
}
