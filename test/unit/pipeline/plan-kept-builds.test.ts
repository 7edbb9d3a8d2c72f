import { describe, expect, it } from 'vitest';
import { planKeptBuild, type KeptBuildInput } from '../../../src/pipeline/plan-kept-builds.js';
import { EpisodeBuildSchema, type EpisodeBuild } from '../../../src/records/build-record.js';
import type { DeployRecord } from '../../../src/deploy/deploy-record.js';

const h = (c: string): string => c.repeat(64);
const out = (name: string, bytes: number, hash: string) => ({ path: `dist/episodes/x/${name}`, bytes, sha256: h(hash) });

const record: EpisodeBuild = EpisodeBuildSchema.parse({
  id: 'x',
  builtAt: '2024-01-01T00:00:00.000Z',
  durationSeconds: 60,
  outputs: { mp3: out('x.mp3', 3000, 'a'), mp4: out('x.mp4', 9000, 'b'), vtt: out('transcript.vtt', 40, 'c'), thumbnail: out('thumbnail.jpg', 500, 'd') },
  chapters: [],
  chaptersEstimated: false,
  loudness: { target: -16, truePeakTarget: -1 },
  inputHashes: { 'mp3.audio': 'k1', 'mp3.tags': 'k2', 'captions.script': 'k3' },
});

const deployed: DeployRecord = {
  version: 1,
  deployedAt: '2024-01-01T00:00:00.000Z',
  files: Object.fromEntries(Object.values(record.outputs).map((f) => [f!.path.replace(/^dist\//, ''), { bytes: f!.bytes, sha256: f!.sha256 }])),
};

const input = (over: Partial<KeptBuildInput> = {}): KeptBuildInput => ({
  id: 'x',
  candidate: record,
  keys: { 'mp3.audio': 'k1', 'mp3.tags': 'k2', 'captions.script': 'k3' },
  deployed,
  needsLocalMedia: false,
  target: 's3://b/p/',
  ...over,
});

describe('planKeptBuild', () => {
  it('keeps an episode deployed with the same inputs, downloading only the small outputs (never the MP3 or MP4)', () => {
    const d = planKeptBuild(input());
    expect(d.action).toBe('keep');
    if (d.action !== 'keep') return;
    expect(d.downloads.map((f) => f.path).sort()).toEqual(['dist/episodes/x/thumbnail.jpg', 'dist/episodes/x/transcript.vtt']);
    expect(d.reason).toContain('s3://b/p/');
  });

  it('builds here when an input key differs, naming what changed', () => {
    const d = planKeptBuild(input({ keys: { 'mp3.audio': 'k1', 'mp3.tags': 'NEW', 'captions.script': 'NEW' } }));
    expect(d).toMatchObject({ action: 'build' });
    expect(d.reason).toContain('title, show details or cover changed');
    expect(d.reason).toContain('script.md changed');
    expect(d.reason).not.toContain('recording');
  });

  it('builds here when the target lacks a file the record names, or holds another version of it', () => {
    const { ['episodes/x/x.mp4']: _gone, ...rest } = deployed.files;
    expect(planKeptBuild(input({ deployed: { ...deployed, files: rest } })).reason).toContain('does not have episodes/x/x.mp4');
    const other = { ...deployed.files, 'episodes/x/transcript.vtt': { bytes: 40, sha256: h('z') } };
    const d = planKeptBuild(input({ deployed: { ...deployed, files: other } }));
    expect(d.action).toBe('build');
    expect(d.reason).toContain('episodes/x/transcript.vtt on s3://b/p/ is not the file');
  });

  it('builds here when the MP4 is needed for a YouTube upload', () => {
    expect(planKeptBuild(input({ needsLocalMedia: true }))).toMatchObject({ action: 'build', reason: expect.stringContaining('YouTube') });
  });

  it('without keys (deploy without a build) keeps whatever is deployed, and an earlier restore needs no target', () => {
    expect(planKeptBuild(input({ keys: undefined })).action).toBe('keep');
    const again = planKeptBuild(input({ deployed: undefined }));
    expect(again).toMatchObject({ action: 'keep', downloads: [] });
  });
});
