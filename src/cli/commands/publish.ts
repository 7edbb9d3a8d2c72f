import { findShowRoot, resolveEpisodeIds } from '../../config/load-show.js';
import { runPublish, publishIncompleteError } from '../../publish/run-publish.js';
import type { CommandContext } from '../main.js';

/** `castline publish [episode...] [--dry-run] [--youtube-only] [--no-verify] [--json]` */
export async function run(ctx: CommandContext, episodes: string[] = [], options: { dryRun?: boolean; youtubeOnly?: boolean; verify?: boolean } = {}): Promise<number> {
  const root = findShowRoot(ctx.cwd, ctx.options.root);
  const ids = episodes.length ? await resolveEpisodeIds(root, episodes) : undefined;
  const build = async (buildIds: string[], needsLocalMedia: (id: string) => boolean): Promise<void> => {
    const { buildShow } = await import('../../pipeline/build-show.js');
    await buildShow({ root, episodes: buildIds, force: false, reporter: ctx.reporter, needsLocalMedia });
  };
  const result = await runPublish({ root, ids, dryRun: Boolean(options.dryRun), feed: !options.youtubeOnly, verify: options.verify !== false, reporter: ctx.reporter, build });
  ctx.reporter.result(result);
  if (!result.ok) throw publishIncompleteError(result);
  if (!result.dryRun) await printLinkBlocks(ctx, root, result.episodes.filter((e) => e.videoId).map((e) => e.id));
  return 0;
}

/** After a publish, the newsletter block of each episode on YouTube (`castline links` prints it again). */
async function printLinkBlocks(ctx: CommandContext, root: string, ids: string[]): Promise<void> {
  const { readLinkBlock } = await import('../../links/read-link-block.js');
  const { renderLinkBlock } = await import('../../links/link-block.js');
  for (const id of ids) {
    const { block } = await readLinkBlock(root, id);
    ctx.reporter.info(`paste into the newsletter (castline links ${id} --format html|markdown|text):\n${renderLinkBlock(block, 'text').trimEnd()}`);
  }
}
