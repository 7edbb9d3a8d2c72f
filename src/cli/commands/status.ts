import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { findShowRoot, loadShow, episodeDate, type EpisodeContext } from '../../config/load-show.js';
import type { CommandContext } from '../main.js';
import { AUDIO_EXT, CAMERA_EXT } from '../../media/find-recording.js';
import { hashValue } from '../../core/hash.js';
import { keptMarkerPath } from '../../records/build-record.js';

export interface StatusRow {
  episode: string;
  date: string;
  title: string;
  script: boolean;
  recording: boolean;
  built: boolean;
  feed: boolean;
  youtube: string | undefined;
  youtubeState: string;
  corrections: string;
}


export function statusRow(root: string, ep: EpisodeContext): StatusRow {
  const audioFiles = [...(existsSync(ep.files.audio) ? readdirSync(ep.files.audio).filter((f) => AUDIO_EXT.test(f)) : []), ...(existsSync(ep.files.video) ? readdirSync(ep.files.video).filter((f) => CAMERA_EXT.test(f)) : [])];
  // Kept on the deploy target (read back by a clone without dist/) counts as built.
  const built = existsSync(join(root, 'dist', 'episodes', ep.id, `${ep.id}.mp3`)) || existsSync(keptMarkerPath(root, ep.id));
  const yt = ep.published?.youtube;
  const corrections = ep.config?.corrections ?? [];
  let youtubeState = 'not uploaded';
  if (yt?.videoId) youtubeState = 'uploaded';
  else if (yt?.uploadSession) youtubeState = 'upload interrupted (resumes on publish)';
  let correctionState = corrections.length ? `${corrections.length} pending` : 'none';
  // Pushed only when what was pushed is what episode.yaml says now (publish records its hash).
  if (corrections.length && ep.published?.corrections?.pushedHash === hashValue(corrections)) correctionState = `${corrections.length} pushed ${ep.published.corrections.pushedAt.slice(0, 10)}`;
  else if (corrections.length && ep.published?.corrections) correctionState = `${corrections.length}, changed since the last push (pending)`;
  return {
    episode: ep.id,
    date: episodeDate(ep),
    title: ep.config?.title ?? '(episode.yaml invalid)',
    script: existsSync(ep.files.script),
    recording: audioFiles.length > 0,
    built,
    feed: Boolean(ep.published?.feed?.pushedAt),
    youtube: yt?.videoId ? `https://youtu.be/${yt.videoId}` : undefined,
    youtubeState,
    corrections: correctionState,
  };
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
}

/** `castline status`: built? published? where? */
export async function run(ctx: CommandContext): Promise<number> {
  const root = findShowRoot(ctx.cwd, ctx.options.root);
  const show = await loadShow(root);
  const rows = show.episodes.map((ep) => statusRow(root, ep));
  if (ctx.reporter.json) {
    ctx.reporter.result({ show: show.show.title, episodes: rows });
    return 0;
  }
  const yes = (b: boolean): string => (b ? 'yes' : '-');
  const lines = [
    ['EPISODE', 'DATE', 'SCRIPT', 'RECORDING', 'BUILT', 'FEED', 'YOUTUBE', 'CORRECTIONS'],
    ...rows.map((r) => [r.episode, r.date, yes(r.script), yes(r.recording), yes(r.built), r.feed ? 'deployed' : '-', r.youtube ?? r.youtubeState, r.corrections]),
  ];
  process.stdout.write(`${show.show.title}\n${table(lines)}\n`);
  if (!rows.length) ctx.reporter.info('no episodes yet: castline new <slug> --issue <file>');
  return 0;
}
