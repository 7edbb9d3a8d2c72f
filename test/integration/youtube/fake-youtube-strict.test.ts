import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeYouTube } from '../../fake-youtube/fake-youtube-server.mjs';
import { createYouTubeClient } from '../../../src/youtube/create-youtube-client.js';
import { toYouTubeError } from '../../../src/youtube/youtube-error.js';

// The fake must refuse what YouTube refuses, or tests against it prove nothing. Raw HTTP for
// protocol details, the real googleapis client for API calls.
let fake: FakeYouTube;
let token: string;
beforeAll(async () => {
  fake = await new FakeYouTube().start();
  const yt = createYouTubeClient({ clientId: fake.clientId, clientSecret: fake.clientSecret, refreshToken: fake.refreshToken, source: 'env' }, { rootUrl: fake.rootUrl, tokenUrl: fake.tokenUrl });
  token = (await yt.auth.getAccessToken()).token!;
});
afterAll(() => fake.stop());

const client = () => createYouTubeClient({ clientId: fake.clientId, clientSecret: fake.clientSecret, refreshToken: fake.refreshToken, source: 'env' }, { rootUrl: fake.rootUrl, tokenUrl: fake.tokenUrl });
const auth = () => ({ authorization: `Bearer ${token}` });

async function session(total: number): Promise<string> {
  const res = await fetch(`${fake.rootUrl}upload/youtube/v3/videos?uploadType=resumable&part=snippet,status`, {
    method: 'POST',
    headers: { ...auth(), 'content-type': 'application/json; charset=UTF-8', 'x-upload-content-length': String(total), 'x-upload-content-type': 'video/mp4' },
    body: JSON.stringify({ snippet: { title: 't', categoryId: '28' }, status: { privacyStatus: 'private' } }),
  });
  expect(res.status).toBe(200);
  return res.headers.get('location')!;
}

describe('FakeYouTube follows the protocol strictly', () => {
  it('401 in Google\'s shape without a valid bearer token', async () => {
    const res = await fetch(`${fake.rootUrl}youtube/v3/channels?part=snippet&mine=true`, { headers: { authorization: 'Bearer nope' } });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { errors: { reason: string }[] } }).error.errors[0]?.reason).toBe('authError');
  });

  it('308 without Range before any byte, with Range after; refuses unaligned and out-of-place chunks', async () => {
    const granule = 256 * 1024;
    const uri = await session(granule * 2 + 10);
    const status = await fetch(uri, { method: 'PUT', headers: { ...auth(), 'content-range': `bytes */${granule * 2 + 10}`, 'content-length': '0' } });
    expect(status.status).toBe(308);
    expect(status.headers.get('range')).toBeNull();
    const unaligned = await fetch(uri, { method: 'PUT', headers: { ...auth(), 'content-range': `bytes 0-99999/${granule * 2 + 10}` }, body: Buffer.alloc(100000) });
    expect(unaligned.status).toBe(400);
    const ok = await fetch(uri, { method: 'PUT', headers: { ...auth(), 'content-range': `bytes 0-${granule - 1}/${granule * 2 + 10}` }, body: Buffer.alloc(granule) });
    expect(ok.status).toBe(308);
    expect(ok.headers.get('range')).toBe(`bytes=0-${granule - 1}`);
    const skipped = await fetch(uri, { method: 'PUT', headers: { ...auth(), 'content-range': `bytes ${granule * 2}-${granule * 2 + 9}/${granule * 2 + 10}` }, body: Buffer.alloc(10) });
    expect(skipped.status).toBe(400);
  });

  it('videos.update replaces the snippet whole and requires categoryId (real googleapis client)', async () => {
    const uri = await session(10);
    const done = await fetch(uri, { method: 'PUT', headers: { ...auth(), 'content-range': 'bytes 0-9/10' }, body: Buffer.alloc(10) });
    const video = (await done.json()) as { id: string };
    const yt = client();
    const bad = await yt.api.videos.update({ part: ['snippet'], requestBody: { id: video.id, snippet: { title: 'new' } } }, yt.call).catch((e: unknown) => e);
    expect(toYouTubeError(bad, 'videos.update')).toMatchObject({ code: 'youtube-rejected', reason: 'invalidCategoryId' });
    await yt.api.videos.update({ part: ['snippet'], requestBody: { id: video.id, snippet: { title: 'new', categoryId: '27' } } }, yt.call);
    const listed = await yt.api.videos.list({ part: ['snippet'], id: [video.id] }, yt.call);
    const snippet = listed.data.items?.[0]?.snippet;
    expect(snippet).toMatchObject({ title: 'new', categoryId: '27' });
    // Replaced whole: the tags and description sent at upload are gone.
    expect(snippet?.description).toBeUndefined();
  });

  it('charges quota per call and answers quotaExceeded when it runs out', async () => {
    const yt = client();
    const before = fake.quotaUsed;
    await yt.api.channels.list({ part: ['id'], mine: true }, yt.call);
    expect(fake.quotaUsed).toBe(before + 1);
    fake.quotaLimit = fake.quotaUsed;
    const err = await yt.api.channels.list({ part: ['id'], mine: true }, yt.call).catch((e: unknown) => e);
    expect(toYouTubeError(err, 'channels.list')).toMatchObject({ code: 'youtube-quota' });
    fake.quotaLimit = 10000;
  });

  it('videos.update replaces the status part whole too; read-only properties (uploadStatus) stay', async () => {
    const uri = await session(10);
    const video = (await (await fetch(uri, { method: 'PUT', headers: { ...auth(), 'content-range': 'bytes 0-9/10' }, body: Buffer.alloc(10) })).json()) as { id: string };
    const yt = client();
    fake.studioEdit(video.id, { status: { license: 'creativeCommon', embeddable: false } });
    await yt.api.videos.update({ part: ['status'], requestBody: { id: video.id, status: { privacyStatus: 'unlisted' } } }, yt.call);
    const status = (await yt.api.videos.list({ part: ['status'], id: [video.id] }, yt.call)).data.items?.[0]?.status;
    expect(status?.privacyStatus).toBe('unlisted');
    // Not sent, so deleted, as YouTube does: the Studio edits are gone.
    expect(status?.license).toBeUndefined();
    expect(status?.embeddable).toBeUndefined();
    expect(status?.uploadStatus).toBe('processed');
  });

  it('processing: uploaded until listed processAfterLists times, then processed or the queued rejection; list returns only the asked parts', async () => {
    const yt = client();
    fake.processAfterLists = 2;
    fake.uploadOutcomes.push({ uploadStatus: 'rejected', rejectionReason: 'duplicate' });
    const uri = await session(10);
    const video = (await (await fetch(uri, { method: 'PUT', headers: { ...auth(), 'content-range': 'bytes 0-9/10' }, body: Buffer.alloc(10) })).json()) as { id: string };
    const first = (await yt.api.videos.list({ part: ['status', 'processingDetails'], id: [video.id] }, yt.call)).data.items?.[0];
    expect(first?.status?.uploadStatus).toBe('uploaded');
    expect(first?.processingDetails?.processingStatus).toBe('processing');
    expect(first?.snippet).toBeUndefined();
    const second = (await yt.api.videos.list({ part: ['status'], id: [video.id] }, yt.call)).data.items?.[0];
    expect(second?.status).toMatchObject({ uploadStatus: 'rejected', rejectionReason: 'duplicate' });
    fake.processAfterLists = 1;
  });

  it('two quota buckets: videos.insert draws on its own 100 calls, not on the units', async () => {
    const units = fake.quotaUsed;
    const inserts = fake.videosInsertUsed;
    await session(10);
    expect(fake.videosInsertUsed).toBe(inserts + 1);
    expect(fake.quotaUsed).toBe(units);
    fake.videosInsertLimit = fake.videosInsertUsed;
    const res = await fetch(`${fake.rootUrl}upload/youtube/v3/videos?uploadType=resumable&part=snippet,status`, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json; charset=UTF-8', 'x-upload-content-length': '10', 'x-upload-content-type': 'video/mp4' },
      body: JSON.stringify({ snippet: { title: 't', categoryId: '28' }, status: { privacyStatus: 'private' } }),
    });
    expect(res.status).toBe(403);
    // The units bucket still answers.
    await client().api.channels.list({ part: ['id'], mine: true }, client().call);
    fake.videosInsertLimit = 100;
  });

  it('an unverified channel gets 403 forbidden from thumbnails.set', async () => {
    const uri = await session(10);
    const video = (await (await fetch(uri, { method: 'PUT', headers: { ...auth(), 'content-range': 'bytes 0-9/10' }, body: Buffer.alloc(10) })).json()) as { id: string };
    fake.verified = false;
    const res = await fetch(`${fake.rootUrl}upload/youtube/v3/thumbnails/set?videoId=${video.id}`, { method: 'POST', headers: { ...auth(), 'content-type': 'image/jpeg' }, body: Buffer.alloc(100) });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { errors: { reason: string }[] } }).error.errors[0]?.reason).toBe('forbidden');
    fake.verified = true;
  });
});
