import { findShowRoot } from '../../config/load-show.js';
import { createReporter } from '../../core/reporter.js';
import { CastlineError } from '../../core/errors.js';
import { MAX_SHARDS, shardOfEpisode } from '../../pipeline/shard-episodes.js';
import type { CommandContext } from '../main.js';

export interface PlannedEpisode {
  id: string;
  /** Whether `castline build` would encode anything for it. */
  rebuild: boolean;
  status: string;
  /** Each output to build, with why ("recording changed", "not built before"). */
  reasons: { output: string; reason: string }[];
  /** With --shards N: the K of `--shard K/N` that builds it. */
  shard?: number;
}

function shardCount(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > MAX_SHARDS) {
    throw new CastlineError('shard-invalid', `--shards "${text}" is not a number of shards from 1 to ${MAX_SHARDS}`, { hint: 'pass the N of `castline build --shard K/N`, like --shards 4' });
  }
  return n;
}

/**
 * `castline plan [episode...] [--shards N] [--force] [--json]`: the build's read phase and its
 * pure planner (plan-episode-build.ts, through buildShow's dry run), reported per episode for
 * a job engine: which episodes need encoding, why, and in which shard. Writes nothing.
 */
export async function run(ctx: CommandContext, episodes: string[], options: { shards?: string; force?: boolean }): Promise<number> {
  const count = options.shards === undefined ? undefined : shardCount(options.shards);
  const root = findShowRoot(ctx.cwd, ctx.options.root);
  const { buildShow } = await import('../../pipeline/build-show.js');
  // The dry run's own "would build" lines stay out of the way unless --debug.
  const quiet = createReporter({ json: false, debug: ctx.options.debug, quiet: !ctx.options.debug });
  const result = await buildShow({ root, episodes, force: Boolean(options.force), dryRun: true, reporter: { ...quiet, warn: ctx.reporter.warn } });
  const planned: PlannedEpisode[] = result.episodes.map((e) => ({
    id: e.id,
    rebuild: e.status === 'would build',
    status: e.status === 'would build' ? 'rebuild' : e.status,
    reasons: (e.steps ?? []).filter((s) => s.action === 'build').map((s) => ({ output: s.output, reason: s.reason })),
    ...(count ? { shard: shardOfEpisode(e.id, count) } : {}),
  }));
  for (const p of planned) {
    const where = count ? ` [shard ${p.shard}/${count}]` : '';
    ctx.reporter.info(`${p.id}${where}: ${p.rebuild ? `rebuild ${p.reasons.map((r) => `${r.output} (${r.reason})`).join(', ')}` : p.status}`);
  }
  const rebuild = planned.filter((p) => p.rebuild);
  ctx.reporter.info(`${rebuild.length} of ${planned.length} episode${planned.length === 1 ? '' : 's'} to rebuild`);
  ctx.reporter.result({ ...(count ? { shards: count } : {}), rebuild: rebuild.map((p) => p.id), episodes: planned });
  return 0;
}
