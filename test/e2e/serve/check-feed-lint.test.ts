import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempShow, runCli } from '../../helpers/cli.js';

/** `castline check` runs the feed lint (src/feed/lint-feed.ts) with file → field and hints. */
let show: { root: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  show = await makeTempShow({ episodes: ['2023-01-20-mlaisu'] });
});
afterAll(async () => show?.cleanup());

describe('castline check: feed lint', () => {
  it('reports a too-long show description as an error and a numbered title as a warning', async () => {
    const showYaml = join(show.root, 'show.yaml');
    const text = await readFile(showYaml, 'utf8');
    await writeFile(showYaml, text.replace(/^description: >-\n(  .*\n)+/m, `description: "${'A long description. '.repeat(220)}"\n`));
    const ep = join(show.root, 'episodes/2023-01-20-mlaisu/episode.yaml');
    await writeFile(ep, (await readFile(ep, 'utf8')).replace(/^title: .*$/m, 'title: "Episode 2: Overfitting in superposition"'));
    const r = await runCli(['check'], { cwd: show.root, timeoutMs: 60_000 });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: show.yaml → description: is 4400 bytes; Apple Podcasts allows at most 4000');
    expect(r.stderr).toContain('hint: shorten the show description');
    expect(r.stderr).toContain('warning: episodes/2023-01-20-mlaisu/episode.yaml → title: "Episode 2: Overfitting in superposition" has an episode number in it');
  });
});
