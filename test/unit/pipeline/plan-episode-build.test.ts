import { describe, expect, it } from 'vitest';
import { flattenKeys, planEpisodeBuild, stepsToBuild, type OutputKeys } from '../../../src/pipeline/plan-episode-build.js';
import type { EpisodeBuild } from '../../../src/media/build-record.js';

const keys: OutputKeys = {
  mp3: { audio: 'A', loudness: 'L', tags: 'T', chapters: 'C' },
  mp4: { audio: 'A', loudness: 'L', tags: 'T', video: 'V', visuals: 'VI', chapters: 'C' },
  thumbnail: { thumbnail: 'TH' },
  chapters: { chapters: 'C' },
  captions: { script: 'S', audio: 'A', loudness: 'L', chapters: 'C' },
};
const previous = {
  id: 'e',
  builtAt: '2023-01-01T00:00:00Z',
  durationSeconds: 10,
  outputs: { mp3: { path: 'dist/e.mp3', bytes: 1, sha256: 'x' } },
  chapters: [],
  chaptersEstimated: false,
  loudness: { target: -16, truePeakTarget: -1 },
  inputHashes: flattenKeys(keys),
  inputFiles: {},
  measurement: { audioKey: 'AK', integrated: -20, duration: 10, silences: [] },
  steps: [],
  warnings: [],
} satisfies EpisodeBuild;
const base = { keys, previous, missingOutputs: new Set<never>(), captions: true, audioKey: 'AK', force: false };

describe('planEpisodeBuild', () => {
  it('keeps everything when every input hash matches and every output exists', () => {
    const plan = planEpisodeBuild(base);
    expect(stepsToBuild(plan).size).toBe(0);
    expect(plan.measure).toBe(false);
  });
  it('builds everything the first time, and with --force', () => {
    expect(planEpisodeBuild({ ...base, previous: undefined }).steps.every((s) => s.action === 'build' && s.reason === 'not built before')).toBe(true);
    const forced = planEpisodeBuild({ ...base, force: true });
    expect(forced.steps.every((s) => s.reason === '--force')).toBe(true);
    expect(forced.measure).toBe(true);
  });
  it('a new episode title rebuilds the tagged files and the thumbnail, not chapters or captions', () => {
    const plan = planEpisodeBuild({ ...base, keys: { ...keys, mp3: { ...keys.mp3, tags: 'T2' }, mp4: { ...keys.mp4, tags: 'T2' }, thumbnail: { thumbnail: 'TH2' } } });
    expect([...stepsToBuild(plan)].sort()).toEqual(['mp3', 'mp4', 'thumbnail']);
    expect(plan.steps.find((s) => s.output === 'mp3')?.reason).toBe('title, show details or cover changed');
    expect(plan.measure).toBe(false);
  });
  it('a new recording rebuilds every audio output and re-measures, saying why', () => {
    const changed = Object.fromEntries(Object.entries(keys).map(([o, k]) => [o, 'audio' in k ? { ...k, audio: 'A2' } : k])) as OutputKeys;
    const plan = planEpisodeBuild({ ...base, keys: changed, audioKey: 'AK2' });
    expect([...stepsToBuild(plan)].sort()).toEqual(['captions', 'mp3', 'mp4']);
    expect(plan.steps.find((s) => s.output === 'mp4')?.reason).toBe('the recording or music changed');
    expect(plan.measure).toBe(true);
  });
  it('a deleted output is rebuilt alone', () => {
    const plan = planEpisodeBuild({ ...base, missingOutputs: new Set(['thumbnail'] as const) });
    expect([...stepsToBuild(plan)]).toEqual(['thumbnail']);
  });
  it('leaves captions out when the captions stage is unavailable', () => {
    expect(planEpisodeBuild({ ...base, previous: undefined, captions: false }).steps.map((s) => s.output)).not.toContain('captions');
  });
});
