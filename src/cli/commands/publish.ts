import { findShowRoot, resolveEpisodeIds } from '../../config/load-show.js';
import { runPublish, publishIncompleteError } from '../../publish/run-publish.js';
import type { CommandContext } from '../main.js';

/** `castline publish [episode...] [--dry-run] [--youtube-only] [--no-verify] [--json]` */
export async function run(ctx: CommandContext, episodes: string[] = [], options: { dryRun?: boolean; youtubeOnly?: boolean; verify?: boolean } = {}): Promise<number> {
  const root = findShowRoot(ctx.cwd, ctx.options.root);
  const ids = episodes.length ? await resolveEpisodeIds(root, episodes) : undefined;
  const build = async (buildIds: string[]): Promise<void> => {
    const { buildShow } = await import('../../pipeline/build-show.js');
    await buildShow({ root, episodes: buildIds, force: false, reporter: ctx.reporter });
  };
  const result = await runPublish({ root, ids, dryRun: Boolean(options.dryRun), feed: !options.youtubeOnly, verify: options.verify !== false, reporter: ctx.reporter, build });
  ctx.reporter.result(result);
  if (!result.ok) throw publishIncompleteError(result);
  return 0;
}
