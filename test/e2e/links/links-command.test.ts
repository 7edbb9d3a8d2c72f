import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { EpisodeBuildSchema } from '../../../src/records/build-record.js';
import { runCli } from '../../helpers/cli.js';
import { makeBareShow } from '../foundation/bare-show.js';

/** `castline links <episode>` in a copy of the example show, with a recorded upload and build. */
describe('castline links', () => {
  const id = '2023-01-20-mlaisu';
  let show: Awaited<ReturnType<typeof makeBareShow>>;
  beforeAll(async () => {
    show = await makeBareShow();
    const dist = join(show.root, 'dist', 'episodes', id);
    await mkdir(dist, { recursive: true });
    await writeFile(join(dist, `${id}.mp3`), 'mp3');
    const record = EpisodeBuildSchema.parse({
      id,
      builtAt: '2023-01-19T12:00:00.000Z',
      durationSeconds: 600,
      outputs: { mp3: { path: `dist/episodes/${id}/${id}.mp3`, bytes: 3, sha256: 'x' } },
      chapters: [
        { id: 'intro', title: 'Intro', startTime: 0, endTime: 40 },
        { id: 'superpositions-transformers', title: 'Superpositions & Transformers', startTime: 40.6, endTime: 500 },
        { id: 'outro', title: 'Outro', startTime: 500, endTime: 600 },
      ],
      chaptersEstimated: false,
      loudness: { target: -16, truePeakTarget: -1 },
    });
    await writeFile(join(dist, 'build.json'), JSON.stringify(record));
  });
  afterAll(() => show.cleanup());

  it('warns that there is no video yet and still prints the rest', async () => {
    const result = await runCli(['links', id, '--format', 'text'], { cwd: show.root });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`warning: episodes/${id} has no YouTube video yet`);
    expect(result.stdout).toBe(`Overfitting in superposition and a compiler for Transformers

Listen on Spotify: https://open.spotify.com/show/example
Listen on Apple Podcasts: https://podcasts.apple.com/podcast/id000000000
Episode page, transcript and feed: https://example.org/mlaisu/episodes/2023-01-20-mlaisu/

Chapters:
0:00 Intro
0:40 Superpositions & Transformers
8:20 Outro
`);
  });

  it('links the uploaded video from published.yaml, in markdown by default', async () => {
    const ledger = join(show.root, 'episodes', id, 'published.yaml');
    // As castline publish records an upload (bare-show drops the example's ledgers).
    await writeFile(ledger, stringify({ guid: 'd4c49060-04a2-4bd6-86e0-d752ed36d349', createdAt: '2023-01-19T12:00:00.000Z', youtube: { videoId: 'abcDEF12345' } }));
    const result = await runCli(['links', id], { cwd: show.root });
    expect(result.code).toBe(0);
    expect(result.stderr).not.toContain('warning');
    expect(result.stdout.split('\n').slice(0, 4)).toEqual(['**Overfitting in superposition and a compiler for Transformers**', '', '- [Watch on YouTube](<https://www.youtube.com/watch?v=abcDEF12345>)', '- [Listen on Spotify](<https://open.spotify.com/show/example>)']);
    expect(result.stdout).toContain('- 0:40 Superpositions & Transformers\n');
  });

  it('refuses an unknown format and an unknown episode', async () => {
    const format = await runCli(['links', id, '--format', 'pdf'], { cwd: show.root });
    expect(format.code).toBe(1);
    expect(format.stderr.split('\n')[0]).toBe('--format pdf is not one of markdown, html, text');
    const missing = await runCli(['links', '2099-01-01-nope'], { cwd: show.root });
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('');
  });
});
