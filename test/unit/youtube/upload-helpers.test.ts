import { describe, expect, it } from 'vitest';
import { alignChunkSize, backoffDelay, parseRangeHeader, CHUNK_GRANULE } from '../../../src/youtube/upload-resumable.js';
import { googleErrorInfo, toYouTubeError } from '../../../src/youtube/youtube-error.js';

describe('resumable upload helpers', () => {
  it('aligns chunks to 256 KiB multiples', () => {
    expect(alignChunkSize(8 * 1024 * 1024)).toBe(8 * 1024 * 1024);
    // "the chunk size must be a multiple of 256 KB (256 x 1024 bytes)"
    // (https://developers.google.com/youtube/v3/guides/using_resumable_upload_protocol#Upload_Chunks)
    expect(CHUNK_GRANULE).toBe(262_144);
    expect(alignChunkSize(3 * 262_144 + 5)).toBe(786_432);
    expect(alignChunkSize(1)).toBe(262_144);
  });
  it('reads the 308 Range header (absent = nothing stored)', () => {
    expect(parseRangeHeader(undefined)).toBe(0);
    expect(parseRangeHeader('bytes=0-262143')).toBe(262144);
    expect(() => parseRangeHeader('bytes=5-10')).toThrow(/unexpected Range/);
  });
  it('backs off exponentially with jitter, capped', () => {
    const policy = { maxAttempts: 8, baseDelayMs: 1000, maxDelayMs: 8000 };
    expect(backoffDelay(0, policy, () => 0)).toBe(500);
    expect(backoffDelay(0, policy, () => 1)).toBe(1000);
    expect(backoffDelay(2, policy, () => 1)).toBe(4000);
    expect(backoffDelay(10, policy, () => 1)).toBe(8000);
  });
});

describe('Google errors', () => {
  const apiError = (status: number, reason: string) => ({ response: { status, data: { error: { code: status, message: `<b>${reason}</b>`, errors: [{ domain: 'youtube.video', reason, message: `m <a href="x">quota</a>` }] } } } });
  it('reads reason and message from the JSON shape, without HTML', () => {
    expect(googleErrorInfo(403, JSON.stringify(apiError(403, 'quotaExceeded').response.data))).toEqual({ status: 403, reason: 'quotaExceeded', message: 'm quota' });
    expect(googleErrorInfo(400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' }).reason).toBe('invalid_grant');
  });
  it.each([
    ['quotaExceeded', 403, 'youtube-quota', true],
    ['uploadLimitExceeded', 400, 'youtube-upload-limit', true],
    ['forbidden', 403, 'youtube-forbidden', true],
    ['invalidTitle', 400, 'youtube-rejected', false],
    ['backendError', 503, 'youtube-failed', false],
  ])('%s → %s', (reason, status, code, stopsRun) => {
    expect(toYouTubeError(apiError(status, reason), 'videos.insert')).toMatchObject({ code, stopsRun });
  });
});
