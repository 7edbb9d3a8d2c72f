import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempShow } from '../../helpers/cli.js';
import { fixturePath, SPEECH } from '../../fixtures/media/registry.mjs';
import { shardOfEpisode } from '../../../src/pipeline/shard-episodes.js';

/**
 * A temp show of short recorded episodes (the espeak-ng take fixtures, one per section) whose
 * ids split over `count` shards with at least `perShard` in each. Which id lands where comes
 * from the shard function itself only to pick the folder names, never to check a result.
 */
export async function makeShardShow(options: { count: number; perShard: number }): Promise<{ root: string; ids: string[]; cleanup: () => Promise<void> }> {
  const show = await makeTempShow({ episodes: false });
  const byShard = new Map<number, string[]>();
  const ids: string[] = [];
  for (let n = 1; ids.length < options.count * options.perShard; n++) {
    const day = String(((n - 1) % 28) + 1).padStart(2, '0');
    const month = String(Math.floor((n - 1) / 28) + 1).padStart(2, '0');
    const id = `2024-${month}-${day}-week-${n}`;
    const shard = shardOfEpisode(id, options.count);
    const list = byShard.get(shard) ?? [];
    if (list.length >= options.perShard) continue;
    list.push(id);
    byShard.set(shard, list);
    ids.push(id);
  }
  ids.sort();
  for (const [i, id] of ids.entries()) {
    const dir = join(show.root, 'episodes', id);
    await mkdir(join(dir, 'audio'), { recursive: true });
    await writeFile(join(dir, 'episode.yaml'), `title: Week ${i + 1}\nnumber: ${i + 1}\n`);
    await writeFile(join(dir, 'script.md'), `# Week ${i + 1}\n\n## Welcome {#intro}\n\n${SPEECH.intro}\n\n## The news {#news}\n\n${SPEECH.news}\n\n## Goodbye {#outro}\n\n${SPEECH.outro}\n`);
    for (const take of ['intro', 'news', 'outro']) await copyFile(fixturePath(`take-${take}.wav`), join(dir, 'audio', `${take}.wav`));
  }
  return { root: show.root, ids, cleanup: show.cleanup };
}
