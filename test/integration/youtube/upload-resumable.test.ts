import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { randomBytes, createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeYouTube } from '../../fake-youtube/fake-youtube-server.mjs';
import { authorizedRequest, createYouTubeClient } from '../../../src/youtube/create-youtube-client.js';
import { uploadResumable, UploadSessionExpiredError } from '../../../src/youtube/upload-resumable.js';

// The real OAuth2Client (token refresh, bearer header, fetch) against FakeYouTube.
let fake: FakeYouTube;
let dir: string;
let file: string;
let data: Buffer;
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
/** YouTube resumable uploads move in multiples of 256 KiB (the protocol's chunk granule). */
const GRANULE = 262_144;

beforeAll(async () => {
  fake = await new FakeYouTube().start();
  dir = await mkdtemp(join(tmpdir(), 'castline-upload-'));
  // 3.5 chunks of 256 KiB·2 so the last chunk is short.
  data = randomBytes(GRANULE * 7 + 12345);
  file = join(dir, 'video.mp4');
  await writeFile(file, data);
});
afterAll(async () => {
  await fake.stop();
  await rm(dir, { recursive: true, force: true });
});

function client() {
  const yt = createYouTubeClient({ clientId: fake.clientId, clientSecret: fake.clientSecret, refreshToken: fake.refreshToken, source: 'env' }, { rootUrl: fake.rootUrl, tokenUrl: fake.tokenUrl });
  return authorizedRequest(yt.auth);
}

const base = () => ({
  request: client(),
  rootUrl: fake.rootUrl,
  filePath: file,
  bytes: data.length,
  resource: { snippet: { title: 'A test', description: 'castline:test', categoryId: '28' }, status: { privacyStatus: 'private' } },
  chunkBytes: GRANULE * 2,
  delay: async () => undefined,
});

describe('uploadResumable against the fake YouTube server', () => {
  it('uploads in 256 KiB-aligned chunks; the stored bytes hash to the file', async () => {
    const sessions: string[] = [];
    const progress: number[] = [];
    const { video } = await uploadResumable({ ...base(), onSession: async (u) => void sessions.push(u), onProgress: (s) => progress.push(s) });
    expect(sessions).toHaveLength(1);
    expect(fake.videos.get(video.id)?.sha256).toBe(sha(data));
    expect(progress.at(-1)).toBe(data.length);
    expect(fake.count('upload.chunk')).toBe(4);
  });

  it('retries 503s and dropped connections, resuming from what the server kept', async () => {
    fake.chunkFaults.push({ status: 503 }, { dropAfter: GRANULE + 1000 }, {}, { status: 503 });
    const retries: string[] = [];
    const { video } = await uploadResumable({ ...base(), onRetry: (r) => retries.push(r.why) });
    expect(retries).toHaveLength(3);
    expect(fake.videos.get(video.id)?.sha256).toBe(sha(data));
  });

  it('times out a stalled response and resumes from what the server stored', async () => {
    fake.chunkFaults.push({}, { stallMs: 1500 });
    const retries: string[] = [];
    const { video } = await uploadResumable({ ...base(), timeoutMs: 300, onRetry: (r) => retries.push(r.why) });
    expect(retries).toHaveLength(1);
    expect(fake.videos.get(video.id)?.sha256).toBe(sha(data));
  });

  it('resumes a saved session after the process stopped part-way', async () => {
    let saved = '';
    fake.chunkFaults.push({}, { dropAfter: GRANULE + 5 });
    await expect(
      uploadResumable({ ...base(), retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 }, onSession: async (u) => void (saved = u) }),
    ).rejects.toThrow();
    expect(saved).toMatch(/upload_id=/);
    const before = fake.videos.size;
    const progress: number[] = [];
    const { video } = await uploadResumable({ ...base(), sessionUri: saved, onProgress: (s) => progress.push(s) });
    expect(progress[0]).toBe(786_432); // 3 × 256 KiB: the chunk sent whole plus the granule stored of the dropped one
    expect(fake.videos.size).toBe(before + 1);
    expect(fake.videos.get(video.id)?.sha256).toBe(sha(data));
    // Resuming a finished session returns the same video, without a new one.
    const again = await uploadResumable({ ...base(), sessionUri: saved });
    expect(again.video.id).toBe(video.id);
    expect(fake.videos.size).toBe(before + 1);
  });

  it('reports an expired session so the caller can look for the video', async () => {
    let saved = '';
    fake.chunkFaults.push({ dropAfter: 10 });
    await expect(uploadResumable({ ...base(), retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 }, onSession: async (u) => void (saved = u) })).rejects.toThrow();
    fake.expireSessions();
    await expect(uploadResumable({ ...base(), sessionUri: saved })).rejects.toBeInstanceOf(UploadSessionExpiredError);
  });

  it('turns quotaExceeded of the videos.insert bucket into a message naming that bucket', async () => {
    // Plenty of units left: only the separate bucket of 100 insert calls a day is empty.
    fake.videosInsertLimit = fake.videosInsertUsed;
    const err = await uploadResumable(base()).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'youtube-quota', stopsRun: true });
    expect((err as Error).message).toContain('100 videos.insert calls (uploads) for today');
    fake.videosInsertLimit = 100;
  });

  it('notifySubscribers reaches videos.insert only when given', async () => {
    const quiet = await uploadResumable({ ...base(), params: { notifySubscribers: 'false' } });
    expect(fake.videos.get(quiet.video.id)?.notifySubscribers).toBe(false);
    const plain = await uploadResumable(base());
    expect(fake.videos.get(plain.video.id)?.notifySubscribers).toBeUndefined();
  });

  it('says a revoked token is revoked or expired and what to run', async () => {
    fake.revoked = true;
    await expect(uploadResumable(base())).rejects.toMatchObject({ code: 'youtube-token-revoked', hint: expect.stringContaining('castline auth youtube') });
    fake.revoked = false;
  });
});
