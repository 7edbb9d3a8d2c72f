import { CastlineError } from '../../core/errors.js';
import { findShowRoot, loadValidShow, resolveEpisodeIds } from '../../config/load-show.js';
import { presentBuild, readBuildRecord } from '../../records/build-record.js';
import { makeClip } from '../../clips/make-clip.js';
import { recordClip } from '../../clips/make-episode-clips.js';
import { CLIP_FORMATS, type ClipFormat } from '../../clips/plan-clip.js';
import type { CommandContext } from '../main.js';

/**
 * `castline clip <episode> --from 12:30 --to 13:15 [--format vertical|square|landscape]
 * [--title "…"] [--waveform]`: one clip of a built episode into dist/episodes/<id>/clips/,
 * listed in build.json `clips` ({start, duration, title}: the feed's soundbites read it).
 */
export async function run(ctx: CommandContext, episodeArg: string, options: { from?: string; to?: string; format?: string; title?: string; waveform?: boolean }): Promise<number> {
  const format = (options.format ?? 'vertical') as ClipFormat;
  if (!CLIP_FORMATS.includes(format)) {
    throw new CastlineError('clip-range-invalid', `--format ${options.format} is not one of ${CLIP_FORMATS.join(', ')}`, { hint: 'vertical for Shorts/Reels/TikTok, square for feeds, landscape for 16:9' });
  }
  if (!options.from || !options.to) throw new CastlineError('clip-range-invalid', 'castline clip needs --from and --to', { hint: 'give the span as minutes:seconds into the episode, like --from 12:30 --to 13:15' });
  const root = findShowRoot(ctx.cwd, ctx.options.root);
  const [id] = await resolveEpisodeIds(root, [episodeArg]);
  if (!id) throw new CastlineError('unknown-episode', `No episode "${episodeArg}"`);
  const show = await loadValidShow(root);
  const record = presentBuild(await readBuildRecord(root, id));
  if (!record) throw new CastlineError('clip-needs-build', `${id} is not built yet`, { hint: `run castline build ${id} first (clips are cut from the episode's MP4)` });
  const { clip, warnings } = await makeClip(show, record, { from: options.from, to: options.to, format, title: options.title, waveform: options.waveform }, `castline clip ${id}`);
  await recordClip(root, record, clip);
  for (const w of warnings) ctx.reporter.warn(w);
  if (ctx.options.json) ctx.reporter.result({ id, clip });
  else ctx.reporter.done(`wrote ${clip.path} (${clip.format}, ${clip.duration.toFixed(1)} s from ${clip.start.toFixed(1)} s, ${clip.integrated?.toFixed(1) ?? '?'} LUFS)`);
  return 0;
}
