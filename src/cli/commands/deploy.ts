import { findShowRoot, loadValidShow } from '../../config/load-show.js';
import type { CommandContext } from '../main.js';

/** `castline deploy [--dry-run] [--setup] [--json]`: write the feed and site, then deploy (no YouTube). */
export async function run(ctx: CommandContext, options: { dryRun?: boolean; setup?: boolean } = {}): Promise<number> {
  const root = findShowRoot(ctx.cwd, ctx.options.root);
  const show = await loadValidShow(root);
  const dryRun = Boolean(options.dryRun);
  // A dry run plans against dist/ as it is; a real one writes the feed and site first.
  if (!dryRun) {
    // A clone without dist/ (CI): episodes built and deployed before come back from the
    // target's build records first, so the feed written next still lists them.
    const { restoreDeployedBuilds } = await import('../../deploy/remote-build-state.js');
    await restoreDeployedBuilds(show, { reporter: ctx.reporter });
    const { writeFeedAndSite } = await import('../../pipeline/write-feed-and-site.js');
    await writeFeedAndSite(show, { reporter: ctx.reporter });
  }
  const { deploySite } = await import('../../deploy/deploy-site.js');
  const result = await deploySite(show, { dryRun, setup: Boolean(options.setup), reporter: ctx.reporter });
  ctx.reporter.result(result ?? { target: null, dryRun });
  return 0;
}
