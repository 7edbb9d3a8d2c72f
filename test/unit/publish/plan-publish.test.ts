import { describe, expect, it } from 'vitest';
import { ShowSchema } from '../../../src/config/show-schema.js';
import { EpisodeSchema } from '../../../src/config/episode-schema.js';
import { PublishedSchema } from '../../../src/records/published-ledger.js';
import { EpisodeBuildSchema } from '../../../src/records/build-record.js';
import { hashValue } from '../../../src/core/hash.js';
import { formatPlan, planPublish, type EpisodePlan, type EpisodePublishInput } from '../../../src/publish/plan-publish.js';

const show = ShowSchema.parse({
  title: 'Show', description: 'A show.', author: 'A', owner: { name: 'O', email: 'o@example.org' }, language: 'en',
  categories: ['Technology'], cover: 'cover.png', site: { baseUrl: 'https://example.org/' }, youtube: { madeForKids: false, playlistId: 'PL1' },
});
const file = (path: string, sha = `sha-${path}`) => ({ path, bytes: 1000, sha256: sha });
const build = EpisodeBuildSchema.parse({
  id: 'e', builtAt: 'x', durationSeconds: 60, chapters: [], chaptersEstimated: false, loudness: { target: -16, truePeakTarget: -1 },
  outputs: { mp3: file('e.mp3'), mp4: file('e.mp4'), thumbnail: file('thumbnail.jpg'), vtt: file('t.vtt') },
});
const now = new Date('2023-02-01T00:00:00Z');
const plan = (inputs: EpisodePublishInput[]) => planPublish(show, inputs, { now, feed: true, deployPath: '/srv/www' });
const input = (over: Partial<EpisodePublishInput> = {}, episode: Record<string, unknown> = {}): EpisodePublishInput => ({
  id: '2023-01-20-e', config: EpisodeSchema.parse({ title: 'E', ...episode }), published: PublishedSchema.parse({ guid: 'g', createdAt: 'x' }), build, notesText: 'Notes', ...over,
});

type Work = Extract<EpisodePlan, { state: 'work' }>;
const work = (p: EpisodePlan | undefined): Work => {
  if (p?.state !== 'work') throw new Error(`expected work, got ${p?.state}`);
  return p;
};
const stepsOf = (p: EpisodePlan | undefined) => work(p).steps.map((s) => [s.kind, s.calls.join('+'), s.cost.videosInsert, s.cost.units]);
// The ledger castline writes after a full first publish of `input()`.
const pushed = (over: Record<string, unknown> = {}) => {
  const first = work(plan([input()]).episodes[0]);
  const upload = first.steps[0]!;
  if (upload.kind !== 'upload') throw new Error('first step is not the upload');
  return PublishedSchema.parse({
    guid: 'g', createdAt: 'x',
    youtube: { videoId: 'v1', fieldHashes: upload.fieldHashes, thumbnailHash: 'sha-thumbnail.jpg', captionsHash: 'sha-t.vtt', captionId: 'c1', playlistId: 'PL1', playlistItemId: 'pi', ...over },
  });
};

describe('planPublish', () => {
  it('a new episode: upload (videos.insert bucket) then the unit-priced steps, each with its cost', () => {
    const p = plan([input()]);
    // By hand from the quota table: insert 1 call in its own bucket; videos.list 1 (the
    // processing check), thumbnails.set 50, captions.insert 400, playlistItems.insert 50 units;
    // plus the one playlists.list check (1) before the first upload.
    expect(stepsOf(p.episodes[0])).toEqual([
      ['upload', 'videos.insert+videos.list', 1, 1], ['thumbnail', 'thumbnails.set', 0, 50], ['captions-insert', 'captions.insert', 0, 400], ['playlist', 'playlistItems.insert', 0, 50],
    ]);
    expect(p.playlistChecks).toEqual([{ playlistId: 'PL1', source: 'show.yaml youtube.playlistId', cost: { videosInsert: 0, units: 1 } }]);
    expect(p.quota).toEqual({ videosInsert: 1, units: 502 });
    expect(p.warnings).toEqual([]);
    const upload = work(p.episodes[0]).steps[0]!;
    expect(upload).toMatchObject({ kind: 'upload', marker: 'castline:g' });
    const text = formatPlan(p).join('\n');
    expect(text).toContain('YouTube quota: 1 of 100 videos.insert calls and 502 of 10,000 units');
    expect(text).toContain('[videos.insert + videos.list, 1 videos.insert call + 1 unit]');
    expect(text).toContain('copy dist/ to /srv/www (feed.xml last)');
  });

  it('warns per bucket: 101 uploads exceed the insert bucket; 25 new episodes exceed the units', () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => input({ id: `2023-01-${String(i).padStart(3, '0')}-e` }));
    const p101 = plan(many(101));
    expect(p101.quota.videosInsert).toBe(101);
    expect(p101.warnings.some((w) => w.includes('uploads 101 videos, more than the 100 videos.insert calls'))).toBe(true);
    // 25 × (1 + 50 + 400 + 50) + 1 = 12,526 units, 25 insert calls: only the units bucket overflows.
    const p25 = plan(many(25));
    expect(p25.quota).toEqual({ videosInsert: 25, units: 12526 });
    expect(p25.warnings).toHaveLength(1);
    expect(p25.warnings[0]).toContain('needs 12526 quota units');
  });

  it('a saved session for the same file resumes without a new videos.insert call; a different file starts anew', () => {
    const session = { uri: 'https://x/upload?upload_id=1', startedAt: 'x', fileSha256: 'sha-e.mp4', bytes: 1000, marker: 'castline:g' };
    const resumed = plan([input({ published: PublishedSchema.parse({ guid: 'g', createdAt: 'x', youtube: { uploadSession: session } }) })]);
    expect(work(resumed.episodes[0]).steps[0]).toMatchObject({ kind: 'upload', sessionUri: session.uri, cost: { videosInsert: 0, units: 1 } });
    const stale = plan([input({ published: PublishedSchema.parse({ guid: 'g', createdAt: 'x', youtube: { uploadSession: { ...session, fileSha256: 'other' } } }) })]);
    const fresh = work(stale.episodes[0]).steps[0]!;
    expect(fresh).toMatchObject({ kind: 'upload', cost: { videosInsert: 1, units: 1 } });
    expect('sessionUri' in fresh).toBe(false);
  });

  it('everything pushed: up to date, no steps, no quota', () => {
    const p = plan([input({ published: pushed() })]);
    expect(p.episodes[0]).toMatchObject({ state: 'up-to-date', videoId: 'v1' });
    expect(p.quota).toEqual({ videosInsert: 0, units: 0 });
    expect(p.playlistChecks).toEqual([]);
  });

  it('a new correction: read then update only the description (1 + 50 units), pending until pushed', () => {
    const corrections = [{ date: '2023-01-27', text: 'Fixed.' }];
    const p = plan([input({ published: pushed() }, { corrections })]).episodes[0];
    expect(stepsOf(p)).toEqual([['update-video', 'videos.list+videos.update', 0, 51]]);
    const step = work(p).steps[0]!;
    if (step.kind !== 'update-video') throw new Error('not an update');
    expect(Object.keys(step.snippet ?? {})).toEqual(['description']);
    expect(step.snippet?.description).toMatch(/^CORRECTION \(2023-01-27\): Fixed\./);
    expect(step.status).toBeUndefined();
    expect(p!.correctionsPending).toBe(true);
    const done = PublishedSchema.parse({ ...pushed(), corrections: { pushedHash: hashValue(corrections), pushedAt: 'x' } });
    expect(plan([input({ published: done }, { corrections })]).episodes[0]!.correctionsPending).toBe(false);
  });

  it('privacy changed in the YAML: only status.privacyStatus is sent; unchanged YAML sends nothing, whatever Studio did', () => {
    expect(plan([input({ published: pushed() })]).episodes[0]!.state).toBe('up-to-date');
    const p = plan([input({ published: pushed() }, { youtube: { privacy: 'public' } })]).episodes[0];
    const step = work(p).steps[0]!;
    if (step.kind !== 'update-video') throw new Error('not an update');
    expect(step.status).toEqual({ privacyStatus: 'public' });
    expect(step.snippet).toBeUndefined();
    expect(step.detail).toMatch(/^set the video to public/);
    // Scheduling then un-scheduling: publishAt is removed from the video, not left behind.
    const scheduled = work(plan([input({ published: pushed() }, { youtube: { publishAt: '2023-03-01T09:00:00Z' } })]).episodes[0]).steps[0]!;
    if (scheduled.kind !== 'update-video') throw new Error('not an update');
    expect(scheduled.status).toEqual({ publishAt: '2023-03-01T09:00:00.000Z' });
    const published2 = PublishedSchema.parse({ ...pushed(), youtube: { ...pushed().youtube, fieldHashes: scheduled.fieldHashes } });
    const unscheduled = work(plan([input({ published: published2 }, { youtube: { privacy: 'public' } })]).episodes[0]).steps[0]!;
    if (unscheduled.kind !== 'update-video') throw new Error('not an update');
    expect(unscheduled.status).toEqual({ privacyStatus: 'public' });
    expect(unscheduled.unset).toEqual(['status.publishAt']);
  });

  it('a ledger from before field hashes: a changed snippet pushes title/description/tags only; no statusHash, no status push', () => {
    const legacy = PublishedSchema.parse({ guid: 'g', createdAt: 'x', youtube: { videoId: 'v1', metadataHash: 'old', thumbnailHash: 'sha-thumbnail.jpg', captionsHash: 'sha-t.vtt', captionId: 'c1', playlistId: 'PL1', playlistItemId: 'pi' } });
    const step = work(plan([input({ published: legacy }, { youtube: { privacy: 'public' } })]).episodes[0]).steps[0]!;
    if (step.kind !== 'update-video') throw new Error('not an update');
    expect(Object.keys(step.snippet ?? {}).sort()).toEqual(['description', 'tags', 'title']);
    expect(step.status).toBeUndefined();
  });

  it('synthetic-media, license and embeddable are sent only when set in YAML', () => {
    const base = work(plan([input()]).episodes[0]).steps[0]!;
    if (base.kind !== 'upload') throw new Error('not an upload');
    expect(Object.keys(base.resource.status).sort()).toEqual(['privacyStatus', 'selfDeclaredMadeForKids']);
    expect('notifySubscribers' in base).toBe(false);
    const set = ShowSchema.parse({ ...show, site: { baseUrl: 'https://example.org/' }, youtube: { madeForKids: false, containsSyntheticMedia: true, license: 'creativeCommon', embeddable: false, notifySubscribers: false } });
    const step = work(planPublish(set, [input()], { now, feed: false, deployPath: undefined }).episodes[0]).steps[0]!;
    if (step.kind !== 'upload') throw new Error('not an upload');
    expect(step.resource.status).toMatchObject({ containsSyntheticMedia: true, license: 'creativeCommon', embeddable: false });
    expect(step.notifySubscribers).toBe(false);
    // The episode overrides the show.
    const ep = work(planPublish(set, [input({}, { youtube: { containsSyntheticMedia: false } })], { now, feed: false, deployPath: undefined }).episodes[0]).steps[0]!;
    if (ep.kind !== 'upload') throw new Error('not an upload');
    expect(ep.resource.status.containsSyntheticMedia).toBe(false);
  });

  it('changed captions replace the track (captions.update, 450 units) with the recorded caption id', () => {
    const p = plan([input({ published: pushed({ captionsHash: 'old', captionId: 'c9' }) })]);
    expect(work(p.episodes[0]).steps).toEqual([expect.objectContaining({ kind: 'captions-update', captionId: 'c9', cost: { videosInsert: 0, units: 450 } })]);
  });

  it('a thumbnail pending from an unverified channel is planned again, saying why', () => {
    const p = plan([input({ published: pushed({ thumbnailHash: undefined, thumbnailPending: { reason: 'refused (403)', at: '2023-01-20T00:00:00Z' } }) })]);
    expect(work(p.episodes[0]).steps).toEqual([expect.objectContaining({ kind: 'thumbnail', detail: expect.stringContaining('pending since 2023-01-20T00:00:00Z: refused (403)') })]);
  });

  it('processing: still processing is checked (1 unit); rejected or removed is reported and never re-uploaded', () => {
    const processing = plan([input({ published: pushed({ processing: { status: 'processing', checkedAt: 'x' } }) })]).episodes[0];
    expect(stepsOf(processing)).toEqual([['check-processing', 'videos.list', 0, 1]]);
    const rejected = plan([input({ published: pushed({ processing: { status: 'rejected', reason: 'duplicate', checkedAt: 'x' } }) })]).episodes[0]!;
    expect(rejected).toMatchObject({ state: 'rejected', videoId: 'v1', reason: expect.stringContaining('duplicate'), hint: expect.stringContaining('already has this video') });
    const removed = plan([input({ published: pushed({ removedAt: '2023-02-01T00:00:00Z' }) })]).episodes[0]!;
    expect(removed).toMatchObject({ state: 'removed', videoId: 'v1' });
    expect(formatPlan(plan([input({ published: pushed({ removedAt: '2023-02-01T00:00:00Z' }) })])).join('\n')).toContain('castline does not upload it again on its own');
  });

  it('a video over 15 minutes warns that YouTube needs a verified channel', () => {
    const long = EpisodeBuildSchema.parse({ ...build, durationSeconds: 16 * 60 });
    const p = work(plan([input({ build: long })]).episodes[0]);
    expect(p.warnings).toEqual([expect.stringContaining('16 minutes long: YouTube takes videos over 15 minutes only from a verified channel')]);
    expect(work(plan([input({ build: EpisodeBuildSchema.parse({ ...build, durationSeconds: 15 * 60 }) })]).episodes[0]).warnings).toEqual([]);
  });

  it('blocks: not built, no MP4, publishAt in the past, skip, no youtube section', () => {
    expect(plan([input({ build: undefined })]).episodes[0]).toMatchObject({ state: 'not-built' });
    const noMp4 = EpisodeBuildSchema.parse({ ...build, outputs: { mp3: build.outputs.mp3 } });
    expect(plan([input({ build: noMp4 })]).episodes[0]).toMatchObject({ state: 'not-built' });
    expect(plan([input({}, { youtube: { publishAt: '2023-01-01T00:00:00Z' } })]).episodes[0]).toMatchObject({ state: 'invalid', reason: expect.stringContaining('in the past') });
    expect(plan([input({}, { youtube: { skip: true } })]).episodes[0]).toMatchObject({ state: 'skipped' });
    const noYouTube = ShowSchema.parse({ ...show, youtube: undefined, site: { baseUrl: 'https://example.org/' } });
    expect(planPublish(noYouTube, [input()], { now, feed: true, deployPath: undefined }).episodes[0]).toMatchObject({ state: 'skipped' });
    expect(plan([input({ config: undefined })]).episodes[0]).toMatchObject({ state: 'invalid' });
  });
});
