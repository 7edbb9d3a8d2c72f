import { describe, expect, it } from 'vitest';
import { ShowSchema } from '../../../src/config/show-schema.js';
import { EpisodeSchema } from '../../../src/config/episode-schema.js';
import { PublishedSchema } from '../../../src/config/published-schema.js';
import { EpisodeBuildSchema } from '../../../src/media/build-record.js';
import { hashValue } from '../../../src/core/hash.js';
import { formatPlan, planPublish, type EpisodePublishInput } from '../../../src/publish/plan-publish.js';
import { orderForDeploy } from '../../../src/publish/deploy-target.js';

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

describe('planPublish', () => {
  it('a new episode: upload, thumbnail, captions, playlist, with their quota cost', () => {
    const p = plan([input()]);
    expect(p.episodes[0]!.steps.map((s) => [s.op, s.cost])).toEqual([
      ['videos.insert', 1600], ['thumbnails.set', 50], ['captions.insert', 400], ['playlistItems.insert', 50],
    ]);
    expect(p.quota).toBe(2100);
    expect(p.episodes[0]!.marker).toBe('castline:g');
    expect(formatPlan(p).join('\n')).toMatch(/YouTube quota: 2100 units[\s\S]*/);
    expect(formatPlan(p).join('\n')).toContain('copy dist/ to /srv/www (feed.xml last)');
  });

  it('a saved session for the same file resumes at no extra cost; a different file starts anew', () => {
    const session = { uri: 'https://x/upload?upload_id=1', startedAt: 'x', fileSha256: 'sha-e.mp4', bytes: 1000, marker: 'castline:g' };
    const resumed = plan([input({ published: PublishedSchema.parse({ guid: 'g', createdAt: 'x', youtube: { uploadSession: session } }) })]);
    expect(resumed.episodes[0]!.steps[0]).toMatchObject({ kind: 'resume-upload', cost: 0 });
    const stale = plan([input({ published: PublishedSchema.parse({ guid: 'g', createdAt: 'x', youtube: { uploadSession: { ...session, fileSha256: 'other' } } }) })]);
    expect(stale.episodes[0]!.steps[0]).toMatchObject({ kind: 'upload', cost: 1600 });
  });

  it('everything pushed: up to date, no steps, no quota', () => {
    const first = plan([input()]).episodes[0]!;
    const published = PublishedSchema.parse({
      guid: 'g', createdAt: 'x',
      youtube: { videoId: 'v1', metadataHash: first.metadataHash, thumbnailHash: 'sha-thumbnail.jpg', captionsHash: 'sha-t.vtt', captionId: 'c1', playlistId: 'PL1', playlistItemId: 'pi' },
    });
    const p = plan([input({ published })]);
    expect(p.episodes[0]).toMatchObject({ state: 'up-to-date', steps: [], quota: 0, videoId: 'v1' });
  });

  it('a new correction: one videos.update (50 units), marked pending until pushed', () => {
    const first = plan([input()]).episodes[0]!;
    const corrections = [{ date: '2023-01-27', text: 'Fixed.' }];
    const pushed = { videoId: 'v1', metadataHash: first.metadataHash, thumbnailHash: 'sha-thumbnail.jpg', captionsHash: 'sha-t.vtt', captionId: 'c1', playlistId: 'PL1', playlistItemId: 'pi' };
    const p = plan([input({ published: PublishedSchema.parse({ guid: 'g', createdAt: 'x', youtube: pushed }) }, { corrections })]);
    expect(p.episodes[0]!.steps.map((s) => s.op)).toEqual(['videos.update']);
    expect(p.episodes[0]!.correctionsPending).toBe(true);
    const done = PublishedSchema.parse({ guid: 'g', createdAt: 'x', youtube: pushed, corrections: { pushedHash: hashValue(corrections), pushedAt: 'x' } });
    expect(plan([input({ published: done }, { corrections })]).episodes[0]!.correctionsPending).toBe(false);
  });

  it('privacy changed in the YAML after upload: one status-only videos.update; a Studio change is not undone', () => {
    const first = plan([input()]).episodes[0]!;
    const pushed = { videoId: 'v1', metadataHash: first.metadataHash, statusHash: first.statusHash, thumbnailHash: 'sha-thumbnail.jpg', captionsHash: 'sha-t.vtt', captionId: 'c1', playlistId: 'PL1', playlistItemId: 'pi' };
    const published = PublishedSchema.parse({ guid: 'g', createdAt: 'x', youtube: pushed });
    // Same YAML as at upload: nothing to do, whatever the host since did in YouTube Studio.
    expect(plan([input({ published })]).episodes[0]).toMatchObject({ state: 'up-to-date', steps: [] });
    const p = plan([input({ published }, { youtube: { privacy: 'public' } })]).episodes[0]!;
    expect(p.steps.map((s) => [s.kind, s.op, s.cost])).toEqual([['update-status', 'videos.update', 50]]);
    expect(p.steps[0]!.detail).toBe('set the video to public');
    expect(p.metadata?.resource.status.privacyStatus).toBe('public');
    // A ledger from before status was recorded has nothing to compare with: no update.
    const legacy = PublishedSchema.parse({ guid: 'g', createdAt: 'x', youtube: { ...pushed, statusHash: undefined } });
    expect(plan([input({ published: legacy }, { youtube: { privacy: 'public' } })]).episodes[0]!.steps).toEqual([]);
  });

  it('changed captions replace the track (captions.update)', () => {
    const published = PublishedSchema.parse({ guid: 'g', createdAt: 'x', youtube: { videoId: 'v1', captionsHash: 'old', captionId: 'c1' } });
    expect(plan([input({ published })]).episodes[0]!.steps.find((s) => s.kind === 'captions')).toMatchObject({ op: 'captions.update', cost: 450 });
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

describe('deploy order', () => {
  it('copies media and pages first, the index next, feed.xml last', () => {
    const files = ['feed.xml', 'index.html', 'episodes/a/index.html', 'cover.png', 'episodes/a/a.mp3'].map((rel) => ({ rel }));
    expect(orderForDeploy(files).map((f) => f.rel)).toEqual(['cover.png', 'episodes/a/a.mp3', 'episodes/a/index.html', 'index.html', 'feed.xml']);
  });
});
