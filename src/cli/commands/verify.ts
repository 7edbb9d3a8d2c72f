import { findShowRoot, loadValidShow } from '../../config/load-show.js';
import { CastlineError } from '../../core/errors.js';
import type { CommandContext } from '../main.js';

/** `castline verify [--base-url URL] [--json]`: check the live feed and every file it names. */
export async function run(ctx: CommandContext, options: { baseUrl?: string } = {}): Promise<number> {
  const root = findShowRoot(ctx.cwd, ctx.options.root);
  const show = await loadValidShow(root);
  const { verifySite } = await import('../../deploy/verify-site.js');
  const result = await verifySite(show, { baseUrl: options.baseUrl, reporter: ctx.reporter });
  ctx.reporter.result(result);
  if (!result.ok) {
    throw new CastlineError('verify-problems', `${result.problems.length} problem${result.problems.length === 1 ? '' : 's'} on the live site (${result.feedUrl})`, {
      hint: 'each problem above names the URL and what to fix; then rerun castline deploy and castline verify',
    });
  }
  return 0;
}
