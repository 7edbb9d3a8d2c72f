import { describe, expect, it } from 'vitest';
import { flattenKeys, outputFiles, outputPaths, planEpisode, planEpisodeBuild, stepsToBuild, type OutputKeys } from '../../../src/pipeline/plan-episode-build.js';
import { EpisodeBuildSchema, type EpisodeBuild } from '../../../src/records/build-record.js';
import { ShowSchema } from '../../../src/config/show-schema.js';
import { EpisodeSchema } from '../../../src/config/episode-schema.js';
import { episodeFiles } from '../../../src/config/load-show.js';
import type { EpisodeInputs, InputFile } from '../../../src/pipeline/read-episode-inputs.js';

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

describe('planEpisode (from read inputs)', () => {
  const show = ShowSchema.parse({
    title: 'Show', description: 'A show.', author: 'A', owner: { name: 'O', email: 'o@example.org' }, language: 'en',
    categories: ['Technology'], cover: 'cover.png', site: { baseUrl: 'https://example.org/' }, youtube: { madeForKids: false },
  });
  const file = (rel: string, sha = `sha-${rel}`, duration?: number): InputFile => ({ rel, abs: `/show/${rel}`, size: 10, mtimeMs: 1, sha256: sha, duration });
  const dir = '/show/episodes/2023-01-20-e';
  const inputs = (over: Partial<EpisodeInputs> = {}, title = 'E'): EpisodeInputs => {
    const speech = file('episodes/2023-01-20-e/audio/recording.wav', 'sha-rec', 60);
    return {
      episode: { id: '2023-01-20-e', dir, folderDate: '2023-01-20', slug: 'e', config: EpisodeSchema.parse({ title }), published: undefined, files: episodeFiles(dir) },
      script: { episodeId: '2023-01-20-e', sourceHash: 'x', sections: [{ id: 'intro', title: 'Hello', kind: 'intro', paragraphs: ['Hi.'], text: 'Hi.', cues: [], words: 1, estimateSeconds: 1 }], totalSeconds: 1, edited: false },
      recording: { kind: 'single', file: 'recording.wav', labels: undefined },
      speech: [speech], takes: [], labels: undefined, intro: undefined, outro: undefined, visuals: {},
      background: file('cover.png'), coverArt: file('cover.png'), font: file('font.ttf'),
      previous: undefined, changedOutputs: [], warnings: [], ...over,
    } as EpisodeInputs;
  };
  const recordOf = (plan: ReturnType<typeof planEpisode>): EpisodeBuild =>
    EpisodeBuildSchema.parse({ ...previous, id: plan.id, inputHashes: flattenKeys(plan.keys), measurement: { audioKey: plan.audioKey, integrated: -20, duration: 60, silences: [] } });

  it('a first build makes every output, saying so', () => {
    const plan = planEpisode(show, inputs(), { force: false, captions: true });
    expect(plan.steps.map((s) => [s.output, s.action, s.reason])).toEqual([
      ['mp3', 'build', 'not built before'], ['mp4', 'build', 'not built before'], ['thumbnail', 'build', 'not built before'],
      ['chapters', 'build', 'not built before'], ['captions', 'build', 'not built before'],
    ]);
    expect(plan.measure).toBe(true);
    expect([...plan.build]).toEqual(['mp3', 'mp4', 'thumbnail', 'chapters', 'captions']);
  });

  it('an unchanged episode whose MP4 went missing from dist/ rebuilds only the MP4, without re-analysing', () => {
    const first = planEpisode(show, inputs(), { force: false, captions: true });
    const plan = planEpisode(show, inputs({ previous: recordOf(first), changedOutputs: ['mp4'] }), { force: false, captions: true });
    expect(plan.steps.filter((s) => s.action === 'build')).toEqual([{ output: 'mp4', action: 'build', reason: 'output file missing or changed since the last build' }]);
    expect(plan.measure).toBe(false);
  });

  it('a new title rebuilds what shows it (tags and thumbnail), not the chapters or captions', () => {
    const first = planEpisode(show, inputs(), { force: false, captions: true });
    const plan = planEpisode(show, inputs({ previous: recordOf(first) }, 'A new title'), { force: false, captions: true });
    expect(plan.steps.map((s) => [s.output, s.action, s.reason])).toEqual([
      ['mp3', 'build', 'title, show details or cover changed'], ['mp4', 'build', 'title, show details or cover changed'],
      ['thumbnail', 'build', 'episode title, background or font changed'], ['chapters', 'keep', 'unchanged'], ['captions', 'keep', 'unchanged'],
    ]);
  });

  it('figures are inputs of the MP4 and chapters.json: a new figure file, a moved cue or a new figureSeconds rebuilds those two only', () => {
    const figure = (sha: string, afterParagraphs: number): EpisodeInputs['figures'] => [{ sectionId: 'intro', figure: { alt: 'Chart', target: 'visuals/figure-1.png', line: 9, afterParagraphs }, file: file('episodes/2023-01-20-e/visuals/figure-1.png', sha) }];
    const first = planEpisode(show, inputs({ figures: figure('sha-a', 1) }), { force: false, captions: true });
    const rebuilt = (over: Partial<EpisodeInputs>, cfg = show): string[] => planEpisode(cfg, inputs({ previous: recordOf(first), ...over }), { force: false, captions: true }).steps.filter((s) => s.action === 'build').map((s) => `${s.output}: ${s.reason}`);
    const because = 'the figures of script.md, where their cues stand or video.figureSeconds changed';
    const why = [`mp4: ${because}`, `chapters: ${because}`];
    expect(rebuilt({ figures: figure('sha-a', 1) })).toEqual([]);
    expect(rebuilt({ figures: figure('sha-b', 1) })).toEqual(why);
    expect(rebuilt({ figures: figure('sha-a', 0) })).toEqual(why);
    expect(rebuilt({ figures: figure('sha-a', 1) }, { ...show, video: { ...show.video, figureSeconds: 5 } })).toEqual(why);
    // Without figures the MP4's key is what it was before figures existed.
    const plain = planEpisode(show, inputs(), { force: false, captions: true }).keys;
    expect([...Object.keys(plain.mp4), ...Object.keys(plain.chapters)]).not.toContain('figures');
  });

  it('names the files of each output under dist/episodes/<id>/', () => {
    const paths = outputPaths('/show', 'e');
    expect(outputFiles(paths, 'mp3')).toEqual(['/show/dist/episodes/e/e.mp3']);
    expect(outputFiles(paths, 'captions')).toEqual(['/show/dist/episodes/e/transcript.vtt', '/show/dist/episodes/e/transcript.srt']);
  });
});
