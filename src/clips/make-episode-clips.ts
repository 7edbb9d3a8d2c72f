import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { EpisodeContext, ShowContext } from '../config/load-show.js';
import { writeBuildRecord, type ClipRecord, type EpisodeBuild } from '../records/build-record.js';
import type { EncodeProgress } from '../pipeline/encode-progress.js';
import { clipKey, makeClip } from './make-clip.js';
import type { ClipRequest } from './plan-clip.js';

/**
 * The clips of episode.yaml `clips:` after a build: each made unless the record already has
 * it from the same request, MP4 and captions (and its file is there). Clips made by hand
 * (`castline clip`) stay listed while their file exists. build.json is rewritten only when
 * the list changed.
 */
export async function makeEpisodeClips(show: ShowContext, episode: EpisodeContext, record: EpisodeBuild, progress: EncodeProgress): Promise<{ record: EpisodeBuild; made: ClipRecord[]; warnings: string[] }> {
  const requests: ClipRequest[] = episode.config?.clips ?? [];
  const previous = record.clips ?? [];
  const warnings: string[] = [];
  const made: ClipRecord[] = [];
  const fromYaml: ClipRecord[] = [];
  for (const [i, request] of requests.entries()) {
    const key = clipKey(request, record);
    const kept = previous.find((c) => c.key === key && existsSync(join(show.root, c.path)));
    if (kept) {
      fromYaml.push(kept);
      continue;
    }
    const task = progress.start(`${episode.id} clip ${i + 1}/${requests.length}`);
    const result = await makeClip(show, record, request, `episodes/${episode.id}/episode.yaml → clips[${i}]`, (f) => task.update(f, undefined));
    task.finish(result.clip.name);
    warnings.push(...result.warnings);
    const clip = { ...result.clip, key };
    made.push(clip);
    fromYaml.push(clip);
  }
  const byHand = previous.filter((c) => c.key === undefined && existsSync(join(show.root, c.path)));
  const clips = [...fromYaml, ...byHand.filter((c) => !fromYaml.some((y) => y.name === c.name))];
  const changed = JSON.stringify(clips) !== JSON.stringify(previous);
  const next = { ...record, clips };
  if (changed) await writeBuildRecord(show.root, next);
  return { record: next, made, warnings };
}

/** Add (or replace, by name) a clip made by `castline clip` in the episode's record. */
export async function recordClip(root: string, record: EpisodeBuild, clip: ClipRecord): Promise<EpisodeBuild> {
  const clips = [...(record.clips ?? []).filter((c) => c.name !== clip.name), clip];
  const next = { ...record, clips };
  await writeBuildRecord(root, next);
  return next;
}
