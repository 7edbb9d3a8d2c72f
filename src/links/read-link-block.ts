import { CastlineError, ProblemsError, hasErrors } from '../core/errors.js';
import { loadShow } from '../config/load-show.js';
import { presentBuild, readBuildRecord } from '../records/build-record.js';
import { planLinkBlock, type LinkBlock } from './link-block.js';

/**
 * Everything the newsletter block needs, read from the show: the YouTube id from
 * published.yaml, the show's Spotify/Apple links from show.yaml, the chapters (with the times
 * of the published audio) from the episode's build record. What is missing is a notice, not an
 * error: a block without the video is still worth pasting.
 */
export async function readLinkBlock(root: string, id: string): Promise<{ block: LinkBlock; notices: string[] }> {
  const show = await loadShow(root, { only: [id] });
  const mine = show.problems.filter((p) => p.file === 'show.yaml' || p.file.startsWith(`episodes/${id}/`));
  if (hasErrors(mine)) throw new ProblemsError(mine);
  const episode = show.episodes.find((e) => e.id === id);
  if (!episode?.config) throw new CastlineError('unknown-episode', `No episode "${id}"`);
  const notices: string[] = [];
  const youtube = episode.published?.youtube;
  const videoId = youtube?.removedAt ? undefined : youtube?.videoId;
  if (!videoId) notices.push(`episodes/${id} has no YouTube video yet (castline publish uploads it): the block has no YouTube link`);
  const build = presentBuild(await readBuildRecord(root, id));
  if (!build) notices.push(`episodes/${id} is not built (castline build): the block has no chapters`);
  const block = planLinkBlock({
    id,
    title: episode.config.title,
    baseUrl: show.show.site.baseUrl,
    videoId,
    links: { spotify: show.show.links.spotify, apple: show.show.links.apple },
    chapters: build?.chapters ?? [],
  });
  return { block, notices };
}
