import { findShowRoot } from '../../config/load-show.js';
import { parseShard } from '../../pipeline/shard-episodes.js';
import type { CommandContext } from '../main.js';

/** `castline build [episode...] [--force] [--dry-run] [--shard K/N] [--json]` (src/pipeline/build-show.ts does the work). */
export async function run(ctx: CommandContext, episodes: string[], options: { force?: boolean; dryRun?: boolean; shard?: string }): Promise<number> {
  const shard = options.shard === undefined ? undefined : parseShard(options.shard);
  const root = findShowRoot(ctx.cwd, ctx.options.root);
  const { buildShow } = await import('../../pipeline/build-show.js');
  const result = await buildShow({ root, episodes, force: Boolean(options.force), dryRun: Boolean(options.dryRun), ...(shard ? { shard } : {}), reporter: ctx.reporter });
  ctx.reporter.result(result);
  return 0;
}
