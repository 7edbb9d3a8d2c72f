import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempShow } from '../../helpers/cli.js';

/** What later commands add to an episode folder (script, notes, recording, visuals, ledger). */
const PRODUCED = ['script.md', 'notes.md', 'audio', 'visuals', 'published.yaml'];

/**
 * A temp copy of the example show as a host has it right after `castline new`: show.yaml,
 * assets and each episode's issue.md + episode.yaml only. The example in the repo gains
 * scripts, recordings and ledgers as the pipeline is built and run; these tests must not
 * depend on that.
 */
export async function makeBareShow(options: Parameters<typeof makeTempShow>[0] = {}): ReturnType<typeof makeTempShow> {
  const show = await makeTempShow(options);
  const ids = options.episodes === false ? [] : await readdir(join(show.root, 'episodes'));
  for (const id of ids) {
    for (const entry of PRODUCED) await rm(join(show.root, 'episodes', id, entry), { recursive: true, force: true });
  }
  await rm(join(show.root, 'dist'), { recursive: true, force: true });
  return show;
}
