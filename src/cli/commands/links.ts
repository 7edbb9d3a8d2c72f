import { CastlineError } from '../../core/errors.js';
import { findShowRoot, resolveEpisodeIds } from '../../config/load-show.js';
import { LINK_FORMATS, renderLinkBlock, type LinkFormat } from '../../links/link-block.js';
import { readLinkBlock } from '../../links/read-link-block.js';
import type { CommandContext } from '../main.js';

/** `castline links <episode> [--format markdown|html|text]`: the block to paste into the newsletter, on stdout. */
export async function run(ctx: CommandContext, episodeArg: string, options: { format?: string }): Promise<number> {
  const format = (options.format ?? 'markdown') as LinkFormat;
  if (!LINK_FORMATS.includes(format)) {
    throw new CastlineError('bad-link-format', `--format ${options.format} is not one of ${LINK_FORMATS.join(', ')}`, { hint: 'markdown for Substack/Ghost/Buttondown editors, html for Mailchimp-style editors, text for plain emails' });
  }
  const root = findShowRoot(ctx.cwd, ctx.options.root);
  const [id] = await resolveEpisodeIds(root, [episodeArg]);
  if (!id) throw new CastlineError('unknown-episode', `No episode "${episodeArg}"`);
  const { block, notices } = await readLinkBlock(root, id);
  for (const n of notices) ctx.reporter.warn(n);
  if (ctx.options.json) ctx.reporter.result({ id, ...block, text: renderLinkBlock(block, format) });
  else process.stdout.write(renderLinkBlock(block, format));
  return 0;
}
